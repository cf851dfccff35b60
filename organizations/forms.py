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
