"""Who may see what: every page and endpoint resolves organizations through here."""

from collections.abc import Iterable

from django.db.models import QuerySet
from django.http import Http404

from audit.services import access_denied

from .models import Membership, Organization, Role

MANAGERS = (Role.CONSULTANT,)
ALL_ROLES = tuple(Role)


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


def organization_for_member(
    user, organization_id: int, roles: Iterable[str] = ALL_ROLES
) -> tuple[Organization, Membership]:
    """The organization and the caller's membership, or 404.

    Outsiders and members without one of `roles` both get 404, so an outsider
    cannot tell whether an organization exists.
    """
    membership = membership_for(user, organization_id)
    if membership is None or membership.role not in set(roles):
        if user.is_authenticated:
            reason = "not a member" if membership is None else f"role {membership.role}"
            access_denied(user=user, organization_id=organization_id, reason=reason)
        raise Http404("No such organization.")
    return membership.organization, membership
