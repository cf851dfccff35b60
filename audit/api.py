"""GET /api/v1/organizations/<id>/audit/: the organization's audit log, for its consultants."""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers

from common.api_errors import ERRORS
from common.pagination import Pagination

from .models import AuditEntry
from .selectors import audit_log_for_consultant


class AuditEntrySerializer(serializers.ModelSerializer):
    user = serializers.CharField(source="user.get_username", allow_null=True, default=None)
    respondent = serializers.IntegerField(source="respondent_id", allow_null=True)

    class Meta:
        model = AuditEntry
        fields = [
            "id",
            "created_at",
            "action",
            "actor",
            "user",
            "respondent",
            "object_type",
            "object_id",
            "summary",
            "changes",
            "ip",
            "request_id",
        ]


class OrganizationAuditView(generics.GenericAPIView):
    pagination_class = Pagination
    serializer_class = AuditEntrySerializer
    queryset = AuditEntry.objects.none()  # for the schema (a paginated list)

    @extend_schema(
        summary="The organization's audit log, newest first (consultants only)",
        responses={
            200: AuditEntrySerializer(many=True),
            401: ERRORS,
            404: OpenApiResponse(ERRORS, description="Not a consultant here, or no such page."),
        },
    )
    def get(self, request, organization_id: int):
        _, entries = audit_log_for_consultant(request.user, organization_id)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(entries, request, view=self)
        return paginator.get_paginated_response(AuditEntrySerializer(page, many=True).data)
