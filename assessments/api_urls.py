from django.urls import path

from . import api

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
    path("assessments/<int:assessment_id>/scores/", api.ScoresView.as_view(), name="api-scores"),
    path(
        "assessments/<int:assessment_id>/exports/<str:dataset>.<str:file_format>",
        api.ExportView.as_view(),
        name="api-export",
    ),
]
