"""Assessments API for members of the organization: assessments, respondents, answers.

Members read; consultants create and close assessments and manage respondents (as on
the pages); a member without that role gets 403, a non-member 404, an anonymous caller
401. A state that forbids the action (closing twice, revoking a submitted link) is 409.
"""

import django_filters
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers, status
from rest_framework.response import Response

from common.api_input import IdRelatedField, RefuseUnknownFields
from common.bounds import IdFilter
from common.pagination import Pagination
from organizations.api import PAGE_NOT_FOUND
from organizations.models import Organization
from organizations.policy import Action, allows, authorize
from organizations.selectors import organizations_for_user

from . import selectors, services
from .api import ERRORS, AnswerValueField
from .models import Answer, Assessment, ExecutiveRole, QuestionBank, Respondent

# --- assessments ----------------------------------------------------------------------


@extend_schema_field(
    {"type": "string", "maxLength": QuestionBank._meta.get_field("version").max_length}
)
class BankVersionField(serializers.SlugRelatedField):
    """A published bank's version; the schema states the longest one can be."""


class AssessmentSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    bank = BankVersionField(
        slug_field="version",
        queryset=QuestionBank.objects.all(),
        required=False,
        help_text="Question bank version; the latest when left out.",
    )
    organization = IdRelatedField(queryset=Organization.objects.none())

    class Meta:
        model = Assessment
        fields = [
            "id", "organization", "title", "bank", "status", "due_date", "created_at", "closed_at",
        ]  # fmt: skip
        read_only_fields = ["id", "status", "created_at", "closed_at"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            # Organizations the caller is not a member of do not exist, as far as they know.
            self.fields["organization"].queryset = organizations_for_user(request.user)


class AssessmentFilter(django_filters.FilterSet):
    organization = IdFilter(field_name="organization_id")
    status = django_filters.ChoiceFilter(choices=Assessment.Status.choices)

    class Meta:
        model = Assessment
        fields = ["organization", "status"]


def _visible_assessments(user):
    return Assessment.objects.filter(organization__in=organizations_for_user(user)).select_related(
        "bank"
    )


class AssessmentListView(generics.GenericAPIView):
    serializer_class = AssessmentSerializer
    pagination_class = Pagination
    filterset_class = AssessmentFilter

    def get_queryset(self):
        return _visible_assessments(self.request.user).order_by("-created_at", "-id")

    @extend_schema(
        summary="List the assessments of my organizations",
        responses={
            200: AssessmentSerializer(many=True),
            400: ERRORS,
            401: ERRORS,
            404: PAGE_NOT_FOUND,
        },
    )
    def get(self, request):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Create an assessment (consultants)",
        request=AssessmentSerializer,
        responses={201: AssessmentSerializer, 400: ERRORS, 401: ERRORS, 403: ERRORS},
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        organization = authorize(
            request.user, data["organization"].pk, Action.MANAGE_ASSESSMENTS
        ).organization
        bank = data.get("bank") or selectors.latest_bank()
        if bank is None:
            raise exceptions.ValidationError({"bank": ["No question bank is loaded."]})
        assessment = services.assessment_create(
            organization=organization,
            bank=bank,
            title=data["title"],
            user=request.user,
            due_date=data.get("due_date"),
        )
        return Response(self.get_serializer(assessment).data, status=status.HTTP_201_CREATED)


class AssessmentDetailView(generics.GenericAPIView):
    serializer_class = AssessmentSerializer

    @extend_schema(
        summary="Retrieve an assessment",
        responses={200: AssessmentSerializer, 401: ERRORS, 404: ERRORS},
    )
    def get(self, request, assessment_id: int):
        assessment, _ = selectors.assessment_for(
            request.user, assessment_id, Action.VIEW_ASSESSMENT
        )
        return Response(self.get_serializer(assessment).data)


def _managed_assessment(user, assessment_id: int, action: Action) -> Assessment:
    return selectors.assessment_for(user, assessment_id, action)[0]


class AssessmentCloseView(generics.GenericAPIView):
    serializer_class = AssessmentSerializer

    @extend_schema(
        summary="Close an assessment and freeze its scores (consultants)",
        request=None,
        responses={
            200: AssessmentSerializer,
            401: ERRORS,
            403: ERRORS,
            404: ERRORS,
            409: OpenApiResponse(ERRORS, description="Already closed, or nothing submitted."),
        },
    )
    def post(self, request, assessment_id: int):
        assessment = _managed_assessment(request.user, assessment_id, Action.MANAGE_ASSESSMENTS)
        closed = services.assessment_close(assessment=assessment)
        return Response(self.get_serializer(closed).data)


# --- respondents ----------------------------------------------------------------------


class RespondentSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    role = serializers.ChoiceField(choices=ExecutiveRole.choices)
    answered = serializers.SerializerMethodField()
    total = serializers.SerializerMethodField()
    progress_percent = serializers.SerializerMethodField()
    link = serializers.SerializerMethodField(
        help_text="The personal questionnaire link; only shown to consultants."
    )
    link_usable = serializers.SerializerMethodField()

    class Meta:
        model = Respondent
        fields = [
            "id",
            "name",
            "email",
            "role",
            "title",
            "business_unit",
            "token_expires_at",
            "revoked_at",
            "invited_at",
            "submitted_at",
            "answered",
            "total",
            "progress_percent",
            "link",
            "link_usable",
        ]
        read_only_fields = [
            "id",
            "token_expires_at",
            "revoked_at",
            "invited_at",
            "submitted_at",
        ]

    def _answered(self, respondent) -> int:
        count = getattr(respondent, "answered_count", None)
        if count is None:
            count = respondent.answers.exclude(kind="").count()
        return count

    def get_answered(self, respondent) -> int:
        return self._answered(respondent)

    def get_total(self, respondent) -> int:
        return self.context["total"]

    def get_progress_percent(self, respondent) -> int:
        return selectors.Progress(self._answered(respondent), self.context["total"]).percent

    def get_link(self, respondent) -> str | None:
        if not self.context.get("can_manage"):
            return None
        return self.context["request"].build_absolute_uri(
            reverse("respond:welcome", args=[respondent.token])
        )

    def get_link_usable(self, respondent) -> bool:
        return respondent.link_is_usable(timezone.now())


def _respondent_context(view, assessment, can_manage: bool) -> dict:
    return {
        **view.get_serializer_context(),
        "total": selectors.question_count(assessment.bank),
        "can_manage": can_manage,
    }


class RespondentListView(generics.GenericAPIView):
    serializer_class = RespondentSerializer
    queryset = Respondent.objects.none()  # for the schema; the views look up their own
    pagination_class = Pagination

    @extend_schema(
        summary="List an assessment's respondents with their progress",
        responses={200: RespondentSerializer(many=True), 401: ERRORS, 404: ERRORS},
    )
    def get(self, request, assessment_id: int):
        assessment, membership = selectors.assessment_for(
            request.user, assessment_id, Action.VIEW_ASSESSMENT
        )
        can_manage = allows(membership, Action.MANAGE_RESPONDENTS)
        page = self.paginate_queryset(selectors.respondents_with_progress(assessment))
        context = _respondent_context(self, assessment, can_manage)
        return self.get_paginated_response(
            RespondentSerializer(page, many=True, context=context).data
        )

    @extend_schema(
        summary="Add a respondent (consultants)",
        request=RespondentSerializer,
        responses={
            201: RespondentSerializer,
            400: ERRORS,
            401: ERRORS,
            403: ERRORS,
            404: ERRORS,
            409: OpenApiResponse(ERRORS, description="Already a respondent, or closed."),
        },
    )
    def post(self, request, assessment_id: int):
        assessment = _managed_assessment(request.user, assessment_id, Action.MANAGE_RESPONDENTS)
        serializer = RespondentSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        respondent = services.respondent_add(assessment=assessment, **serializer.validated_data)
        context = _respondent_context(self, assessment, True)
        return Response(
            RespondentSerializer(respondent, context=context).data, status=status.HTTP_201_CREATED
        )


def _respondent_action(action, summary: str, verb: str):
    class View(generics.GenericAPIView):
        serializer_class = RespondentSerializer

        @extend_schema(
            summary=summary,
            request=None,
            responses={
                200: RespondentSerializer,
                401: ERRORS,
                403: ERRORS,
                404: ERRORS,
                409: OpenApiResponse(ERRORS, description="Submitted, or assessment closed."),
            },
        )
        def post(self, request, assessment_id: int, respondent_id: int):
            assessment = _managed_assessment(request.user, assessment_id, Action.MANAGE_RESPONDENTS)
            respondent = get_object_or_404(assessment.respondents, pk=respondent_id)
            respondent.assessment = assessment
            respondent = action(respondent=respondent)
            context = _respondent_context(self, assessment, True)
            return Response(RespondentSerializer(respondent, context=context).data)

    return View


RespondentRevokeView = _respondent_action(
    services.respondent_revoke,
    "Revoke a respondent's link (consultants)",
    "revoke links",
)
RespondentRevokeView.__name__ = "RespondentRevokeView"
RespondentReissueView = _respondent_action(
    services.respondent_reissue,
    "Re-issue a respondent's link; the old one stops working (consultants)",
    "reissue links",
)
RespondentReissueView.__name__ = "RespondentReissueView"


# --- answers --------------------------------------------------------------------------


class AnswerFilter(django_filters.FilterSet):
    respondent = IdFilter(field_name="respondent_id")
    question = django_filters.CharFilter(field_name="question__key", help_text="Question key.")
    dimension = django_filters.CharFilter(
        field_name="question__dimension__key", help_text="Dimension key."
    )

    class Meta:
        model = Answer
        fields = ["respondent", "question", "dimension"]


class AnswerReadSerializer(serializers.ModelSerializer):
    question = serializers.CharField(source="question.key")
    dimension = serializers.CharField(source="question.dimension.key")
    value = AnswerValueField(
        allow_null=True, help_text='1–5, "na", "dont_know", or null for no choice yet.'
    )

    class Meta:
        model = Answer
        fields = [
            "id",
            "respondent",
            "question",
            "dimension",
            "value",
            "comment",
            "evidence",
            "updated_at",
        ]
        read_only_fields = fields


class AnswerListView(generics.GenericAPIView):
    serializer_class = AnswerReadSerializer
    pagination_class = Pagination
    filterset_class = AnswerFilter

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Answer.objects.none()
        assessment, _ = selectors.assessment_for(
            self.request.user, self.kwargs["assessment_id"], Action.READ_NAMED_ANSWERS
        )
        return (
            Answer.objects.of_clients()
            .filter(respondent__assessment=assessment)
            .select_related("question__dimension")
            .order_by("respondent__name", "respondent_id", "question__position")
        )

    @extend_schema(
        summary="Read an assessment's answers (members)",
        responses={200: AnswerReadSerializer(many=True), 400: ERRORS, 401: ERRORS, 404: ERRORS},
    )
    def get(self, request, assessment_id: int):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
