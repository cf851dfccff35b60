"""Reports API.

- POST /api/v1/reports/ {"assessment": 12, "kind": "full_assessment", "audience": "client"}
  → 202 {"id": 7, "status": "pending", "url": "/api/v1/reports/7/"}
- GET /api/v1/reports/<id>/ → the record (kind, audience, status, attempts, error, pages...)
- GET /api/v1/reports/<id>/download/ → the file (409 while it is not ready)

"file_format" (default "pdf"): "pptx" makes the executive summary as PowerPoint slides,
"docx" the full assessment as a Word document; another combination is a 400 naming it.
"language" ("en", "de"; default: the request's language, from Accept-Language): the
language the document is written in; an unknown one is a 400 naming the field.

Members of the organization read the records and download the client edition; its
consultants and CoE leads request the client edition; the consultant edition (the named
appendix) is requested and downloaded by its consultants only. Another member gets 403
(recorded), as everywhere in the API; everyone else gets 404, as if the report did not
exist. An unknown kind or audience is a 400.
"""

from django.conf import settings
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.functional import lazy
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.selectors import assessment_for
from common.api_errors import ERRORS, error_response
from common.api_input import RefuseUnknownFields
from common.bounds import ID_MAX, ID_MIN
from organizations.policy import Action

from . import selectors, services
from .models import (
    CONTENT_TYPES,
    LANGUAGE_CODES,
    ReportAudience,
    ReportFormat,
    ReportKind,
    ReportRequest,
    ReportStatus,
)

UNKNOWN_KIND = gettext_noop("Unknown report kind %(value)s; use one of: %(choices)s.")
UNKNOWN_AUDIENCE = gettext_noop("Unknown report audience %(value)s; use one of: %(choices)s.")
UNKNOWN_FORMAT = gettext_noop("Unknown file format %(value)s; use one of: %(choices)s.")
UNKNOWN_LANGUAGE = gettext_noop("Unknown report language %(value)s; use one of: %(choices)s.")


def _unknown(message: str, values) -> str:
    """DRF's invalid-choice message, translated when DRF formats it (in the request's
    language): "Unknown report kind 'x'; use one of: a, b." The values stay as the API
    spells them."""

    def text() -> str:
        return _(message) % {"value": "{input!r}", "choices": ", ".join(values)}

    return lazy(text, str)()


class ReportCreateSerializer(RefuseUnknownFields, serializers.Serializer):
    assessment = serializers.IntegerField(min_value=ID_MIN, max_value=ID_MAX)
    kind = serializers.ChoiceField(
        choices=ReportKind.choices,
        error_messages={"invalid_choice": _unknown(UNKNOWN_KIND, ReportKind.values)},
    )
    audience = serializers.ChoiceField(
        choices=ReportAudience.choices,
        default=ReportAudience.CLIENT,
        help_text="client (default): nobody named; consultant: adds the named appendix "
        "and is marked confidential (consultants only).",
        error_messages={"invalid_choice": _unknown(UNKNOWN_AUDIENCE, ReportAudience.values)},
    )
    file_format = serializers.ChoiceField(
        choices=ReportFormat.choices,
        default=ReportFormat.PDF,
        help_text="pdf (default) for every kind; pptx (PowerPoint slides) for the executive "
        "summary; docx (Word, editable) for the full assessment.",
        error_messages={"invalid_choice": _unknown(UNKNOWN_FORMAT, ReportFormat.values)},
    )
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        required=False,
        help_text="The language the document is written in: en or de. Default: the "
        "request's language (Accept-Language), else en.",
        error_messages={"invalid_choice": _unknown(UNKNOWN_LANGUAGE, LANGUAGE_CODES)},
    )


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    assessment = serializers.IntegerField(source="assessment_id")
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    audience = serializers.ChoiceField(choices=ReportAudience.choices)
    file_format = serializers.ChoiceField(choices=ReportFormat.choices)
    language = serializers.ChoiceField(choices=settings.LANGUAGES)
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    attempts = serializers.IntegerField()
    error = serializers.CharField()
    created = serializers.DateTimeField(source="created_at")
    finished = serializers.DateTimeField(source="finished_at", allow_null=True)
    pages = serializers.IntegerField(
        allow_null=True, help_text="Pages of a PDF, slides of a PowerPoint; null for Word."
    )
    download_url = serializers.SerializerMethodField()

    def get_download_url(self, report: ReportRequest) -> str | None:
        if not report.is_ready:
            return None
        return reverse("api-report-download", args=[report.pk])


# The 202 answer to a request: where to follow the report.
class ReportAcceptedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    status = serializers.CharField()
    url = serializers.SerializerMethodField()

    def get_url(self, report: ReportRequest) -> str:
        return reverse("api-report", args=[report.pk])


class ReportCreateView(APIView):
    @extend_schema(
        summary="Request a report: PDF, PowerPoint or Word (rendered in the background)",
        request=ReportCreateSerializer,
        responses={202: ReportAcceptedSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS},
    )
    def post(self, request):
        body = ReportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        assessment, _membership = assessment_for(
            request.user, data["assessment"], selectors.request_action(data["audience"])
        )
        report = services.report_request_create(
            assessment=assessment,
            kind=data["kind"],
            audience=data["audience"],
            file_format=data["file_format"],
            language=data.get("language"),
            user=request.user,
        )
        return Response(ReportAcceptedSerializer(report).data, status=status.HTTP_202_ACCEPTED)


class ReportDetailView(APIView):
    @extend_schema(summary="A report request", responses={200: ReportSerializer, 404: ERRORS})
    def get(self, request, report_id: int):
        return Response(
            ReportSerializer(
                selectors.report_for(request.user, report_id, Action.READ_REPORTS)
            ).data
        )


class ReportDownloadView(APIView):
    @extend_schema(
        summary="Download the report file (PDF, PowerPoint or Word)",
        responses={
            (200, CONTENT_TYPES[ReportFormat.PDF]): OpenApiResponse(
                OpenApiTypes.BINARY, description="PDF"
            ),
            (200, CONTENT_TYPES[ReportFormat.PPTX]): OpenApiResponse(
                OpenApiTypes.BINARY, description="PowerPoint slides (executive summary)"
            ),
            (200, CONTENT_TYPES[ReportFormat.DOCX]): OpenApiResponse(
                OpenApiTypes.BINARY, description="Word document (full assessment)"
            ),
            403: OpenApiResponse(ERRORS, description="The consultant edition: consultants only."),
            404: ERRORS,
            409: OpenApiResponse(ERRORS, description="Not ready yet."),
        },
    )
    def get(self, request, report_id: int):
        report = selectors.report_to_download(request.user, report_id)
        if not report.is_ready or not report.file:
            return error_response(
                status.HTTP_409_CONFLICT,
                [
                    {
                        "field": None,
                        "code": "not_ready",
                        "message": _("The report is not ready yet (%(status)s).")
                        % {"status": report.get_status_display()},
                    }
                ],
            )
        try:
            handle = report.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404(_("The report file is missing.")) from exc
        return FileResponse(
            handle,
            as_attachment=True,
            filename=selectors.download_filename(report),
            content_type=report.content_type,
        )
