"""Roadmap API: placement of an assessment (and, below, roadmaps, milestones, use cases)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from assessments.api import ERRORS
from assessments.selectors import assessment_for_member

from . import selectors
from .placement import Placement


def _round(value: float | None, digits: int = 1) -> float | None:
    return None if value is None else round(value, digits)


def placement_payload(placement: Placement) -> dict:
    """The documented shape of GET /api/v1/assessments/<id>/placement/."""
    return {
        "phase": placement.phase,
        "phase_name": placement.phase_name,
        "next_phase": placement.next_phase,
        "readiness": _round(placement.readiness, 2),
        "points_missing": _round(placement.points_missing),
        "criteria": [
            {
                "phase": c.phase,
                "kind": c.kind,
                "dimension": c.dimension,
                "required": c.required,
                "actual": _round(c.actual),
                "met": c.met,
                "insufficient": c.insufficient,
            }
            for c in placement.criteria
        ],
        "recommendations": [
            {
                "key": r.key,
                "dimension": r.dimension,
                "action": r.action,
                "horizon": r.horizon,
                "questions": list(r.questions),
                "impact": _round(r.impact),
            }
            for r in placement.recommendations
        ],
    }


class CriterionSerializer(serializers.Serializer):
    phase = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=["dimension", "use_cases"])
    dimension = serializers.CharField(allow_null=True)
    required = serializers.FloatField()
    actual = serializers.FloatField(allow_null=True)
    met = serializers.BooleanField()
    insufficient = serializers.BooleanField()


class RecommendationSerializer(serializers.Serializer):
    key = serializers.CharField()
    dimension = serializers.CharField()
    action = serializers.CharField()
    horizon = serializers.ChoiceField(choices=["quick_win", "strategic"])
    questions = serializers.ListField(child=serializers.CharField())
    impact = serializers.FloatField()


class PlacementSerializer(serializers.Serializer):
    phase = serializers.IntegerField()
    phase_name = serializers.CharField()
    next_phase = serializers.IntegerField(allow_null=True)
    readiness = serializers.FloatField(allow_null=True)
    points_missing = serializers.FloatField()
    criteria = CriterionSerializer(many=True)
    recommendations = RecommendationSerializer(many=True)


class PlacementView(APIView):
    @extend_schema(
        summary="Roadmap phase of an assessment, its gate criteria and what moves it",
        responses={200: PlacementSerializer, 403: ERRORS, 404: ERRORS},
    )
    def get(self, request, assessment_id: int):
        assessment = assessment_for_member(request.user, assessment_id)
        return Response(placement_payload(selectors.assessment_placement(assessment)))
