from django.urls import include, path

from . import views

consultant_patterns = [
    path("<int:assessment_id>/", views.assessment_detail, name="detail"),
    path("<int:assessment_id>/results/", views.results, name="results"),
    path(
        "<int:assessment_id>/exports/<str:dataset>.<str:file_format>",
        views.export,
        name="export",
    ),
    path("<int:assessment_id>/close/", views.assessment_close, name="close"),
    path("<int:assessment_id>/respondents/", views.respondent_add, name="respondent-add"),
    path(
        "<int:assessment_id>/respondents/<int:respondent_id>/revoke/",
        views.respondent_revoke,
        name="respondent-revoke",
    ),
    path(
        "<int:assessment_id>/respondents/<int:respondent_id>/reissue/",
        views.respondent_reissue,
        name="respondent-reissue",
    ),
    path(
        "<int:assessment_id>/respondents/<int:respondent_id>/send/",
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
]

urlpatterns = [
    path(
        "organizations/<int:organization_id>/assessments/new/",
        views.assessment_create,
        name="assessment-create",
    ),
    path("assessments/", include((consultant_patterns, "assessments"))),
    path("r/<str:token>/", include((respondent_patterns, "respond"))),
]
