from django.urls import include, path

from . import views, what_if_views

roadmap_patterns = [
    path("", views.roadmap_page, name="page"),
    path("milestones/new/", views.milestone_create, name="milestone-create"),
    path("milestones/<id:milestone_id>/edit/", views.milestone_edit, name="milestone-edit"),
    path("milestones/<id:milestone_id>/delete/", views.milestone_delete, name="milestone-delete"),
    path("milestones/<id:milestone_id>/status/", views.milestone_status, name="milestone-status"),
    path("milestones/<id:milestone_id>/move/", views.milestone_move, name="milestone-move"),
    path("recommendations/accept/", views.recommendation_accept, name="recommendation-accept"),
    path("reassess/", views.reassessment_start, name="reassess"),
    path("targets/", views.target_set, name="target-set"),
    path("targets/<id:target_id>/delete/", views.target_delete, name="target-delete"),
    path("use-cases/new/", views.use_case_create, name="use-case-create"),
    path("use-cases/<id:use_case_id>/edit/", views.use_case_edit, name="use-case-edit"),
    path("use-cases/<id:use_case_id>/delete/", views.use_case_delete, name="use-case-delete"),
]

what_if_patterns = [
    path("", what_if_views.what_if_page, name="page"),
    path("scenarios/", what_if_views.scenario_save, name="scenario-save"),
    path(
        "scenarios/<id:scenario_id>/delete/",
        what_if_views.scenario_delete,
        name="scenario-delete",
    ),
]

urlpatterns = [
    path("organizations/<id:organization_id>/roadmap/", include((roadmap_patterns, "roadmap"))),
    path("assessments/<id:assessment_id>/what-if/", include((what_if_patterns, "what_if"))),
]
