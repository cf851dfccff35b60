"""Writes for memberships: invite a user by email, change a role, remove a member.

The invited user is emailed once the invitation is committed: a user without a usable
password (new, or invited before and never signed in) gets a "set your password" link
(Django's token: it expires after PASSWORD_RESET_TIMEOUT and works once, since setting
the password changes the token); a user with a password gets the login link.

An organization always keeps at least one consultant; a change that would leave it
without one is refused (ConflictError, HTTP 409). Every change is recorded in the
organization's audit log; `user` is who made it (the signed-in user when left out).
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from audit.services import record
from common.errors import ConflictError

from .emails import send_email
from .language import language_of
from .models import Membership, Organization, Role


def _english_role(role: str) -> str:
    """A role's name for the audit log, which is written in English."""
    with translation.override("en"):
        return str(Role(role).label)


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


def _set_password_url(user) -> str:
    """The absolute "set your password" link for this user (SITE_URL based)."""
    path = reverse(
        "password_set",
        kwargs={
            "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
            "token": default_token_generator.make_token(user),
        },
    )
    return f"{settings.SITE_URL}{path}"


def _send_invitation(membership: Membership, invited_by=None) -> None:
    """The invitation email, subject and body in the member's own language."""
    with translation.override(language_of(membership.user)):
        _send_invitation_now(membership, invited_by)


def _send_invitation_now(membership: Membership, invited_by=None) -> None:
    organization = membership.organization
    member = membership.user
    context = {
        "organization": organization,
        "role": membership.get_role_display(),
        "username": member.get_username(),
        "invited_by": invited_by.get_full_name() or invited_by.get_username()
        if invited_by is not None and invited_by.is_authenticated
        else "",
        "login_url": f"{settings.SITE_URL}{reverse('login')}",
        "reset_url": f"{settings.SITE_URL}{reverse('password_reset')}",
        "set_password_url": None if member.has_usable_password() else _set_password_url(member),
        "link_days": max(1, round(settings.PASSWORD_RESET_TIMEOUT / 86400)),
    }
    send_email(
        to=[member.email],
        subject=_("You were added to %(organization)s on AI Scaling Maturity")
        % {"organization": organization.name},
        template="membership",
        context=context,
        organization=organization,
    )


@transaction.atomic
def member_invite(*, organization: Organization, email: str, role: str, user=None) -> Membership:
    """Add the user with this email (created if unknown) and email them once committed."""
    email = email.strip().lower()
    member = _user_for_email(email)
    if Membership.objects.filter(organization=organization, user=member).exists():
        raise ConflictError(
            _("%(email)s is already a member of %(organization)s.")
            % {"email": email, "organization": organization.name}
        )
    membership = Membership.objects.create(organization=organization, user=member, role=role)
    record(
        action="membership.invited",
        user=user,
        organization=organization,
        obj=membership,
        summary=f"{email} invited as {_english_role(membership.role)}",
        changes={"user": [None, member.get_username()], "role": [None, role]},
    )
    transaction.on_commit(lambda: _send_invitation(membership, invited_by=user))
    return membership


def _ensure_another_consultant(membership: Membership) -> None:
    consultants = Membership.objects.select_for_update().filter(
        organization_id=membership.organization_id, role=Role.CONSULTANT
    )
    if membership.role == Role.CONSULTANT and not consultants.exclude(pk=membership.pk).exists():
        raise ConflictError(_("An organization needs at least one consultant."))


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
                f"{membership.user.get_username()} is now {_english_role(membership.role)} "
                f"(was {_english_role(previous)})"
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
        summary=f"{membership.user.get_username()} removed ({_english_role(membership.role)})",
        changes={"user": [membership.user.get_username(), None], "role": [membership.role, None]},
    )
    membership.delete()
