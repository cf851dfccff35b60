"""Reports API.

- POST /api/v1/reports/ {"assessment": 12, "kind": "full_assessment"}
  → 202 {"id": 7, "status": "pending", "url": "/api/v1/reports/7/"}
- GET /api/v1/reports/<id>/ → the record (status, attempts, error, pages...)
- GET /api/v1/reports/<id>/download/ → the PDF (409 while it is not ready)

Members of the organization read and download; its consultants and CoE leads request
(another member gets 403, as everywhere in the API); everyone else gets 404, as if the
report did not exist. An unknown kind is a 400.
"""

from django.http import FileResponse, Http404
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.selectors import assessment_for
from common.api_errors import ERRORS, error_response
from common.api_input import RefuseUnknownFields
from organizations.policy import Action

from . import selectors, services
from .models import ReportKind, ReportRequest, ReportStatus


class ReportCreateSerializer(RefuseUnknownFields, serializers.Serializer):
    assessment = serializers.IntegerField(min_value=1)
    kind = serializers.ChoiceField(
        choices=ReportKind.choices,
        error_messages={
            "invalid_choice": "Unknown report kind {input!r}; use one of: "
            + ", ".join(ReportKind.values)
            + "."
        },
    )


class ReportSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    assessment = serializers.IntegerField(source="assessment_id")
    kind = serializers.ChoiceField(choices=ReportKind.choices)
    status = serializers.ChoiceField(choices=ReportStatus.choices)
    attempts = serializers.IntegerField()
    error = serializers.CharField()
    created = serializers.DateTimeField(source="created_at")
    finished = serializers.DateTimeField(source="finished_at", allow_null=True)
    pages = serializers.IntegerField(allow_null=True)
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
        summary="Request a PDF report (rendered in the background)",
        request=ReportCreateSerializer,
        responses={202: ReportAcceptedSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS},
    )
    def post(self, request):
        body = ReportCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        assessment, _ = assessment_for(
            request.user, body.validated_data["assessment"], Action.REQUEST_CLIENT_REPORT
        )
        report = services.report_request_create(
            assessment=assessment, kind=body.validated_data["kind"], user=request.user
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
        summary="Download the PDF",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="PDF"),
            404: ERRORS,
            409: OpenApiResponse(ERRORS, description="Not ready yet."),
        },
    )
    def get(self, request, report_id: int):
        report = selectors.report_for(request.user, report_id, Action.READ_REPORTS)
        if not report.is_ready or not report.file:
            return error_response(
                status.HTTP_409_CONFLICT,
                [{"field": None, "code": "not_ready", "message": f"The report is {report.status}"}],
            )
        try:
            handle = report.file.open("rb")
        except FileNotFoundError as exc:
            raise Http404("The report file is missing.") from exc
        return FileResponse(
            handle,
            as_attachment=True,
            filename=selectors.download_filename(report),
            content_type="application/pdf",
        )
