from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.cache import cache
from django.core.exceptions import ValidationError

from audit.services import record

from . import throttling
from .models import Organization


class OrganizationForm(forms.ModelForm):
    class Meta:
        model = Organization
        fields = ["name", "industry", "size_band", "region"]


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
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if error.code != "invalid_login":
                raise
            failure = throttling.register_failure(cache, username, ip, policy)
            hint = throttling.failure_hint(failure, policy)
            if hint is None:
                raise
            raise ValidationError([error, ValidationError(hint, code="lockout_warning")]) from None
        throttling.register_success(cache, username, ip)
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
