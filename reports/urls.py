from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("assessments/<id:assessment_id>/reports/", views.reports_page, name="page"),
    path("assessments/<id:assessment_id>/reports/list/", views.reports_list, name="list"),
    path("assessments/<id:assessment_id>/reports/branding/", views.branding, name="branding"),
    path("reports/<id:report_id>/download/", views.report_download, name="download"),
    path("reports/<id:report_id>/retry/", views.report_retry, name="retry"),
]
