from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("assessments/<int:assessment_id>/reports/", views.reports_page, name="page"),
    path("assessments/<int:assessment_id>/reports/list/", views.reports_list, name="list"),
    path("assessments/<int:assessment_id>/reports/branding/", views.branding, name="branding"),
    path("reports/<int:report_id>/download/", views.report_download, name="download"),
    path("reports/<int:report_id>/retry/", views.report_retry, name="retry"),
]
