from django.urls import path

from . import api

urlpatterns = [
    path("reports/", api.ReportCreateView.as_view(), name="api-reports"),
    path("reports/<id:report_id>/", api.ReportDetailView.as_view(), name="api-report"),
    path(
        "reports/<id:report_id>/download/",
        api.ReportDownloadView.as_view(),
        name="api-report-download",
    ),
]
