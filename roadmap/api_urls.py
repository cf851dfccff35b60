from django.urls import path

from . import api

urlpatterns = [
    path(
        "assessments/<int:assessment_id>/placement/",
        api.PlacementView.as_view(),
        name="api-placement",
    ),
    path("roadmaps/", api.RoadmapListView.as_view(), name="api-roadmaps"),
    path("roadmaps/<int:roadmap_id>/", api.RoadmapDetailView.as_view(), name="api-roadmap"),
    path(
        "roadmaps/<int:roadmap_id>/milestones/",
        api.RoadmapMilestonesView.as_view(),
        name="api-roadmap-milestones",
    ),
    path("milestones/<int:milestone_id>/", api.MilestoneDetailView.as_view(), name="api-milestone"),
    path(
        "organizations/<int:organization_id>/use-cases/",
        api.OrganizationUseCasesView.as_view(),
        name="api-organization-use-cases",
    ),
    path("use-cases/<int:use_case_id>/", api.UseCaseDetailView.as_view(), name="api-use-case"),
]
