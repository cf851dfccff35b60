from django.urls import path

from . import views

app_name = "results"
urlpatterns = [
    path("organizations/<id:organization_id>/", views.organization_home, name="organization"),
    path("assessments/<id:assessment_id>/results/", views.assessment_results, name="assessment"),
]
