"""Benchmarks API: an assessment's peer and ROI comparison, the reference data, and an
organization's baselines. No response ever names another organization or carries one
organization's scores: peers appear only as cohort statistics over 5 or more."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.selectors import assessment_for_member
from common.api import rounded
from common.api_errors import ERRORS, error_response
from organizations.api import member_with_role
from organizations.selectors import organization_for_member

from . import selectors, services
from .baselines import AMOUNTS, CURRENCIES
from .models import OrganizationBaseline
from .peers import PeerComparison
from .reference import BenchmarkReference


def _plain(value: float, digits: int = 2) -> int | float:
    """A rounded number, written without ".0" when it is whole (15, 1500000)."""
    rounded = round(value, digits)
    return int(rounded) if float(rounded).is_integer() else rounded


def peers_payload(comparison: PeerComparison) -> dict:
    """A suppressed cohort carries its name and nothing computed from it."""
    if comparison.suppressed:
        return {"cohort": comparison.cohort, "suppressed": True}
    return {
        "cohort": comparison.cohort,
        "size": comparison.size,
        "suppressed": False,
        "overall_percentile": rounded(
            comparison.overall.percentile if comparison.overall else None
        ),
        "dimensions": [
            {
                "key": s.key,
                "percentile": rounded(s.percentile),
                "median": rounded(s.median),
                "q1": rounded(s.q1),
                "q3": rounded(s.q3),
            }
            for s in comparison.dimensions
        ],
    }


def benchmarks_payload(result: selectors.AssessmentBenchmarks) -> dict:
    """The documented shape of GET /api/v1/assessments/<id>/benchmarks/."""
    return {
        "peers": peers_payload(result.peers),
        "roi": {
            "bands": [
                {"metric": b.metric, "low": _plain(b.low), "high": _plain(b.high)}
                for b in result.bands
            ],
            "portfolio": [
                {
                    "metric": c.metric,
                    "value": rounded(c.value, 2),
                    "position": c.position,
                    "distance": rounded(c.distance, 2),
                }
                for c in result.portfolio
            ],
            "projection": [
                {
                    "metric": p.metric,
                    "low_value": _plain(p.low_value),
                    "high_value": _plain(p.high_value),
                    "currency": p.currency,
                }
                for p in result.projection
            ],
        },
    }


def reference_payload(reference: BenchmarkReference) -> dict:
    return {
        "version": reference.version,
        "roi_bands": [
            {
                "metric": b.metric,
                "title": b.title,
                "low": _plain(b.low),
                "high": _plain(b.high),
                "description": b.description,
                "source": b.source,
            }
            for b in reference.roi_bands
        ],
        "case_studies": [
            {
                "key": c.key,
                "industry": c.industry,
                "title": c.title,
                "result": c.result,
                "metric": c.metric,
                "value": _plain(c.value),
                "unit": c.unit,
                "source": c.source,
            }
            for c in reference.case_studies
        ],
        "market_figures": [
            {
                "key": f.key,
                "value": _plain(f.value),
                "unit": f.unit,
                "statement": f.statement,
                "source": f.source,
            }
            for f in reference.market_figures
        ],
    }


def baseline_payload(organization_id: int, baseline: OrganizationBaseline | None) -> dict:
    def number(name):
        value = getattr(baseline, name) if baseline else None
        return None if value is None else _plain(float(value))

    return {
        "organization": organization_id,
        **{name: number(name) for name in AMOUNTS},
        "currency": baseline.currency if baseline else OrganizationBaseline().currency,
        "updated_at": baseline.updated_at if baseline else None,
    }


# --- schema ---------------------------------------------------------------------------

_METRIC = serializers.ChoiceField(choices=["cost_reduction", "revenue_increase", "efficiency_gain"])
PEER_DIMENSION = {
    "key": serializers.CharField(),
    "percentile": serializers.FloatField(allow_null=True),
    "median": serializers.FloatField(allow_null=True),
    "q1": serializers.FloatField(allow_null=True),
    "q3": serializers.FloatField(allow_null=True),
}
BENCHMARKS = inline_serializer(
    "Benchmarks",
    {
        "peers": inline_serializer(
            "Peers",
            {
                "cohort": serializers.CharField(help_text='"industry:<key>" or "all"'),
                "size": serializers.IntegerField(required=False, help_text="Absent if suppressed."),
                "suppressed": serializers.BooleanField(),
                "overall_percentile": serializers.FloatField(required=False, allow_null=True),
                "dimensions": inline_serializer(
                    "PeerDimension", PEER_DIMENSION, many=True, required=False
                ),
            },
        ),
        "roi": inline_serializer(
            "Roi",
            {
                "bands": inline_serializer(
                    "RoiBandRange",
                    {
                        "metric": _METRIC,
                        "low": serializers.FloatField(),
                        "high": serializers.FloatField(),
                    },
                    many=True,
                ),
                "portfolio": inline_serializer(
                    "RoiPortfolio",
                    {
                        "metric": _METRIC,
                        "value": serializers.FloatField(),
                        "position": serializers.ChoiceField(choices=["below", "within", "above"]),
                        "distance": serializers.FloatField(),
                    },
                    many=True,
                ),
                "projection": inline_serializer(
                    "RoiProjection",
                    {
                        "metric": _METRIC,
                        "low_value": serializers.FloatField(),
                        "high_value": serializers.FloatField(),
                        "currency": serializers.ChoiceField(choices=CURRENCIES),
                    },
                    many=True,
                ),
            },
        ),
    },
)
_TEXT = serializers.CharField
REFERENCE = inline_serializer(
    "BenchmarkReference",
    {
        "version": _TEXT(),
        "roi_bands": inline_serializer(
            "RoiBand",
            {
                "metric": _METRIC,
                "title": _TEXT(),
                "low": serializers.FloatField(),
                "high": serializers.FloatField(),
                "description": _TEXT(),
                "source": _TEXT(),
            },
            many=True,
        ),
        "case_studies": inline_serializer(
            "CaseStudy",
            {
                "key": _TEXT(),
                "industry": _TEXT(),
                "title": _TEXT(),
                "result": _TEXT(),
                "metric": _TEXT(),
                "value": serializers.FloatField(),
                "unit": _TEXT(),
                "source": _TEXT(),
            },
            many=True,
        ),
        "market_figures": inline_serializer(
            "MarketFigure",
            {
                "key": _TEXT(),
                "value": serializers.FloatField(),
                "unit": _TEXT(),
                "statement": _TEXT(),
                "source": _TEXT(),
            },
            many=True,
        ),
    },
)
BASELINE_FIELDS = {
    **{
        name: serializers.FloatField(allow_null=True, min_value=0, help_text=label)
        for name, (label, _) in AMOUNTS.items()
    },
    "currency": serializers.ChoiceField(choices=CURRENCIES),
}
BASELINES = inline_serializer(
    "Baselines",
    {
        "organization": serializers.IntegerField(),
        **BASELINE_FIELDS,
        "updated_at": serializers.DateTimeField(allow_null=True),
    },
)
BASELINES_INPUT = inline_serializer("BaselinesInput", BASELINE_FIELDS)


# --- views ----------------------------------------------------------------------------


class AssessmentBenchmarksView(APIView):
    @extend_schema(
        summary="Peer comparison and ROI against the benchmark bands, for an assessment",
        description=(
            "peers: the organization's percentile for the index and each dimension among "
            "the latest closed assessments of other organizations of its industry (all "
            "industries when its industry has fewer than 5), with the cohort's median and "
            "quartiles. A cohort of fewer than 5 is suppressed: only its name is returned."
        ),
        responses={200: BENCHMARKS, 403: ERRORS, 404: ERRORS},
    )
    def get(self, request, assessment_id: int):
        assessment = assessment_for_member(request.user, assessment_id)
        return Response(benchmarks_payload(selectors.assessment_benchmarks(assessment)))


class ReferenceView(APIView):
    @extend_schema(
        summary="Benchmark reference data: ROI bands, industry case studies, market figures",
        responses={200: REFERENCE, 403: ERRORS, 404: ERRORS},
    )
    def get(self, request):
        reference = selectors.current_reference()
        if reference is None:
            raise exceptions.NotFound("No benchmark reference data is loaded yet.")
        return Response(reference_payload(reference))


class BaselinesView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="The organization's baselines (for the ROI projection)",
        responses={200: BASELINES, 403: ERRORS, 404: ERRORS},
    )
    def get(self, request, organization_id: int):
        organization, _ = organization_for_member(request.user, organization_id)
        baseline = selectors.organization_baseline(organization.pk)
        return Response(baseline_payload(organization.pk, baseline))

    @extend_schema(
        summary="Replace the baselines (consultants and AI CoE leads)",
        description=(
            "Every amount is a non-negative number with at most 2 decimals, or null to "
            "clear it; currency is one of " + ", ".join(CURRENCIES) + "."
        ),
        request=BASELINES_INPUT,
        responses={200: BASELINES, 400: ERRORS, 403: ERRORS, 404: ERRORS},
    )
    def put(self, request, organization_id: int):
        return self._update(request, organization_id, partial=False)

    @extend_schema(
        summary="Change some baselines (consultants and AI CoE leads)",
        request=BASELINES_INPUT,
        responses={200: BASELINES, 400: ERRORS, 403: ERRORS, 404: ERRORS},
    )
    def patch(self, request, organization_id: int):
        return self._update(request, organization_id, partial=True)

    def _update(self, request, organization_id: int, *, partial: bool):
        organization, _ = member_with_role(
            request.user, organization_id, selectors.BASELINE_EDITORS, "change the baselines"
        )
        body = request.data
        if not isinstance(body, dict):
            return error_response(
                status.HTTP_400_BAD_REQUEST,
                [{"field": None, "code": "invalid", "message": "The body must be a JSON object."}],
            )
        baseline = services.baseline_update(
            organization=organization, data=body, user=request.user, partial=partial
        )
        return Response(baseline_payload(organization.pk, baseline))
