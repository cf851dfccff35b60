from django.urls import path

from . import api

urlpatterns = [
    path(
        "assessments/<int:assessment_id>/benchmarks/",
        api.AssessmentBenchmarksView.as_view(),
        name="api-benchmarks",
    ),
    path("benchmarks/reference/", api.ReferenceView.as_view(), name="api-benchmark-reference"),
    path(
        "organizations/<int:organization_id>/baselines/",
        api.BaselinesView.as_view(),
        name="api-baselines",
    ),
]
