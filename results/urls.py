from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path("organizations/<id:organization_id>/", views.organization_home, name="organization"),
    path(
        "organizations/<id:organization_id>/assessments/new/",
        views.assessment_create,
        name="assessment-create",
    ),
    path(
        "organizations/<id:organization_id>/members/",
        views.member_invite,
        name="member-invite",
    ),
    path(
        "organizations/<id:organization_id>/members/<id:membership_id>/role/",
        views.member_role,
        name="member-role",
    ),
    path(
        "organizations/<id:organization_id>/members/<id:membership_id>/remove/",
        views.member_remove,
        name="member-remove",
    ),
    path("assessments/<id:assessment_id>/results/", views.assessment_results, name="assessment"),
]
