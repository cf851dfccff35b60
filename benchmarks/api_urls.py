from django.urls import path

from . import api

urlpatterns = [
    path(
        "assessments/<id:assessment_id>/benchmarks/",
        api.AssessmentBenchmarksView.as_view(),
        name="api-benchmarks",
    ),
    path("benchmarks/reference/", api.ReferenceView.as_view(), name="api-benchmark-reference"),
    path(
        "organizations/<id:organization_id>/baselines/",
        api.BaselinesView.as_view(),
        name="api-baselines",
    ),
]
