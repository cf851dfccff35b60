from django.urls import path

from . import views

app_name = "benchmarks"
urlpatterns = [
    path("benchmarks/", views.reference, name="reference"),
    path(
        "organizations/<id:organization_id>/baselines/",
        views.baselines,
        name="baselines",
    ),
]
