"""POST /api/v1/auth/token/: a username and password for the caller's API token."""

from django.core.cache import cache
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.serializers import AuthTokenSerializer
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.exceptions import ErrorDetail, Throttled, ValidationError
from rest_framework.parsers import FormParser, JSONParser

from audit.services import record
from common.api_errors import ERRORS
from organizations import throttling

# A username is at most 150 characters (django.contrib.auth); a password longer than
# 4096 is refused before it is hashed, as Django's own password forms do.
USERNAME_MAX_LENGTH = 150
PASSWORD_MAX_LENGTH = 4096


class TokenRequest(serializers.Serializer):
    """What the caller sends, with the bounds the server enforces."""

    username = serializers.CharField(min_length=1, max_length=USERNAME_MAX_LENGTH, write_only=True)
    password = serializers.CharField(
        min_length=1, max_length=PASSWORD_MAX_LENGTH, trim_whitespace=False, write_only=True
    )


class TokenRequestSerializer(TokenRequest, AuthTokenSerializer):
    """DRF's credential check, on the bounded fields above."""


class TokenView(ObtainAuthToken):
    authentication_classes: list = []
    parser_classes = [JSONParser, FormParser]
    serializer_class = TokenRequestSerializer

    @extend_schema(
        summary="Obtain the API token for a username and password",
        description='Send it as "Authorization: Token <token>".',
        request=TokenRequest,
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: ERRORS,
            429: ERRORS,
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        # The same login throttling as the login page, on the same counters
        # (organizations/throttling.py).
        data = request.data if hasattr(request.data, "get") else {}
        username = str(data.get("username", ""))[:USERNAME_MAX_LENGTH]
        ip = request.META.get("REMOTE_ADDR")
        policy = throttling.Policy.from_settings()
        until = throttling.locked_until(cache, username, ip)
        if until:
            self._refuse(username, until)
        # Counted before the password is checked (organizations/throttling.py).
        attempt = throttling.count_attempt(cache, username, ip, policy)
        if attempt.refused_until:
            self._refuse(username, attempt.refused_until)
        try:
            response = super().post(request, *args, **kwargs)
        except ValidationError as error:
            failure = throttling.failed(cache, attempt, policy)
            hint = throttling.failure_hint(failure, policy)
            if hint and isinstance(error.detail, dict):
                # The login page's warning, after the "unable to log in" message.
                errors = error.detail.setdefault("non_field_errors", [])
                errors.append(ErrorDetail(hint, code="lockout_warning"))
            raise
        throttling.succeeded(cache, attempt)
        return response

    @staticmethod
    def _refuse(username: str, until: float):
        record(
            action="login.locked",
            actor=username,
            object_type="user",
            summary=f"API token refused for {username!r}: too many failed attempts",
        )
        raise Throttled(
            wait=throttling.seconds_left(until),
            detail=throttling.LOCKED_MESSAGE % {"minutes": throttling.minutes_left(until)},
        )
