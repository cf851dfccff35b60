from django.urls import include, path

from . import views

consultant_patterns = [
    path("<id:assessment_id>/", views.assessment_detail, name="detail"),
    path(
        "<id:assessment_id>/exports/<str:dataset>.<str:file_format>",
        views.export,
        name="export",
    ),
    path(
        "<id:assessment_id>/exports/<str:dataset>.<str:file_format>/check/",
        views.export_check,
        name="export-check",
    ),
    path("<id:assessment_id>/close/", views.assessment_close, name="close"),
    path("<id:assessment_id>/assessor/", views.assessor_start, name="assessor-start"),
    path("<id:assessment_id>/verification/", views.verification, name="verification"),
    path(
        "<id:assessment_id>/verification/<str:question_key>/",
        views.verify,
        name="verify",
    ),
    path(
        "<id:assessment_id>/verification/<str:question_key>/files/",
        views.evidence_upload,
        name="evidence-upload",
    ),
    path(
        "<id:assessment_id>/evidence/<id:file_id>/",
        views.evidence_download,
        name="evidence-download",
    ),
    path("<id:assessment_id>/due-date/", views.assessment_due_date, name="due-date"),
    path("<id:assessment_id>/respondents/", views.respondent_add, name="respondent-add"),
    path(
        "<id:assessment_id>/respondents/paste/",
        views.respondents_add_bulk,
        name="respondents-add-bulk",
    ),
    path(
        "<id:assessment_id>/respondents/email-all/",
        views.invitations_send_all,
        name="invitations-send-all",
    ),
    path(
        "<id:assessment_id>/respondents/<id:respondent_id>/revoke/",
        views.respondent_revoke,
        name="respondent-revoke",
    ),
    path(
        "<id:assessment_id>/respondents/<id:respondent_id>/reissue/",
        views.respondent_reissue,
        name="respondent-reissue",
    ),
    path(
        "<id:assessment_id>/respondents/<id:respondent_id>/send/",
        views.respondent_send,
        name="respondent-send",
    ),
]

respondent_patterns = [
    path("", views.welcome, name="welcome"),
    path("s/<str:dimension_key>/", views.dimension_page, name="dimension"),
    path("q/<str:question_key>/", views.autosave, name="autosave"),
    path("review/", views.review, name="review"),
    path("submit/", views.submit, name="submit"),
    path("done/", views.done, name="done"),
    path("answers/", views.answers_print, name="answers"),
    path("language/", views.language, name="language"),
]

urlpatterns = [
    path("assessments/", include((consultant_patterns, "assessments"))),
    path("r/<str:token>/", include((respondent_patterns, "respond"))),
]
