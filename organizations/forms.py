import unicodedata

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.cache import cache
from django.core.exceptions import ValidationError

from audit.services import record

from . import throttling
from .models import Organization, Role


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "industry", "size_band", "region"]


class MemberInviteForm(forms.Form):
    email = forms.EmailField(max_length=254)
    # Client members are invited far more often than consultants: the safer default.
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EXECUTIVE)


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices)


class MemberRemoveForm(forms.Form):
    """The confirmation's form: no fields, it carries a refusal (the last consultant)."""


def _folded(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold()


def _same_email(a: str, b: str) -> bool:
    return _folded(a) == _folded(b)


class MemberPasswordResetForm(PasswordResetForm):
    """Django's reset form, also for invited members who never set a password.

    Django leaves out users without a usable password; here those are the members
    invited by email whose "set your password" link expired, so they may ask again.
    Whether a user was found is never shown: the page says the same either way.
    """

    def get_users(self, email):
        User = get_user_model()
        email_field = User.get_email_field_name()
        users = User._default_manager.filter(**{f"{email_field}__iexact": email, "is_active": True})
        return (
            user
            for user in users
            if (user.has_usable_password() or user.memberships.exists())
            and _same_email(email, getattr(user, email_field))
        )


class ThrottledAuthenticationForm(AuthenticationForm):
    """The login form, refusing every attempt while the account or address is locked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": (
            "Too many failed login attempts for this account or from this address. "
            "Try again in %(minutes)s minutes."
        ),
    }

    locked = False

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = self.request.META.get("REMOTE_ADDR") if self.request else None
        policy = throttling.Policy.from_settings()
        if throttling.locked_until(cache, username, ip):
            self._refuse(username, policy)
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if error.code == "invalid_login":
                throttling.register_failure(cache, username, ip, policy)
            raise
        throttling.register_success(cache, username)
        return cleaned

    def _refuse(self, username: str, policy: throttling.Policy):
        self.locked = True
        record(
            action="login.locked",
            actor=username[:150],
            object_type="user",
            summary=f"Login refused for {username[:150]!r}: too many failed attempts",
        )
        raise ValidationError(
            self.error_messages["locked"],
            code="locked",
            params={"minutes": max(1, round(policy.lockout / 60))},
        )
