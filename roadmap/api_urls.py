from django.urls import path

from . import api

urlpatterns = [
    path(
        "assessments/<int:assessment_id>/placement/",
        api.PlacementView.as_view(),
        name="api-placement",
    ),
]
