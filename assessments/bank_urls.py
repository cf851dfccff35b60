"""The question bank editor (/methodology/): assessments/bank_views.py."""

from django.urls import path

from . import bank_views

app_name = "methodology"

urlpatterns = [
    path("", bank_views.bank_list, name="banks"),
    path("drafts/new/", bank_views.draft_new, name="draft-new"),
    path("drafts/import/", bank_views.draft_import, name="draft-import"),
    path("drafts/<id:draft_id>/", bank_views.draft_detail, name="draft"),
    path(
        "drafts/<id:draft_id>/questions/<slug:question_key>/",
        bank_views.question_edit,
        name="question-edit",
    ),
    path(
        "drafts/<id:draft_id>/dimensions/<slug:dimension_key>/",
        bank_views.dimension_edit,
        name="dimension-edit",
    ),
    path("drafts/<id:draft_id>/publish/", bank_views.draft_publish, name="draft-publish"),
    path("drafts/<id:draft_id>/delete/", bank_views.draft_delete, name="draft-delete"),
    path(
        "drafts/<id:draft_id>/export.<str:file_format>",
        bank_views.draft_export,
        name="draft-export",
    ),
    path(
        "banks/<str:version>/export.<str:file_format>",
        bank_views.bank_export,
        name="bank-export",
    ),
    path("compare/", bank_views.compare, name="compare"),
]
