"""Organizations API: the caller's organizations and their memberships.

Members read; consultants change the organization and its memberships; a member
without that role gets 403; a non-member 404 (as if the organization did not exist);
an anonymous caller 401. Errors use the one format {"errors": [{"field", "code",
"message"}]}.
"""

from django.db.models import OuterRef, Subquery
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers, status
from rest_framework.response import Response

from common.api_errors import ERRORS
from common.api_input import RefuseUnknownFields
from common.pagination import Pagination

from . import members, services
from .models import Membership, Organization, Role
from .policy import Action, authorize
from .selectors import organizations_for_user

PAGE_NOT_FOUND = OpenApiResponse(ERRORS, description="No such page.")


class OrganizationSerializer(RefuseUnknownFields, serializers.ModelSerializer):
    role = serializers.ChoiceField(
        choices=Role.choices, read_only=True, source="my_role", help_text="The caller's role."
    )

    class Meta:
        model = Organization
        fields = ["id", "name", "industry", "size_band", "region", "created_at", "role"]
        read_only_fields = ["id", "created_at", "role"]


def _with_role(queryset, user):
    mine = Membership.objects.filter(organization=OuterRef("pk"), user=user).values("role")[:1]
    return queryset.annotate(my_role=Subquery(mine))


class OrganizationListView(generics.GenericAPIView):
    serializer_class = OrganizationSerializer
    pagination_class = Pagination

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Organization.objects.none()
        return _with_role(organizations_for_user(self.request.user), self.request.user)

    @extend_schema(
        summary="List my organizations",
        responses={200: OrganizationSerializer(many=True), 401: ERRORS, 404: PAGE_NOT_FOUND},
    )
    def get(self, request):
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Create an organization (its creator becomes its consultant)",
        request=OrganizationSerializer,
        responses={201: OrganizationSerializer, 400: ERRORS, 401: ERRORS},
    )
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        organization = services.organization_create(user=request.user, **serializer.validated_data)
        organization = _with_role(Organization.objects, request.user).get(pk=organization.pk)
        return Response(self.get_serializer(organization).data, status=status.HTTP_201_CREATED)


class OrganizationDetailView(generics.GenericAPIView):
    serializer_class = OrganizationSerializer

    def _organization(self, request, organization_id: int):
        return _with_role(Organization.objects, request.user).get(pk=organization_id)

    @extend_schema(
        summary="Retrieve an organization",
        responses={200: OrganizationSerializer, 401: ERRORS, 404: ERRORS},
    )
    def get(self, request, organization_id: int):
        authorize(request.user, organization_id, Action.VIEW_ORGANIZATION)
        return Response(self.get_serializer(self._organization(request, organization_id)).data)

    @extend_schema(
        summary="Update an organization (consultants)",
        request=OrganizationSerializer,
        responses={200: OrganizationSerializer, 400: ERRORS, 401: ERRORS, 403: ERRORS, 404: ERRORS},
    )
    def patch(self, request, organization_id: int):
        authorize(request.user, organization_id, Action.EDIT_ORGANIZATION)
        organization = self._organization(request, organization_id)
        serializer = self.get_serializer(organization, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        services.organization_update(
            organization=organization, user=request.user, changes=serializer.validated_data
        )
        return Response(self.get_serializer(self._organization(request, organization_id)).data)


# --- memberships ----------------------------------------------------------------------


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)

    class Meta:
        model = Membership
        fields = ["id", "user", "username", "email", "role", "created_at"]
        read_only_fields = fields


class InviteSerializer(RefuseUnknownFields, serializers.Serializer):
    email = serializers.EmailField(max_length=254)
    role = serializers.ChoiceField(choices=Role.choices)


class RoleSerializer(RefuseUnknownFields, serializers.Serializer):
    role = serializers.ChoiceField(choices=Role.choices)


class MembershipListView(generics.GenericAPIView):
    serializer_class = MembershipSerializer
    queryset = Membership.objects.none()  # for the schema; the views look up their own
    pagination_class = Pagination

    @extend_schema(
        summary="List the organization's members",
        responses={200: MembershipSerializer(many=True), 401: ERRORS, 404: ERRORS},
    )
    def get(self, request, organization_id: int):
        organization = authorize(
            request.user, organization_id, Action.VIEW_ORGANIZATION
        ).organization
        memberships = organization.memberships.select_related("user").order_by(
            "role", "user__username", "id"
        )
        page = self.paginate_queryset(memberships)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Invite a user by email with a role (consultants)",
        description=(
            "A user with this email is created, without a usable password, when none exists; "
            "either way they are emailed."
        ),
        request=InviteSerializer,
        responses={
            201: MembershipSerializer,
            400: ERRORS,
            401: ERRORS,
            403: ERRORS,
            404: ERRORS,
            409: OpenApiResponse(ERRORS, description="Already a member."),
        },
    )
    def post(self, request, organization_id: int):
        organization = authorize(request.user, organization_id, Action.MANAGE_MEMBERS).organization
        serializer = InviteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = members.member_invite(
            organization=organization, user=request.user, **serializer.validated_data
        )
        return Response(self.get_serializer(membership).data, status=status.HTTP_201_CREATED)


class MembershipDetailView(generics.GenericAPIView):
    serializer_class = MembershipSerializer

    def _membership(self, request, organization_id: int, membership_id: int, action: str):
        organization = authorize(request.user, organization_id, Action.MANAGE_MEMBERS).organization
        return get_object_or_404(
            organization.memberships.select_related("user", "organization"), pk=membership_id
        )

    @extend_schema(
        summary="Change a member's role (consultants)",
        request=RoleSerializer,
        responses={
            200: MembershipSerializer,
            400: ERRORS,
            401: ERRORS,
            403: ERRORS,
            404: ERRORS,
            409: OpenApiResponse(ERRORS, description="It would leave no consultant."),
        },
    )
    def patch(self, request, organization_id: int, membership_id: int):
        membership = self._membership(request, organization_id, membership_id, "change roles")
        serializer = RoleSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = members.member_role_change(
            membership=membership, role=serializer.validated_data["role"], user=request.user
        )
        return Response(self.get_serializer(membership).data)

    @extend_schema(
        summary="Remove a member (consultants)",
        request=None,
        responses={
            204: None,
            401: ERRORS,
            403: ERRORS,
            404: ERRORS,
            409: OpenApiResponse(ERRORS, description="It would leave no consultant."),
        },
    )
    def delete(self, request, organization_id: int, membership_id: int):
        membership = self._membership(request, organization_id, membership_id, "remove members")
        members.member_remove(membership=membership, user=request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)
