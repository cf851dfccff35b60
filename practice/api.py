"""GET /api/v1/portfolio/: the consultant's portfolio as data (DESIGN §11)."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, serializers

from common.api import RoundedField
from common.api_errors import ERRORS
from common.errors import InputError
from common.pagination import Pagination
from organizations.api import PAGE_NOT_FOUND
from organizations.models import Industry, Organization

from . import selectors
from .portfolio import SORTS, STATUSES, BadQuery, Query, select


# One client organization: its latest assessment, scores and what needs attention.
class PortfolioRowSerializer(serializers.Serializer):
    organization_id = serializers.IntegerField()
    organization = serializers.CharField()
    industry = serializers.CharField()
    assessment_id = serializers.IntegerField(allow_null=True)
    assessment = serializers.CharField(allow_null=True)
    status = serializers.ChoiceField(choices=list(STATUSES))
    respondents_submitted = serializers.IntegerField(source="submitted")
    respondents_invited = serializers.IntegerField(source="invited")
    index = RoundedField(allow_null=True)
    level = serializers.IntegerField(allow_null=True)
    level_name = serializers.CharField(allow_null=True)
    phase = serializers.IntegerField(allow_null=True)
    phase_name = serializers.CharField(allow_null=True)
    index_change = RoundedField(allow_null=True)
    level_change = serializers.IntegerField(allow_null=True)
    phase_change = serializers.IntegerField(allow_null=True)
    overdue_milestones = serializers.IntegerField()
    reports_ready = serializers.IntegerField()
    last_activity = serializers.DateTimeField(allow_null=True)


class PortfolioView(generics.GenericAPIView):
    serializer_class = PortfolioRowSerializer
    pagination_class = Pagination
    queryset = Organization.objects.none()  # for the schema: the rows are not a queryset

    @extend_schema(
        summary="My client portfolio (organizations I consult)",
        parameters=[
            OpenApiParameter("industry", str, enum=[v for v, _ in Industry.choices]),
            OpenApiParameter("status", str, enum=list(STATUSES)),
            OpenApiParameter("phase", str, enum=["1", "2", "3", "4"]),
            OpenApiParameter(
                "sort", str, enum=[*SORTS, *(f"-{s}" for s in SORTS)], default="organization"
            ),
        ],
        responses={
            200: PortfolioRowSerializer(many=True),
            400: ERRORS,
            401: ERRORS,
            404: PAGE_NOT_FOUND,
        },
    )
    def get(self, request):
        try:
            query = Query.parse(request.query_params, {v for v, _ in Industry.choices})
        except BadQuery as exc:
            raise InputError(exc.field, "invalid", exc.message) from exc
        rows = select(selectors.portfolio_rows(request.user), query)
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
