"""Request bodies: a field an endpoint does not know is a 400 naming it (code
unknown_field) and changes nothing, so a misspelt field never passes for a change that
was not made; a body in a media type the endpoint does not read is a documented 415."""

import pytest
from drf_spectacular.generators import SchemaGenerator

from organizations.models import Membership

from .helpers import database, errors, send

NEW_ORGANIZATION = {"name": "Umbrella", "industry": "technology", "size_band": "lt_250"}


def _writes(organization, assessment, alice):
    membership = Membership.objects.get(user=alice)
    orgs = f"/api/v1/organizations/{organization.pk}/"
    return [
        ("post", "/api/v1/organizations/", {**NEW_ORGANIZATION, "nmae": "typo"}, "nmae"),
        ("patch", orgs, {"name": "Renamed", "industri": "retail"}, "industri"),
        ("post", f"{orgs}memberships/", {"email": "z@z.example", "role": "executive", "x": 1}, "x"),
        ("patch", f"{orgs}memberships/{membership.pk}/", {"role": "consultant", "rol": "a"}, "rol"),
        (
            "post",
            "/api/v1/assessments/",
            {"organization": organization.pk, "title": "T", "bank_version": "1"},
            "bank_version",
        ),
        (
            "post",
            f"/api/v1/assessments/{assessment.pk}/respondents/",
            {"name": "A", "email": "a@b.example", "role": "ceo", "phone": "1"},
            "phone",
        ),
        (
            "post",
            "/api/v1/reports/",
            {"assessment": assessment.pk, "kind": "full_assessment", "format": "pdf"},
            "format",
        ),
    ]


@pytest.mark.parametrize("index", range(7))
def test_an_unknown_field_is_refused_and_changes_nothing(
    client, alice, organization, assessment, index
):
    client.force_login(alice)
    method, url, body, unknown = _writes(organization, assessment, alice)[index]
    before = database()

    response = send(client, method, url, body)

    assert response.status_code == 400, (url, response.content)
    assert errors(response) == [
        {"field": unknown, "code": "unknown_field", "message": "Unknown field."}
    ]
    assert database() == before


def test_read_only_fields_of_a_response_are_accepted_back(client, alice, organization):
    client.force_login(alice)
    url = f"/api/v1/organizations/{organization.pk}/"
    current = client.get(url).json()

    response = send(client, "patch", url, {**current, "name": "Renamed"})

    assert response.status_code == 200, response.content
    assert response.json()["name"] == "Renamed"


def test_the_schema_says_which_bodies_refuse_unknown_fields():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    components = schema["components"]["schemas"]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            body = operation.get("requestBody", {}).get("content", {}).get("application/json")
            if body is None or path == "/api/v1/auth/token/":
                continue
            name = body["schema"]["$ref"].rsplit("/", 1)[1]
            assert components[name].get("additionalProperties") is False, (method, path, name)


def test_a_body_in_another_media_type_is_a_documented_415(client, alice, assessment):
    client.force_login(alice)

    response = client.post("/api/v1/reports/", "kind=full", content_type="text/plain")

    assert response.status_code == 415
    assert errors(response)[0]["code"] == "unsupported_media_type"
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert "415" in schema["paths"]["/api/v1/reports/"]["post"]["responses"]
