"""Token authentication, the OpenAPI schema (valid, no warnings, every operation
documented) and the documentation pages served from our own static files."""

import pytest
import yaml
from django.core.management import call_command
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
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


def test_a_respondents_invitation_token_is_no_api_credential(client, respondent):
    # Found by schemathesis: the 401 was right, but most operations did not document it.
    url = "/api/v1/roadmaps/"

    response = client.get(url, HTTP_AUTHORIZATION=f"Token {respondent.token}")

    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    errors(response)
    assert "401" in _schema()["paths"][url]["get"]["responses"]


def test_every_operation_that_needs_credentials_documents_its_401():
    schema = _schema()
    open_to_all = set()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if not operation.get("security"):
                open_to_all.add(f"{method.upper()} {path}")
                continue
            response = operation["responses"]["401"]
            assert response["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Errors"
            }, (method, path)
    assert open_to_all == {
        "POST /api/v1/auth/token/",
        "GET /api/v1/respond/{token}/",
        "PUT /api/v1/respond/{token}/answers/{question_key}/",
        "POST /api/v1/respond/{token}/submit/",
    }


def test_closed_sets_of_values_are_listed_in_the_schema():
    """What a client may send is in the schema, so that it (and schemathesis) need not
    guess: export names, answer values, report kinds."""
    schema = _schema()
    export = schema["paths"]["/api/v1/assessments/{assessment_id}/exports/{dataset}.{file_format}"]
    parameters = {p["name"]: p["schema"] for p in export["get"]["parameters"]}
    assert parameters["dataset"]["enum"] == ["aggregates", "answers", "scores"]  # sorted
    assert parameters["file_format"]["enum"] == ["csv", "xlsx"]
    components = schema["components"]["schemas"]
    levels_or_words = [
        {"type": "integer", "minimum": 1, "maximum": 5},
        {"type": "string", "enum": ["na", "dont_know"]},
    ]
    assert components["AnswerInput"]["properties"]["value"]["oneOf"] == levels_or_words
    for name in ("Answer", "AnswerRead"):
        value = components[name]["properties"]["value"]
        assert (value["oneOf"], value["nullable"]) == (levels_or_words, True)
    kind = components["ReportCreate"]["properties"]["kind"]
    assert components[kind["$ref"].rsplit("/", 1)[1]]["enum"] == [
        "executive_summary",
        "full_assessment",
        "roadmap_progress",
    ]


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


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
    # Redoc's bundle: the sidecar's, served without its logo from the web (config/redoc.py)
    assert "/api/redoc-dist/bundles/redoc.standalone.js" in redoc.content.decode()
    assert client.get("/api/redoc-dist/bundles/redoc.standalone.js").status_code == 200
    assert (
        client.get(
            "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
        ).status_code
        == 200
    )
