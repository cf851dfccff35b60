from django.urls import path

from . import api

urlpatterns = [
    path(
        "assessments/<id:assessment_id>/placement/",
        api.PlacementView.as_view(),
        name="api-placement",
    ),
    path(
        "assessments/<id:assessment_id>/what-if/",
        api.WhatIfView.as_view(),
        name="api-what-if",
    ),
    path("roadmaps/", api.RoadmapListView.as_view(), name="api-roadmaps"),
    path("roadmaps/<id:roadmap_id>/", api.RoadmapDetailView.as_view(), name="api-roadmap"),
    path(
        "roadmaps/<id:roadmap_id>/milestones/",
        api.RoadmapMilestonesView.as_view(),
        name="api-roadmap-milestones",
    ),
    path("milestones/<id:milestone_id>/", api.MilestoneDetailView.as_view(), name="api-milestone"),
    path(
        "organizations/<id:organization_id>/use-cases/",
        api.OrganizationUseCasesView.as_view(),
        name="api-organization-use-cases",
    ),
    path("use-cases/<id:use_case_id>/", api.UseCaseDetailView.as_view(), name="api-use-case"),
    path(
        "organizations/<id:organization_id>/targets/",
        api.OrganizationTargetsView.as_view(),
        name="api-organization-targets",
    ),
]
