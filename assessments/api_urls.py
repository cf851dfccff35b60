from django.urls import path

from . import api, api_manage

urlpatterns = [
    path("respond/<str:token>/", api.QuestionnaireView.as_view(), name="api-respond"),
    path(
        "respond/<str:token>/answers/<str:question_key>/",
        api.AnswerView.as_view(),
        name="api-respond-answer",
    ),
    path("respond/<str:token>/submit/", api.SubmitView.as_view(), name="api-respond-submit"),
]

urlpatterns += [
    path("assessments/<id:assessment_id>/scores/", api.ScoresView.as_view(), name="api-scores"),
    path(
        "assessments/<id:assessment_id>/units/",
        api.UnitScoresView.as_view(),
        name="api-unit-scores",
    ),
    path(
        "assessments/<id:assessment_id>/exports/<str:dataset>.<str:file_format>",
        api.ExportView.as_view(),
        name="api-export",
    ),
]

urlpatterns += [
    path("assessments/", api_manage.AssessmentListView.as_view(), name="api-assessments"),
    path(
        "assessments/<id:assessment_id>/",
        api_manage.AssessmentDetailView.as_view(),
        name="api-assessment",
    ),
    path(
        "assessments/<id:assessment_id>/close/",
        api_manage.AssessmentCloseView.as_view(),
        name="api-assessment-close",
    ),
    path(
        "assessments/<id:assessment_id>/respondents/",
        api_manage.RespondentListView.as_view(),
        name="api-respondents",
    ),
    path(
        "assessments/<id:assessment_id>/respondents/<id:respondent_id>/revoke/",
        api_manage.RespondentRevokeView.as_view(),
        name="api-respondent-revoke",
    ),
    path(
        "assessments/<id:assessment_id>/respondents/<id:respondent_id>/reissue/",
        api_manage.RespondentReissueView.as_view(),
        name="api-respondent-reissue",
    ),
    path(
        "assessments/<id:assessment_id>/answers/",
        api_manage.AnswerListView.as_view(),
        name="api-answers",
    ),
]
