"""Token authentication, the OpenAPI schema (valid, no warnings, every operation
documented) and the documentation pages served from our own static files."""

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from .helpers import errors, fields, send

pytestmark = pytest.mark.django_db

TOKEN_URL = "/api/v1/auth/token/"
NEW_PATHS = {
    "/api/v1/organizations/",
    "/api/v1/organizations/{organization_id}/",
    "/api/v1/organizations/{organization_id}/memberships/",
    "/api/v1/organizations/{organization_id}/memberships/{membership_id}/",
    "/api/v1/assessments/",
    "/api/v1/assessments/{assessment_id}/",
    "/api/v1/assessments/{assessment_id}/close/",
    "/api/v1/assessments/{assessment_id}/respondents/",
    "/api/v1/assessments/{assessment_id}/respondents/{respondent_id}/revoke/",
    "/api/v1/assessments/{assessment_id}/respondents/{respondent_id}/reissue/",
    "/api/v1/assessments/{assessment_id}/answers/",
}
PASSWORD = "correct horse battery staple"  # tests/factories.py


def test_a_token_is_obtained_with_a_username_and_password_and_authenticates(alice):
    client = Client(enforce_csrf_checks=True)

    response = send(client, "post", TOKEN_URL, {"username": "alice", "password": PASSWORD})

    assert response.status_code == 200
    token = response.json()["token"]
    assert Token.objects.get(user=alice).key == token
    api = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Token {token}")
    assert api.get("/api/v1/organizations/").json()["count"] == 1
    created = send(
        api,
        "post",
        "/api/v1/organizations/",
        {"name": "Via token", "industry": "retail", "size_band": "lt_250", "region": "europe"},
    )
    assert created.status_code == 201  # no CSRF for token requests


@pytest.mark.parametrize(
    "body, field",
    [
        ({"username": "alice", "password": "wrong"}, None),
        ({"username": "alice"}, "password"),
        ({"password": PASSWORD}, "username"),
    ],
)
def test_bad_credentials_are_a_400(client, alice, body, field):
    response = send(client, "post", TOKEN_URL, body)

    assert response.status_code == 400
    assert fields(response) == [field]
    assert not Token.objects.exists()


def test_a_wrong_token_is_a_401(client, alice):
    response = client.get("/api/v1/organizations/", HTTP_AUTHORIZATION="Token nope")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    errors(response)


def test_the_schema_validates_without_warnings(tmp_path):
    target = tmp_path / "schema.yml"

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))

    schema = yaml.safe_load(target.read_text())
    assert schema["openapi"].startswith("3.")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            where = f"{method.upper()} {path}"
            assert operation.get("summary"), where
            assert any(code.startswith("2") for code in operation["responses"]), where
            if path in NEW_PATHS:
                assert "401" in operation["responses"], where
                if "{" in path:
                    assert "404" in operation["responses"], where
                if method in ("post", "patch") and "requestBody" in operation:
                    assert "400" in operation["responses"], where
    assert set(schema["paths"]) >= NEW_PATHS


def test_the_schema_and_docs_are_served_from_our_static_files(client):
    schema = client.get("/api/schema/")
    docs = client.get("/api/docs/")
    redoc = client.get("/api/redoc/")

    assert schema.status_code == 200
    assert "/api/v1/organizations/" in schema.content.decode()
    assert docs.status_code == 200 and redoc.status_code == 200
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/" in docs.content.decode()
    assert "/static/drf_spectacular_sidecar/redoc/" in redoc.content.decode()
    assert (
        client.get(
            "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
        ).status_code
        == 200
    )
