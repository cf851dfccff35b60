"""Roadmap API: placement of an assessment; roadmaps, milestones and use cases.

Members of the organization read; its consultants and CoE leads write; a member without
that role (an executive) gets 403, as in the other APIs; everyone else gets 404, as if
the object did not exist; an anonymous caller 401. Errors use the one API format
{"errors": [{"field", "code", "message"}]}: bad input is a 400, never a 500.
"""

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.selectors import assessment_for
from common.api import RoundedField
from common.api_errors import ERRORS
from common.api_input import RefuseUnknownFields
from organizations.policy import Action, allows, authorize

from . import selectors, services, whatif
from .models import Milestone, MilestoneStatus, Roadmap, UseCase
from .portfolio import PERCENT_MAX, PERCENT_MESSAGE, PERCENT_MIN, percent_problem
from .tracking import PhaseStatus


class CriterionSerializer(serializers.Serializer):
    phase = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["dimension", "use_cases"])
    dimension = serializers.CharField(allow_null=True)
    required = serializers.FloatField()
    actual = RoundedField(allow_null=True)
    met = serializers.BooleanField()
    insufficient = serializers.BooleanField()


class RecommendationSerializer(serializers.Serializer):
    key = serializers.CharField()
    dimension = serializers.CharField()
    action = serializers.CharField()
    horizon = serializers.ChoiceField(choices=["quick_win", "strategic"])
    questions = serializers.ListField(child=serializers.CharField())
    impact = RoundedField()


# GET /api/v1/assessments/<id>/placement/, over `placement.Placement`.
class PlacementSerializer(serializers.Serializer):
    phase = serializers.IntegerField()
    phase_name = serializers.CharField()
    next_phase = serializers.IntegerField(allow_null=True)
    readiness = RoundedField(digits=2, allow_null=True)
    points_missing = RoundedField(
        source="points_missing_shown",
        help_text="The sum of the next gate's gaps, each as displayed (one decimal).",
    )
    criteria = CriterionSerializer(many=True)
    recommendations = RecommendationSerializer(many=True)
    reference_version = serializers.CharField(
        help_text="Roadmap reference data placed with: the version in force when the "
        "assessment closed (open: its roadmap's, else the latest)."
    )


class PlacementView(APIView):
    @extend_schema(
        summary="Roadmap phase of an assessment, its gate criteria and what moves it",
        responses={200: PlacementSerializer, 403: ERRORS, 404: ERRORS},
    )
    def get(self, request, assessment_id: int):
        assessment, _ = assessment_for(request.user, assessment_id, Action.READ_RESULTS)
        return Response(PlacementSerializer(selectors.assessment_placement(assessment)).data)


# --- what-if (DESIGN §10) ---------------------------------------------------------------


class WhatIfInputSerializer(RefuseUnknownFields, serializers.Serializer):
    changes = serializers.DictField(
        child=serializers.JSONField(),
        allow_empty=True,
        help_text="Question key → organization value, a whole level from 1 to 5. Unknown "
        "keys and bad levels are a 400 naming `changes.<key>`.",
    )


class ProjectedDimensionSerializer(serializers.Serializer):
    key = serializers.CharField()
    title = serializers.CharField()
    score = RoundedField(allow_null=True)
    baseline = RoundedField(allow_null=True, help_text="The stored score, before the changes.")
    coverage = RoundedField(digits=2)
    insufficient = serializers.BooleanField()


class RaiseSerializer(serializers.Serializer):
    question = serializers.CharField()
    dimension = serializers.CharField()
    current = RoundedField()
    needed = serializers.IntegerField()
    steps = serializers.IntegerField()
    criterion = serializers.CharField()


class CheapestPathSerializer(serializers.Serializer):
    target_phase = serializers.IntegerField(allow_null=True)
    reachable = serializers.BooleanField()
    total_raises = serializers.IntegerField()
    raises = RaiseSerializer(many=True)
    blockers = serializers.ListField(child=serializers.CharField())


# POST /api/v1/assessments/<id>/what-if/, over `whatif.Projection`.
class WhatIfSerializer(serializers.Serializer):
    changes = serializers.DictField(child=serializers.IntegerField())
    dimensions = ProjectedDimensionSerializer(many=True)
    index = RoundedField(allow_null=True)
    baseline_index = RoundedField(allow_null=True)
    level = serializers.IntegerField(allow_null=True)
    level_name = serializers.CharField(allow_null=True)
    baseline_phase = serializers.IntegerField()
    placement = PlacementSerializer()
    cheapest_path = CheapestPathSerializer(help_text="From the projected state to its next phase.")


class WhatIfView(APIView):
    @extend_schema(
        summary="Project scores and placement with some question values changed",
        description="Nothing is stored. Every member of the organization may run it.",
        request=WhatIfInputSerializer,
        responses={200: WhatIfSerializer, 400: ERRORS, 403: ERRORS, 404: ERRORS},
    )
    def post(self, request, assessment_id: int):
        assessment, _ = assessment_for(request.user, assessment_id, Action.RUN_WHAT_IF)
        data = _validated(WhatIfInputSerializer, request)
        base = selectors.what_if_base(assessment)
        changes = services.what_if_changes(base, data["changes"])
        return Response(WhatIfSerializer(whatif.what_if(base, changes)).data)


# --- targets (DESIGN §10) ---------------------------------------------------------------


class TargetInputSerializer(RefuseUnknownFields, serializers.Serializer):
    unit = serializers.IntegerField(
        min_value=1,
        max_value=2**63 - 1,
        allow_null=True,
        required=False,
        default=None,
        help_text="A business unit of the organization; null: the whole organization.",
    )
    dimension = serializers.CharField(max_length=64)
    score = serializers.FloatField(min_value=0, max_value=100)
    due_date = serializers.DateField()


# An item of GET /api/v1/organizations/<id>/targets/, over `targets.TargetState`.
class TargetSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="target_id")
    unit = serializers.CharField(help_text="The unit's name, or the organization's.")
    for_organization = serializers.BooleanField()
    dimension = serializers.CharField()
    target = RoundedField()
    due_date = serializers.DateField()
    score = RoundedField(allow_null=True, help_text="Current score (null: none, or hidden).")
    gap = RoundedField(allow_null=True, help_text="target − score")
    met = serializers.BooleanField()
    progress = RoundedField(digits=2, allow_null=True)


def _target_states(request, organization_id: int, membership):
    roadmap = Roadmap.objects.filter(organization_id=organization_id).first()
    source = (
        selectors.placement_source(roadmap)
        if roadmap
        else selectors.assessments_with_submissions(organization_id).first()
    )
    if source is None:
        return []
    return selectors.target_states(
        organization_id,
        source,
        min_group=None
        if allows(membership, Action.READ_NAMED_ANSWERS)
        else settings.CONFIDENTIALITY_MIN_GROUP,
        first=selectors.first_closed_assessment(organization_id),
    )


class OrganizationTargetsView(APIView):
    @extend_schema(
        summary="The organization's targets with the current scores, gap and progress",
        responses={200: TargetSerializer(many=True), 403: ERRORS, 404: ERRORS},
    )
    def get(self, request, organization_id: int):
        membership = authorize(request.user, organization_id, Action.READ_ROADMAP)
        states = _target_states(request, organization_id, membership)
        return Response(TargetSerializer(states, many=True).data)

    @extend_schema(
        summary="Set a target (setting one again replaces its score and date)",
        request=TargetInputSerializer,
        responses={200: TargetSerializer(many=True), 400: ERRORS, 403: ERRORS, 404: ERRORS},
    )
    def post(self, request, organization_id: int):
        membership = authorize(request.user, organization_id, Action.SET_TARGETS)
        data = _validated(TargetInputSerializer, request)
        services.target_set(organization=membership.organization, user=request.user, **data)
        states = _target_states(request, organization_id, membership)
        return Response(TargetSerializer(states, many=True).data)


# --- tracking: input ------------------------------------------------------------------

MAX_ID = 2**63 - 1  # larger ids cannot be looked up (PostgreSQL bigint)


@extend_schema_field({"type": "number", "minimum": PERCENT_MIN, "maximum": PERCENT_MAX})
class PercentField(serializers.FloatField):
    default_error_messages = {
        "invalid": gettext_lazy("Enter a number (a percentage from −100 to 100)."),
        "not_a_number": gettext_lazy("Enter a number, not a boolean."),
        "out_of_range": PERCENT_MESSAGE,
    }

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, required=False, default=None, **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("not_a_number")
        value = super().to_internal_value(data)
        if percent_problem(value) is not None:
            self.fail("out_of_range")
        return value


class ValueField(serializers.FloatField):
    """A value in units (hours, €, error rate…); the actual percentage is computed from
    a baseline and an actual value."""

    default_error_messages = {"not_a_number": gettext_lazy("Enter a number, not a boolean.")}

    def __init__(self, **kwargs):
        super().__init__(
            allow_null=True,
            required=False,
            default=None,
            min_value=-services.VALUE_LIMIT,
            max_value=services.VALUE_LIMIT,
            **kwargs,
        )

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("not_a_number")
        return super().to_internal_value(data)


# tracking.EARLIEST_DATE to LATEST_DATE (2000-01-01 to 2100-12-31), as a pattern: JSON
# Schema has no bounds for dates.
_DATE_IN_RANGE = r"^(20[0-9]{2}-[0-9]{2}-[0-9]{2}|2100-[0-9]{2}-[0-9]{2})$"


@extend_schema_field({"type": "string", "format": "date", "pattern": _DATE_IN_RANGE})
class BoundedDateField(serializers.DateField):
    """A date from 2000-01-01 to 2100-12-31 (the services refuse any other, naming the
    field); the schema says so."""


class RoadmapInputSerializer(RefuseUnknownFields, serializers.Serializer):
    assessment = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    start_date = BoundedDateField()


def _text(max_length: int, **kwargs):
    return serializers.CharField(
        max_length=max_length, allow_blank=True, required=False, default="", **kwargs
    )


class MilestoneInputSerializer(RefuseUnknownFields, serializers.Serializer):
    title = serializers.CharField(max_length=200)
    phase = serializers.IntegerField(min_value=1, max_value=4)
    owner_user = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        allow_null=True,
        required=False,
        default=None,
        help_text="User id of a member of the organization (gets the weekly digest).",
    )
    owner = _text(200, help_text="Free text, for an owner without an account.")
    start_date = BoundedDateField(allow_null=True, required=False, default=None)
    due_date = BoundedDateField(allow_null=True, required=False, default=None)
    depends_on = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        default=list,
        max_length=100,
        help_text="Ids of milestones of the same roadmap that must be done first.",
    )
    status = serializers.ChoiceField(
        choices=MilestoneStatus.choices, required=False, default=MilestoneStatus.NOT_STARTED
    )
    notes = _text(services.MAX_NOTES_LENGTH)
    completed_on = BoundedDateField(
        allow_null=True,
        required=False,
        default=None,
        help_text="Set to today when the status becomes done (unless given); cleared otherwise.",
    )


class UseCaseInputSerializer(RefuseUnknownFields, serializers.Serializer):
    name = serializers.CharField(max_length=200)
    business_unit = _text(200)
    stage = serializers.ChoiceField(
        choices=UseCase.Stage.choices, required=False, default=UseCase.Stage.IDEA
    )
    owner = _text(200)
    cost_reduction_baseline = PercentField()
    cost_reduction_target = PercentField()
    cost_reduction_actual = PercentField()
    revenue_increase_baseline = PercentField()
    revenue_increase_target = PercentField()
    revenue_increase_actual = PercentField()
    efficiency_gain_baseline = PercentField()
    efficiency_gain_target = PercentField()
    efficiency_gain_actual = PercentField()
    cost_reduction_unit = _text(40, help_text="Unit of the values, e.g. € per year.")
    cost_reduction_baseline_value = ValueField()
    cost_reduction_actual_value = ValueField()
    revenue_increase_unit = _text(40)
    revenue_increase_baseline_value = ValueField()
    revenue_increase_actual_value = ValueField()
    efficiency_gain_unit = _text(40, help_text="e.g. hours per year, or error rate %.")
    efficiency_gain_baseline_value = ValueField()
    efficiency_gain_actual_value = ValueField()


def _validated(serializer_class, request, *, partial: bool = False) -> dict:
    serializer = serializer_class(data=request.data, partial=partial)
    serializer.is_valid(raise_exception=True)
    return dict(serializer.validated_data)


# --- tracking: output -----------------------------------------------------------------


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = [
            "id",
            "roadmap",
            "phase",
            "title",
            "owner_user",
            "owner",
            "start_date",
            "due_date",
            "depends_on",
            "status",
            "notes",
            "completed_on",
            "position",
            "source",
            "recommendation_key",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields


class UseCaseSerializer(serializers.ModelSerializer):
    actual_percent = serializers.SerializerMethodField(
        help_text="Per metric: the actual percentage used against the ROI bands and its "
        "source (values: computed from the values in units; percent: as entered)."
    )

    class Meta:
        model = UseCase
        fields = [
            "id",
            "organization",
            *services.USE_CASE_FIELDS,
            "actual_percent",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(
        {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "value": {"type": "number", "nullable": True},
                    "source": {"type": "string", "enum": ["values", "percent", ""]},
                },
            },
        }
    )
    def get_actual_percent(self, obj) -> dict:
        result = {}
        for metric in services.METRICS:
            value, source = obj.actual_percent(metric)
            result[metric] = {"value": None if value is None else round(value, 2), "source": source}
        return result


# One phase of a roadmap, over `tracking.PhaseProgress`.
class PhaseSerializer(serializers.Serializer):
    phase = serializers.IntegerField()
    name = serializers.CharField()
    start = serializers.DateField(
        source="window.start", allow_null=True, help_text="null: passed before the start"
    )
    end = serializers.DateField(
        source="window.end", allow_null=True, help_text="null with a start: ongoing"
    )
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    status = serializers.CharField(help_text="One of: " + ", ".join(s.value for s in PhaseStatus))
    status_label = serializers.CharField(source="label")


# An item of GET /api/v1/roadmaps/, over `selectors.RoadmapSummary`.
class RoadmapSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField(source="roadmap.pk")
    organization = serializers.IntegerField(source="roadmap.organization_id")
    assessment = serializers.IntegerField(source="roadmap.assessment_id")
    start_date = serializers.DateField(source="roadmap.start_date")
    starting_phase = serializers.IntegerField(source="roadmap.starting_phase")
    reference_version = serializers.CharField(source="roadmap.reference.version")
    milestones_done = serializers.IntegerField()
    milestones_total = serializers.IntegerField()


# GET /api/v1/roadmaps/<id>/, over `selectors.RoadmapState`.
class RoadmapSerializer(RoadmapSummarySerializer):
    current_phase = serializers.IntegerField(source="placement.phase")
    current_phase_name = serializers.CharField(source="placement.phase_name")
    placed_from_assessment = serializers.IntegerField(source="placed_from.pk")
    status = serializers.CharField(source="tracking.status")
    phases = PhaseSerializer(many=True, source="tracking.phases")


def _roadmap_data(roadmap: Roadmap) -> dict:
    return RoadmapSerializer(selectors.roadmap_state(roadmap, timezone.localdate())).data


# --- tracking: views ------------------------------------------------------------------

WRITE_ERRORS = {400: ERRORS, 403: ERRORS, 404: ERRORS, 409: ERRORS}  # 409: deleted meanwhile


class RoadmapListView(APIView):
    @extend_schema(
        summary="Roadmaps of the organizations you are a member of",
        responses={200: RoadmapSummarySerializer(many=True), 403: ERRORS},
    )
    def get(self, request):
        summaries = selectors.roadmap_summaries(request.user)
        return Response(RoadmapSummarySerializer(summaries, many=True).data)

    @extend_schema(
        summary="Start the organization's roadmap from one of its assessments",
        description="Consultants and CoE leads of the assessment's organization. The "
        "assessment needs a submission; an organization has one roadmap (409).",
        request=RoadmapInputSerializer,
        responses={201: RoadmapSerializer, 409: ERRORS, **WRITE_ERRORS},
    )
    def post(self, request):
        data = _validated(RoadmapInputSerializer, request)
        assessment, _ = assessment_for(request.user, data["assessment"], Action.EDIT_ROADMAP)
        roadmap = services.roadmap_create(
            assessment=assessment,
            start_date=data["start_date"],
            user=request.user,
        )
        roadmap = selectors.roadmap_for(request.user, roadmap.pk, Action.READ_ROADMAP)
        return Response(_roadmap_data(roadmap), status=status.HTTP_201_CREATED)


class RoadmapDetailView(APIView):
    @extend_schema(
        summary="A roadmap: planned phase windows, progress and status of each phase",
        responses={200: RoadmapSerializer, 403: ERRORS, 404: ERRORS},
    )
    def get(self, request, roadmap_id: int):
        roadmap = selectors.roadmap_for(request.user, roadmap_id, Action.READ_ROADMAP)
        return Response(_roadmap_data(roadmap))

    @extend_schema(
        summary="Delete a roadmap and its milestones",
        responses={
            204: OpenApiResponse(description="Deleted"),
            403: ERRORS,
            404: ERRORS,
            409: ERRORS,
        },
    )
    def delete(self, request, roadmap_id: int):
        roadmap = selectors.roadmap_for(request.user, roadmap_id, Action.EDIT_ROADMAP)
        services.roadmap_delete(roadmap=roadmap, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class RoadmapMilestonesView(APIView):
    @extend_schema(
        summary="Milestones of a roadmap, by phase and position",
        responses={200: MilestoneSerializer(many=True), 403: ERRORS, 404: ERRORS},
    )
    def get(self, request, roadmap_id: int):
        roadmap = selectors.roadmap_for(request.user, roadmap_id, Action.READ_ROADMAP)
        milestones = roadmap.milestones.prefetch_related("depends_on").order_by(
            "phase", "position", "id"
        )
        return Response(MilestoneSerializer(milestones, many=True).data)

    @extend_schema(
        summary="Add a milestone (last in its phase)",
        request=MilestoneInputSerializer,
        responses={201: MilestoneSerializer, **WRITE_ERRORS},
    )
    def post(self, request, roadmap_id: int):
        roadmap = selectors.roadmap_for(request.user, roadmap_id, Action.EDIT_ROADMAP)
        data = _validated(MilestoneInputSerializer, request)
        milestone = services.milestone_create(roadmap=roadmap, user=request.user, data=data)
        return Response(MilestoneSerializer(milestone).data, status=status.HTTP_201_CREATED)


class MilestoneDetailView(APIView):
    @extend_schema(
        summary="A milestone", responses={200: MilestoneSerializer, 403: ERRORS, 404: ERRORS}
    )
    def get(self, request, milestone_id: int):
        milestone = selectors.milestone_for(request.user, milestone_id, Action.READ_ROADMAP)
        return Response(MilestoneSerializer(milestone).data)

    def _update(self, request, milestone_id: int, *, partial: bool):
        milestone = selectors.milestone_for(request.user, milestone_id, Action.EDIT_ROADMAP)
        data = _validated(MilestoneInputSerializer, request, partial=partial)
        milestone = services.milestone_update(milestone=milestone, user=request.user, data=data)
        return Response(MilestoneSerializer(milestone).data)

    @extend_schema(
        summary="Replace a milestone (fields left out take their defaults)",
        request=MilestoneInputSerializer,
        responses={200: MilestoneSerializer, **WRITE_ERRORS},
    )
    def put(self, request, milestone_id: int):
        return self._update(request, milestone_id, partial=False)

    @extend_schema(
        summary="Change some fields of a milestone (status done sets the completion date)",
        request=MilestoneInputSerializer(partial=True),
        responses={200: MilestoneSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, milestone_id: int):
        return self._update(request, milestone_id, partial=True)

    @extend_schema(
        summary="Delete a milestone",
        responses={204: OpenApiResponse(description="Deleted"), 403: ERRORS, 404: ERRORS},
    )
    def delete(self, request, milestone_id: int):
        milestone = selectors.milestone_for(request.user, milestone_id, Action.EDIT_ROADMAP)
        services.milestone_delete(milestone=milestone, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class OrganizationUseCasesView(APIView):
    @extend_schema(
        summary="The organization's use-case portfolio",
        responses={200: UseCaseSerializer(many=True), 403: ERRORS, 404: ERRORS},
    )
    def get(self, request, organization_id: int):
        organization = authorize(request.user, organization_id, Action.READ_ROADMAP).organization
        return Response(UseCaseSerializer(selectors.use_cases_of(organization.pk), many=True).data)

    @extend_schema(
        summary="Add a use case; ROI metrics are percentages from −100 to 100",
        request=UseCaseInputSerializer,
        responses={201: UseCaseSerializer, **WRITE_ERRORS},
    )
    def post(self, request, organization_id: int):
        organization = authorize(request.user, organization_id, Action.EDIT_ROADMAP).organization
        data = _validated(UseCaseInputSerializer, request)
        use_case = services.use_case_create(organization=organization, user=request.user, data=data)
        return Response(UseCaseSerializer(use_case).data, status=status.HTTP_201_CREATED)


class UseCaseDetailView(APIView):
    @extend_schema(
        summary="A use case", responses={200: UseCaseSerializer, 403: ERRORS, 404: ERRORS}
    )
    def get(self, request, use_case_id: int):
        use_case = selectors.use_case_for(request.user, use_case_id, Action.READ_ROADMAP)
        return Response(UseCaseSerializer(use_case).data)

    def _update(self, request, use_case_id: int, *, partial: bool):
        use_case = selectors.use_case_for(request.user, use_case_id, Action.EDIT_ROADMAP)
        data = _validated(UseCaseInputSerializer, request, partial=partial)
        use_case = services.use_case_update(use_case=use_case, user=request.user, data=data)
        return Response(UseCaseSerializer(use_case).data)

    @extend_schema(
        summary="Replace a use case (fields left out take their defaults)",
        request=UseCaseInputSerializer,
        responses={200: UseCaseSerializer, **WRITE_ERRORS},
    )
    def put(self, request, use_case_id: int):
        return self._update(request, use_case_id, partial=False)

    @extend_schema(
        summary="Change some fields of a use case",
        request=UseCaseInputSerializer(partial=True),
        responses={200: UseCaseSerializer, **WRITE_ERRORS},
    )
    def patch(self, request, use_case_id: int):
        return self._update(request, use_case_id, partial=True)

    @extend_schema(
        summary="Delete a use case",
        responses={204: OpenApiResponse(description="Deleted"), 403: ERRORS, 404: ERRORS},
    )
    def delete(self, request, use_case_id: int):
        use_case = selectors.use_case_for(request.user, use_case_id, Action.EDIT_ROADMAP)
        services.use_case_delete(use_case=use_case, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
