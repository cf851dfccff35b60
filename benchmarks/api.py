"""Benchmarks API: an assessment's peer and ROI comparison, the reference data, and an
organization's baselines. No response ever names another organization or carries one
organization's scores: peers appear only as cohort statistics over 5 or more."""

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_field, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.selectors import assessment_for
from common.api import RoundedField
from common.api_errors import ERRORS, error_response
from common.api_input import not_a_json_number
from common.display import display_round
from organizations.policy import Action, authorize

from . import roi, selectors, services
from .baselines import AMOUNTS, CURRENCIES, FIELDS, SHARES
from .models import OrganizationBaseline
from .peers import PeerComparison

ILLUSTRATION = roi.ILLUSTRATION


def _plain(value: float, digits: int = 2) -> int | float:
    """A rounded number, written without ".0" when it is whole (15, 1500000)."""
    rounded = float(display_round(value, digits))
    return int(rounded) if float(rounded).is_integer() else rounded


class PlainNumberField(serializers.FloatField):
    """A reference or money number rounded to `digits` decimals and written without ".0"
    when it is whole (15, 1500000)."""

    def __init__(self, digits: int = 2, **kwargs):
        self.digits = digits
        super().__init__(**kwargs)

    def to_representation(self, value) -> int | float:
        return _plain(float(value), self.digits)


def _metric():
    return serializers.ChoiceField(choices=roi.METRICS)


# --- an assessment's benchmarks -------------------------------------------------------


class PeerDimensionSerializer(serializers.Serializer):
    key = serializers.CharField()
    percentile = RoundedField(allow_null=True)
    median = RoundedField(allow_null=True)
    q1 = RoundedField(allow_null=True)
    q3 = RoundedField(allow_null=True)


# Over `peers.PeerComparison`.
class PeersSerializer(serializers.Serializer):
    """A suppressed cohort carries its name and nothing computed from it."""

    SUPPRESSED_FIELDS = ("cohort", "suppressed")

    cohort = serializers.CharField(help_text='"industry:<key>" or "all"')
    size = serializers.IntegerField(required=False, help_text="Absent if suppressed.")
    suppressed = serializers.BooleanField()
    # null when there is no overall statistic (no `overall`)
    overall_percentile = RoundedField(source="overall.percentile", required=False, allow_null=True)
    dimensions = PeerDimensionSerializer(many=True, required=False)

    def to_representation(self, comparison: PeerComparison) -> dict:
        data = super().to_representation(comparison)
        if comparison.suppressed:
            return {name: data[name] for name in self.SUPPRESSED_FIELDS}
        return data


class RoiBandRangeSerializer(serializers.Serializer):
    metric = _metric()
    low = PlainNumberField()
    high = PlainNumberField()


class RoiPortfolioSerializer(serializers.Serializer):
    metric = _metric()
    value = RoundedField(digits=2)
    position = serializers.ChoiceField(choices=["below", "within", "above"])
    distance = RoundedField(digits=2)


class RoiProjectionSerializer(serializers.Serializer):
    metric = _metric()
    low_value = PlainNumberField()
    high_value = PlainNumberField()
    currency = serializers.ChoiceField(choices=CURRENCIES)
    baseline = PlainNumberField(
        help_text="The whole baseline: operating cost, revenue, or process hours × cost per hour."
    )
    addressable_share = PlainNumberField(
        allow_null=True,
        help_text="% of the baseline the band applies to; null for the efficiency band, whose "
        "process hours are those of the processes AI should accelerate.",
    )
    basis = PlainNumberField(help_text="What the band was applied to: baseline × share.")


class RoiPaybackSerializer(serializers.Serializer):
    investment = PlainNumberField()
    annual_benefit_low = PlainNumberField()
    annual_benefit_high = PlainNumberField()
    annual_benefit_midpoint = PlainNumberField()
    months = RoundedField(allow_null=True, help_text="null when no benefit is projected.")
    currency = serializers.ChoiceField(choices=CURRENCIES)


class UseCaseComparisonSerializer(RoiPortfolioSerializer):
    basis = serializers.ChoiceField(
        choices=["actual", "target"], help_text="The actual value when there is one."
    )
    source = serializers.ChoiceField(
        choices=["values", "percent", "target"],
        help_text="values: computed from the baseline and actual values in units; "
        "percent: the percentage as entered; target: the target percentage.",
    )


# One use case of the portfolio against the bands, over (`roi.UseCaseValues`, comparisons).
class UseCaseBenchmarkSerializer(serializers.Serializer):
    name = serializers.CharField()
    stage = serializers.CharField()
    comparisons = UseCaseComparisonSerializer(many=True)


class RoiSerializer(serializers.Serializer):
    bands = RoiBandRangeSerializer(many=True)
    portfolio = RoiPortfolioSerializer(many=True)
    projection = RoiProjectionSerializer(
        many=True,
        help_text="Only metrics with their baseline and addressable share. " + str(ILLUSTRATION),
    )
    payback = RoiPaybackSerializer(
        allow_null=True,
        help_text="Planned AI investment ÷ (midpoint annual benefit ÷ 12); null without "
        "an investment or a projection. " + str(ILLUSTRATION),
    )
    illustration = serializers.SerializerMethodField()

    def get_illustration(self, data) -> str:
        return str(ILLUSTRATION)

    use_cases = serializers.SerializerMethodField()

    @extend_schema_field(UseCaseBenchmarkSerializer(many=True))
    def get_use_cases(self, obj) -> list:
        rows = [
            {
                "name": values.name,
                "stage": values.stage,
                "comparisons": [
                    {
                        "metric": c.metric,
                        "value": c.value,
                        "position": c.position,
                        "distance": c.distance,
                        "basis": basis,
                        "source": values.actual_basis.get(c.metric) or "percent"
                        if basis == "actual"
                        else "target",
                    }
                    for basis, c in comparisons
                ],
            }
            for values, comparisons in obj.use_cases
        ]
        return UseCaseBenchmarkSerializer(rows, many=True).data


# GET /api/v1/assessments/<id>/benchmarks/, over `selectors.AssessmentBenchmarks`.
class BenchmarksSerializer(serializers.Serializer):
    peers = PeersSerializer()
    roi = RoiSerializer(source="*")


# --- the reference data ---------------------------------------------------------------


class SourceSerializer(serializers.Serializer):
    publisher = serializers.CharField(
        allow_null=True,
        help_text="The primary source the article names (Gartner, AWS, the company of a "
        "case study…); null when it names none.",
    )
    title = serializers.CharField(help_text="The article, secondary source of every figure.")
    citation = serializers.CharField(help_text="The full attribution as shown on every surface.")


class TrendSerializer(serializers.Serializer):
    title = serializers.CharField()
    text = serializers.CharField()


class ArticleSerializer(serializers.Serializer):
    title = serializers.CharField()
    about = serializers.CharField()


class RoiBandSerializer(serializers.Serializer):
    metric = _metric()
    title = serializers.CharField()
    low = PlainNumberField()
    high = PlainNumberField()
    description = serializers.CharField()
    source = SourceSerializer()


class CaseStudySerializer(serializers.Serializer):
    key = serializers.CharField()
    industry = serializers.CharField()
    title = serializers.CharField()
    result = serializers.CharField()
    metric = serializers.CharField()
    value = PlainNumberField()
    unit = serializers.CharField()
    source = SourceSerializer()


class MarketFigureSerializer(serializers.Serializer):
    key = serializers.CharField()
    value = PlainNumberField()
    unit = serializers.CharField()
    statement = serializers.CharField()
    wording = serializers.CharField(help_text="The figure as the article words it.")
    source = SourceSerializer()


# GET /api/v1/benchmarks/reference/, over `reference.BenchmarkReference`.
class BenchmarkReferenceSerializer(serializers.Serializer):
    version = serializers.CharField()
    roi_bands = RoiBandSerializer(many=True)
    case_studies = CaseStudySerializer(many=True)
    market_figures = MarketFigureSerializer(many=True)
    article = ArticleSerializer(allow_null=True)
    outlook = TrendSerializer(many=True)


# --- an organization's baselines ------------------------------------------------------


def _amount_input(digits: int):
    """An amount as benchmarks.baselines.parse_amount takes it: from 0 to less than
    10^digits (at most two decimals), or null."""
    bounds = {"minimum": 0, "maximum": 10**digits, "exclusiveMaximum": True}
    return extend_schema_field({"type": "number", **bounds})(
        type(f"Amount{digits}Field", (serializers.FloatField,), {})
    )


def _baseline_fields(amount_field) -> dict:
    return {
        **{
            name: (amount_field or _amount_input(digits))(
                allow_null=True, min_value=0, help_text=f"{label}: at most two decimals."
            )
            for name, (label, digits) in AMOUNTS.items()
        },
        **{
            name: (amount_field or serializers.FloatField)(
                allow_null=True, min_value=0, max_value=100, help_text=label
            )
            for name, label in SHARES.items()
        },
        "currency": serializers.ChoiceField(choices=CURRENCIES),
    }


# The organization's baselines, over an `OrganizationBaseline` (an unsaved one with the
# defaults when none is stored: every amount null, updated_at null).
class BaselinesSerializer(serializers.Serializer):
    organization = serializers.IntegerField(source="organization_id")
    updated_at = serializers.DateTimeField(allow_null=True)

    def get_fields(self):
        """organization, every amount of `baselines.AMOUNTS` and the currency, updated_at."""
        fields = super().get_fields()
        return {
            "organization": fields["organization"],
            **_baseline_fields(PlainNumberField),
            "updated_at": fields["updated_at"],
        }


BASELINES_INPUT = inline_serializer("BaselinesInput", _baseline_fields(None))


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
        responses={200: BenchmarksSerializer, 403: ERRORS, 404: ERRORS},
    )
    def get(self, request, assessment_id: int):
        assessment, _membership = assessment_for(request.user, assessment_id, Action.READ_RESULTS)
        return Response(BenchmarksSerializer(selectors.assessment_benchmarks(assessment)).data)


class ReferenceView(APIView):
    @extend_schema(
        summary="Benchmark reference data: ROI bands, industry case studies, market figures",
        responses={200: BenchmarkReferenceSerializer, 403: ERRORS, 404: ERRORS},
    )
    def get(self, request):
        reference = selectors.current_reference()
        if reference is None:
            raise exceptions.NotFound(_("No benchmark reference data is loaded yet."))
        return Response(BenchmarkReferenceSerializer(reference).data)


class BaselinesView(APIView):
    parser_classes = [JSONParser]

    @extend_schema(
        summary="The organization's baselines (for the ROI projection)",
        responses={200: BaselinesSerializer, 403: ERRORS, 404: ERRORS},
    )
    def get(self, request, organization_id: int):
        organization = authorize(request.user, organization_id, Action.READ_BASELINES).organization
        baseline = selectors.organization_baseline(organization.pk)
        return Response(_baselines_data(organization.pk, baseline))

    @extend_schema(
        summary="Replace the baselines (consultants and AI CoE leads)",
        description=(
            "Every amount is a non-negative number with at most 2 decimals, or null to "
            "clear it; an addressable share is a percentage from 0 to 100 (the part of the "
            "operating cost or revenue in the processes AI touches: without it that metric "
            "is not projected); currency is one of " + ", ".join(CURRENCIES) + "."
        ),
        request=BASELINES_INPUT,
        responses={200: BaselinesSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS},
    )
    def put(self, request, organization_id: int):
        return self._update(request, organization_id, partial=False)

    @extend_schema(
        summary="Change some baselines (consultants and AI CoE leads)",
        request=BASELINES_INPUT,
        responses={200: BaselinesSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS},
    )
    def patch(self, request, organization_id: int):
        return self._update(request, organization_id, partial=True)

    def _update(self, request, organization_id: int, *, partial: bool):
        organization = authorize(request.user, organization_id, Action.EDIT_BASELINES).organization
        body = request.data
        if not isinstance(body, dict):
            return error_response(
                status.HTTP_400_BAD_REQUEST,
                [
                    {
                        "field": None,
                        "code": "invalid",
                        "message": _("The body must be a JSON object."),
                    }
                ],
            )
        # What the schema says and the page's form (text fields) does not: the amounts are
        # JSON numbers or null, and a PUT gives every field.
        problems = [
            {"field": name, "code": "invalid_type", "message": _("Enter a number or null.")}
            for name in (*AMOUNTS, *SHARES)
            if name in body and body[name] is not None and not_a_json_number(body[name])
        ]
        if not partial:
            problems += [
                {"field": name, "code": "required", "message": _("This field is required.")}
                for name in FIELDS
                if name not in body
            ]
        if problems:
            return error_response(status.HTTP_400_BAD_REQUEST, problems)
        baseline = services.baseline_update(
            organization=organization, data=body, user=request.user, partial=partial
        )
        return Response(_baselines_data(organization.pk, baseline))


def _baselines_data(organization_id: int, baseline: OrganizationBaseline | None) -> dict:
    if baseline is None:  # none stored yet: the defaults (no amounts, never updated)
        baseline = OrganizationBaseline(organization_id=organization_id)
    return BaselinesSerializer(baseline).data
