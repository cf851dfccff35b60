import unicodedata

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from audit.services import record

from . import throttling
from .language import language_of
from .models import Organization, Role


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "industry", "size_band", "region"]
        labels = {
            "name": _("Name"),
            "industry": _("Industry"),
            "size_band": _("Size band"),
            "region": _("Region"),
        }


class MemberInviteForm(forms.Form):
    email = forms.EmailField(max_length=254, label=_("Email"))
    # Client members are invited far more often than consultants: the safer default.
    role = forms.ChoiceField(choices=Role.choices, initial=Role.EXECUTIVE, label=_("Role"))


class MemberRoleForm(forms.Form):
    role = forms.ChoiceField(choices=Role.choices, label=_("Role"))


class LanguageForm(forms.Form):
    """The account page's choice of language: pages, API answers and emails."""

    language = forms.ChoiceField(
        label=_("Language"),
        choices=[("", _("The browser's language")), *settings.LANGUAGES],
        required=False,
        help_text=_(
            "Your pages, the API's messages and the emails we send you. With the browser's "
            "language, emails are in English."
        ),
    )


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

    def send_mail(self, subject_template_name, email_template_name, context, *args, **kwargs):
        """The reset email (subject and body) in the member's own language."""
        with translation.override(language_of(context["user"])):
            super().send_mail(subject_template_name, email_template_name, context, *args, **kwargs)


class ThrottledAuthenticationForm(AuthenticationForm):
    """The login form, refusing every attempt while the account, the (account, address)
    pair or the address is locked (organizations/throttling.py), and warning from
    LOGIN_WARNING_AFTER failures how many attempts are left before the account is locked."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": throttling.LOCKED_MESSAGE,
    }

    locked = False
    retry_after: int | None = None  # seconds, while locked

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        ip = self.request.META.get("REMOTE_ADDR") if self.request else None
        policy = throttling.Policy.from_settings()
        until = throttling.locked_until(cache, username, ip)
        if until:
            self._refuse(username, until)
        # Counted before the password is checked, so that concurrent attempts cannot
        # check more passwords than the limit (organizations/throttling.py).
        attempt = throttling.count_attempt(cache, username, ip, policy)
        if attempt.refused_until:
            self._refuse(username, attempt.refused_until)
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if error.code != "invalid_login":
                throttling.succeeded(cache, attempt)  # no password was checked
                raise
            failure = throttling.failed(cache, attempt, policy)
            hint = throttling.failure_hint(failure, policy)
            if hint is None:
                raise
            raise ValidationError([error, ValidationError(hint, code="lockout_warning")]) from None
        throttling.succeeded(cache, attempt)
        return cleaned

    def _refuse(self, username: str, until: float):
        self.locked = True
        self.retry_after = throttling.seconds_left(until)
        record(
            action="login.locked",
            actor=username[:150],
            object_type="user",
            summary=f"Login refused for {username[:150]!r}: too many failed attempts",
        )
        raise ValidationError(
            self.error_messages["locked"],
            code="locked",
            params={"minutes": throttling.minutes_left(until)},
        )
