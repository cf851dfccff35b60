"""Assessments API: respondent endpoints (the invitation token in the URL is the only
credential), and scores and exports for members of the organization."""

from dataclasses import replace

from django.conf import settings
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.utils import translation
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from common.api import RoundedField
from common.api_errors import ERRORS
from common.errors import InputError
from organizations.policy import Action, allows

from . import exports, selectors, services


@extend_schema_field(
    {
        "oneOf": [
            {"type": "integer", "minimum": 1, "maximum": 5},
            {"type": "string", "enum": ["na", "dont_know"]},
        ]
    }
)
class AnswerValueField(serializers.JSONField):
    """An answer's value: a level 1–5, "na" or "dont_know" (documented as such; the
    services check it, so a wrong value is the same 400 whatever its JSON type)."""


class AnswerSerializer(serializers.Serializer):
    question = serializers.CharField(source="question.key")
    value = AnswerValueField(allow_null=True, help_text="null: no choice yet (a comment only).")
    comment = serializers.CharField()
    evidence = serializers.CharField()
    updated_at = serializers.DateTimeField()


class QuestionSerializer(serializers.Serializer):
    key = serializers.CharField()
    text = serializers.CharField()
    help = serializers.CharField()
    allow_na = serializers.BooleanField()
    levels = serializers.ListField(child=serializers.CharField())


class DimensionSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    questions = QuestionSerializer(many=True, source="question_list")


class QuestionnaireSerializer(serializers.Serializer):
    assessment = serializers.IntegerField(source="assessment.pk")
    organization = serializers.CharField(source="assessment.organization.name")
    bank_version = serializers.CharField(source="assessment.bank.version")
    respondent = serializers.CharField(source="respondent.name")
    submitted = serializers.BooleanField(source="respondent.is_submitted")
    dimensions = DimensionSerializer(many=True)
    answers = AnswerSerializer(many=True)


class SubmittedSerializer(serializers.Serializer):
    submitted = serializers.BooleanField(source="is_submitted")
    submitted_at = serializers.DateTimeField()


ANSWER_FIELDS = {"value", "comment", "evidence"}


class TokenAPIView(APIView):
    authentication_classes: list = []
    permission_classes: list = []
    parser_classes = [JSONParser]


class QuestionnaireView(TokenAPIView):
    @extend_schema(
        summary="The questionnaire and this respondent's answers",
        responses={200: QuestionnaireSerializer, 404: ERRORS},
    )
    def get(self, request, token: str):
        respondent = selectors.respondent_by_token(token)
        data = {
            "assessment": respondent.assessment,
            "respondent": respondent,
            "dimensions": selectors.bank_dimensions(respondent.assessment.bank),
            "answers": respondent.answers.select_related("question").order_by("question__position"),
        }
        return Response(QuestionnaireSerializer(data).data)


class AnswerView(TokenAPIView):
    @extend_schema(
        summary="Save one answer",
        description=(
            'value: an integer level 1–5, "na" (only where the question allows it) or '
            '"dont_know". comment and evidence are optional; when left out they keep their '
            'saved value, and "" clears them.'
        ),
        request=inline_serializer(
            "AnswerInput",
            {
                "value": AnswerValueField(),
                "comment": serializers.CharField(required=False, max_length=2000),
                "evidence": serializers.CharField(required=False, max_length=2000),
            },
        ),
        responses={200: AnswerSerializer, 400: ERRORS, 404: ERRORS, 409: ERRORS},
    )
    def put(self, request, token: str, question_key: str):
        respondent = selectors.respondent_by_token(token)
        question = selectors.question_in_bank(respondent.assessment.bank, question_key)
        body = _json_object(request)
        answer = services.answer_save(respondent=respondent, question=question, **body)
        return Response(AnswerSerializer(answer).data)


class SubmitView(TokenAPIView):
    @extend_schema(
        summary="Submit and lock this respondent's answers",
        request=None,
        responses={
            200: SubmittedSerializer,
            400: ERRORS,
            404: ERRORS,
            409: OpenApiResponse(ERRORS, description="Already submitted or assessment closed."),
        },
    )
    def post(self, request, token: str):
        respondent = services.respondent_submit(respondent=selectors.respondent_by_token(token))
        return Response(SubmittedSerializer(respondent).data, status=status.HTTP_200_OK)


def _json_object(request) -> dict:
    try:
        body = request.data
    except ParseError as exc:
        raise InputError(
            None,
            "parse_error",
            _("The body is not valid JSON: %(detail)s") % {"detail": exc.detail},
        ) from exc
    if not isinstance(body, dict):
        raise InputError(None, "invalid", _("The body must be a JSON object."))
    unknown = sorted(set(body) - ANSWER_FIELDS)
    if unknown:
        raise InputError(
            unknown[0], "unknown_field", _("Unknown field %(field)s.") % {"field": repr(unknown[0])}
        )
    if "value" not in body:
        raise InputError("value", "required", _('A value is required: 1–5, "na" or "dont_know".'))
    return body


# --- scores and exports (members of the assessment's organization) --------------------


class OverallSerializer(serializers.Serializer):
    index = RoundedField(allow_null=True)
    level = serializers.IntegerField(allow_null=True)
    level_name = serializers.CharField(allow_null=True)


class DimensionScoreSerializer(serializers.Serializer):
    key = serializers.CharField()
    kind = serializers.ChoiceField(choices=["challenge", "pillar"])
    score = RoundedField(allow_null=True)
    coverage = RoundedField(digits=2)
    insufficient = serializers.BooleanField()
    alignment = RoundedField(allow_null=True)
    dont_know = serializers.IntegerField()
    misaligned_questions = serializers.ListField(child=serializers.CharField())


class PitfallSerializer(serializers.Serializer):
    key = serializers.CharField()
    triggered = serializers.BooleanField()
    mitigation = serializers.CharField()


class GapRowSerializer(serializers.Serializer):
    key = serializers.CharField()
    client = RoundedField(allow_null=True)
    assessor = RoundedField(allow_null=True)
    gap = RoundedField(allow_null=True)
    flagged = serializers.BooleanField()


# The perception gap (DESIGN §11): consultants only, and only once an assessor answered.
class AssessorSerializer(serializers.Serializer):
    overall = OverallSerializer(source="assessor_overall")
    index_gap = RoundedField(allow_null=True)
    flagged_threshold = serializers.IntegerField(source="threshold")
    dimensions = GapRowSerializer(many=True, source="rows")


class BackedDimensionSerializer(serializers.Serializer):
    key = serializers.CharField()
    claimed = RoundedField(allow_null=True)
    evidence_backed = RoundedField(allow_null=True)
    difference = RoundedField(allow_null=True)


# The evidence-backed layer (DESIGN §11): a question above level 2 counts as verified by
# the consultant (else 2); the same formulas as the claimed scores.
class EvidenceBackedSerializer(serializers.Serializer):
    overall = OverallSerializer()
    verified_questions = serializers.IntegerField()
    unverified_claims = serializers.IntegerField()
    dimensions = BackedDimensionSerializer(many=True, source="rows")


# GET /api/v1/assessments/<id>/scores/, over `selectors.AssessmentScores` (its summary
# is `scoring.summarize`'s plain data, unrounded). (Comments, not docstrings, on these
# serializers: a docstring becomes the schema's description, shown to API clients.)
class ScoresSerializer(serializers.Serializer):
    assessment = serializers.IntegerField(source="assessment.pk")
    bank_version = serializers.CharField(source="assessment.bank.version")
    provisional = serializers.BooleanField()
    respondents_submitted = serializers.IntegerField(source="summary.respondents")
    overall = OverallSerializer(source="summary.overall")
    dimensions = DimensionScoreSerializer(many=True, source="summary.dimensions")
    pitfalls = PitfallSerializer(many=True, source="summary.pitfalls")
    evidence_backed = EvidenceBackedSerializer()
    assessor = AssessorSerializer(required=False)


SCORES_CACHE_SECONDS = 3600  # any change to the inputs changes the key: this only frees memory


class ScoresView(APIView):
    @extend_schema(
        summary="Scores of an assessment (provisional until it is closed)",
        description=(
            "`assessor` (consultants only, once a consultant answered as assessor): the "
            "assessor's scores beside the client's, gap = assessor − client, flagged at "
            "15 points or more either way. The assessor's answers never enter the scores."
        ),
        responses={200: ScoresSerializer, 403: ERRORS, 404: ERRORS},
    )
    def get(self, request, assessment_id: int):
        assessment, membership = selectors.assessment_for(
            request.user, assessment_id, Action.READ_RESULTS
        )
        # Scoring reads every answer and runs pandas (tens of milliseconds); the same
        # inputs give the same scores, so they are computed once per fingerprint.
        # Titles and level names are in the active language: it is part of the key.
        language = translation.get_language()
        key = f"api-scores:{language}:{selectors.scores_fingerprint(assessment)}"
        payload = cache.get(key)
        if payload is None:
            result = selectors.assessment_scores(assessment)
            backed = selectors.evidence_backed(assessment, result.model, result.summary)
            payload = ScoresSerializer(replace(result, evidence_backed=backed)).data
            cache.set(key, payload, SCORES_CACHE_SECONDS)
        if allows(membership, Action.READ_ASSESSOR_SCORES):
            perception = selectors.perception_gap(assessment)
            if perception is not None:
                payload = {**payload, "assessor": AssessorSerializer(perception).data}
        return Response(payload)


class UnitDimensionSerializer(serializers.Serializer):
    key = serializers.CharField()
    score = RoundedField(allow_null=True)


# An item of GET /api/v1/assessments/<id>/units/, over `units.UnitScores`.
class UnitScoresSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="unit.id")
    name = serializers.CharField(source="unit.name")
    parent = serializers.IntegerField(source="unit.parent", allow_null=True)
    depth = serializers.IntegerField()
    respondents = serializers.IntegerField(
        help_text="Submitted respondents in the unit and every unit below it."
    )
    suppressed = serializers.BooleanField(
        help_text="Fewer respondents than the confidentiality threshold (client members "
        "only): no scores are given."
    )
    index = RoundedField(allow_null=True)
    level = serializers.IntegerField(allow_null=True)
    dimensions = serializers.SerializerMethodField()

    def get_dimensions(self, obj) -> list[dict]:
        return UnitDimensionSerializer(
            [{"key": key, "score": score} for key, score in obj.dimensions], many=True
        ).data


class UnitScoresView(APIView):
    @extend_schema(
        summary="Scores of every business unit, rolled up from its subtree's answers",
        description="Tree order. Consultants see every unit; client members see no scores "
        "of a unit with fewer than CONFIDENTIALITY_MIN_GROUP submitted respondents.",
        responses={200: UnitScoresSerializer(many=True), 403: ERRORS, 404: ERRORS},
    )
    def get(self, request, assessment_id: int):
        assessment, membership = selectors.assessment_for(
            request.user, assessment_id, Action.READ_RESULTS
        )
        min_group = (
            None
            if allows(membership, Action.READ_NAMED_ANSWERS)
            else settings.CONFIDENTIALITY_MIN_GROUP
        )
        units = selectors.business_unit_scores(assessment, min_group=min_group)
        return Response(UnitScoresSerializer(units, many=True).data)


class ExportView(APIView):
    @extend_schema(
        summary="Download answers, aggregates or scores as CSV or XLSX",
        description=(
            "answers: every answer with the respondent's name, email, role and title "
            "(consultants only). aggregates: per question, the organization's value, "
            "spread, how many chose each level, N/A and Don't know, and the comments and "
            "evidence without who gave them. scores: dimension scores and pitfalls."
        ),
        parameters=[
            OpenApiParameter("dataset", str, OpenApiParameter.PATH, enum=exports.DATASETS),
            OpenApiParameter("file_format", str, OpenApiParameter.PATH, enum=list(exports.FORMATS)),
        ],
        responses={
            # Two media types under one code: each needs a body, or drf-spectacular
            # has no content to merge and schema generation fails.
            (200, "text/csv"): OpenApiResponse(OpenApiTypes.BINARY, description="CSV file"),
            (200, exports.FORMATS["xlsx"]): OpenApiResponse(
                OpenApiTypes.BINARY, description="XLSX workbook"
            ),
            403: ERRORS,
            404: ERRORS,
        },
    )
    def get(self, request, assessment_id: int, dataset: str, file_format: str):
        return export_response(request.user, assessment_id, dataset, file_format)


def export_response(user, assessment_id: int, dataset: str, file_format: str) -> HttpResponse:
    """Shared by the page links and the API: the file as an attachment, 403 when the
    caller's role may not export that dataset, or 404."""
    if dataset not in exports.DATASETS or file_format not in exports.FORMATS:
        raise Http404(_("No such export; use answers, aggregates or scores, as csv or xlsx."))
    assessment, _membership = selectors.assessment_for(
        user, assessment_id, exports.ACTIONS[dataset]
    )
    export = exports.export_file(assessment, dataset, file_format)
    response = HttpResponse(export.content, content_type=export.content_type)
    response["Content-Disposition"] = f'attachment; filename="{export.filename}"'
    return response
