"""Reads of organizations and memberships (who may do what: organizations.policy)."""

from django.db.models import QuerySet

from .models import Membership, Organization, Role


def organizations_for_user(user) -> QuerySet[Organization]:
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(memberships__user=user).distinct()


def membership_for(user, organization_id: int) -> Membership | None:
    if not user.is_authenticated:
        return None
    return (
        Membership.objects.select_related("organization")
        .filter(user=user, organization_id=organization_id)
        .first()
    )


def memberships_of_user(user) -> QuerySet[Membership]:
    """The user's memberships with their organizations, by organization name."""
    return (
        Membership.objects.select_related("organization")
        .filter(user=user)
        .order_by("organization__name", "organization_id")
    )


def is_only_consultant(membership: Membership) -> bool:
    """Is this the organization's one consultant (who can be neither removed nor demoted)?"""
    return (
        membership.role == Role.CONSULTANT
        and not Membership.objects.filter(
            organization_id=membership.organization_id, role=Role.CONSULTANT
        )
        .exclude(pk=membership.pk)
        .exists()
    )
