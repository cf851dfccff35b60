"""Writes for memberships: invite a user by email, change a role, remove a member.

An organization always keeps at least one consultant; a change that would leave it
without one is refused (ConflictError, HTTP 409). Every change is recorded in the
organization's audit log; `user` is who made it (the signed-in user when left out).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction

from audit.services import record
from common.errors import ConflictError

from .models import Membership, Organization, Role


def _unique_username(email: str) -> str:
    User = get_user_model()
    base = email[:140]
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


def _user_for_email(email: str):
    """The user with this email, or a new one without a usable password."""
    User = get_user_model()
    user = User.objects.filter(email__iexact=email).order_by("pk").first()
    if user is None:
        user = User(username=_unique_username(email), email=email)
        user.set_unusable_password()
        user.save()
    return user


def _send_invitation(membership: Membership) -> None:
    organization = membership.organization
    send_mail(
        subject=f"You were added to {organization.name} on AI Scaling Maturity",
        message=(
            f"You are now {membership.get_role_display()} of {organization.name}.\n\n"
            f"Sign in at {settings.SITE_URL}/accounts/login/ as {membership.user.username}. "
            "If you have no password yet, ask your consultant or an administrator to set one."
        ),
        from_email=settings.DEFAULT_FROM_EMAIL,
        recipient_list=[membership.user.email],
    )


@transaction.atomic
def member_invite(*, organization: Organization, email: str, role: str, user=None) -> Membership:
    """Add the user with this email (created if unknown) and email them once committed."""
    email = email.strip().lower()
    member = _user_for_email(email)
    if Membership.objects.filter(organization=organization, user=member).exists():
        raise ConflictError(f"{email} is already a member of {organization.name}.")
    membership = Membership.objects.create(organization=organization, user=member, role=role)
    record(
        action="membership.invited",
        user=user,
        organization=organization,
        obj=membership,
        summary=f"{email} invited as {membership.get_role_display()}",
        changes={"user": [None, member.get_username()], "role": [None, role]},
    )
    transaction.on_commit(lambda: _send_invitation(membership))
    return membership


def _ensure_another_consultant(membership: Membership) -> None:
    consultants = Membership.objects.select_for_update().filter(
        organization_id=membership.organization_id, role=Role.CONSULTANT
    )
    if membership.role == Role.CONSULTANT and not consultants.exclude(pk=membership.pk).exists():
        raise ConflictError("An organization needs at least one consultant.")


@transaction.atomic
def member_role_change(*, membership: Membership, role: str, user=None) -> Membership:
    if role != membership.role:
        _ensure_another_consultant(membership)
        previous = membership.role
        membership.role = role
        membership.save(update_fields=["role"])
        record(
            action="membership.updated",
            user=user,
            organization_id=membership.organization_id,
            obj=membership,
            summary=(
                f"{membership.user.get_username()} is now {membership.get_role_display()} "
                f"(was {Role(previous).label})"
            ),
            changes={"role": [previous, role]},
        )
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, user=None) -> None:
    _ensure_another_consultant(membership)
    record(
        action="membership.removed",
        user=user,
        organization_id=membership.organization_id,
        obj=membership,
        summary=f"{membership.user.get_username()} removed ({membership.get_role_display()})",
        changes={"user": [membership.user.get_username(), None], "role": [membership.role, None]},
    )
    membership.delete()
