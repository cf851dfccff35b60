"""POST /api/v1/auth/token/: a username and password for the caller's API token."""

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.authtoken.views import ObtainAuthToken
from rest_framework.parsers import FormParser, JSONParser

from assessments.api import ERRORS


class TokenView(ObtainAuthToken):
    authentication_classes: list = []
    parser_classes = [JSONParser, FormParser]

    @extend_schema(
        summary="Obtain the API token for a username and password",
        description='Send it as "Authorization: Token <token>".',
        request=inline_serializer(
            "TokenRequest",
            {"username": serializers.CharField(), "password": serializers.CharField()},
        ),
        responses={
            200: inline_serializer("TokenResponse", {"token": serializers.CharField()}),
            400: ERRORS,
        },
        auth=[],
    )
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)
