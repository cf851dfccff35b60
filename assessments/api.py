"""Respondent API: the invitation token in the URL is the only credential."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from . import selectors, services
from .answers import AnswerError


class AnswerSerializer(serializers.Serializer):
    question = serializers.CharField(source="question.key")
    value = serializers.JSONField(allow_null=True)
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


ERRORS = inline_serializer(
    "Errors",
    {
        "errors": serializers.ListField(
            child=inline_serializer(
                "Error",
                {
                    "field": serializers.CharField(allow_null=True),
                    "code": serializers.CharField(),
                    "message": serializers.CharField(),
                },
            )
        )
    },
)
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
            "answers": respondent.answers.select_related("question").order_by(
                "question__position"
            ),
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
                "value": serializers.JSONField(),
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
            200: inline_serializer(
                "Submitted", {"submitted": serializers.BooleanField(),
                              "submitted_at": serializers.DateTimeField()}
            ),
            400: ERRORS,
            404: ERRORS,
            409: OpenApiResponse(ERRORS, description="Already submitted or assessment closed."),
        },
    )
    def post(self, request, token: str):
        respondent = services.respondent_submit(respondent=selectors.respondent_by_token(token))
        return Response(
            {"submitted": True, "submitted_at": respondent.submitted_at}, status=status.HTTP_200_OK
        )


def _json_object(request) -> dict:
    try:
        body = request.data
    except ParseError as exc:
        raise AnswerError(None, "parse_error", f"The body is not valid JSON: {exc.detail}") from exc
    if not isinstance(body, dict):
        raise AnswerError(None, "invalid", "The body must be a JSON object.")
    unknown = sorted(set(body) - ANSWER_FIELDS)
    if unknown:
        raise AnswerError(unknown[0], "unknown_field", f"Unknown field {unknown[0]!r}.")
    if "value" not in body:
        raise AnswerError("value", "required", 'A value is required: 1–5, "na" or "dont_know".')
    return body
