"""The OpenAPI schema and the server agree in both directions: the schema states the
bounds the server enforces (so a schema-valid request is not refused over a bound nobody
was told about), and the server refuses what the schema forbids (a number sent as a
string, a PUT without a required field, an empty query value for an id)."""

import json
import re

import pytest
from drf_spectacular.generators import SchemaGenerator

from benchmarks.baselines import AMOUNTS, SHARES
from roadmap import tracking
from roadmap.models import Milestone
from tests.roadmap.conftest import roadmap, submitted  # noqa: F401 (the fixtures)

from .helpers import errors, send

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def _resolve(schema, node):
    if "$ref" in node:
        return schema["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _request_properties(schema):
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation.get("requestBody", {}).get("content", {})
            body = content.get("application/json", {}).get("schema")
            if body:
                for name, prop in _resolve(schema, body).get("properties", {}).items():
                    yield f"{method.upper()} {path} {name}", _resolve(schema, prop)


def test_every_number_a_request_body_takes_states_its_range(schema):
    unbounded = [
        where
        for where, prop in _request_properties(schema)
        if prop.get("type") in ("integer", "number")
        and not prop.get("readOnly")
        and not ("minimum" in prop and "maximum" in prop)
    ]
    assert unbounded == []


def test_the_stated_bounds_are_the_ones_the_server_enforces(schema):
    properties = dict(_request_properties(schema))
    percent = properties["PUT /api/v1/use-cases/{use_case_id}/ cost_reduction_target"]
    assert (percent["minimum"], percent["maximum"]) == (-100, 100)
    revenue = properties["PUT /api/v1/organizations/{organization_id}/baselines/ annual_revenue"]
    limit = 10 ** AMOUNTS["annual_revenue"][1]
    assert (revenue["minimum"], revenue["maximum"], revenue["exclusiveMaximum"]) == (0, limit, True)
    due = properties["POST /api/v1/roadmaps/{roadmap_id}/milestones/ due_date"]
    pattern = re.compile(due["pattern"])
    for day in (tracking.EARLIEST_DATE, tracking.LATEST_DATE, "2063-07-14"):
        assert pattern.search(str(day))
    for day in ("1999-12-31", "2101-01-01", "9999-12-31"):
        assert not pattern.search(day)


@pytest.mark.parametrize(
    "body",
    [
        {"title": "Edge", "phase": 4, "due_date": "2100-12-31"},
        {"title": "Edge", "phase": 1, "due_date": "2000-01-01"},
    ],
)
def test_a_request_at_the_stated_bounds_is_accepted(client, carol, roadmap, body):  # noqa: F811
    client.force_login(carol)
    response = send(client, "post", f"/api/v1/roadmaps/{roadmap.pk}/milestones/", body)
    assert response.status_code == 201, response.content
    assert Milestone.objects.filter(title="Edge").exists()


def test_percentages_at_both_ends_are_accepted(client, carol, organization):
    client.force_login(carol)
    body = {"name": "Edges", "cost_reduction_target": 100, "revenue_increase_target": -100}
    response = send(client, "post", f"/api/v1/organizations/{organization.pk}/use-cases/", body)
    assert response.status_code == 201, response.content


def test_the_largest_stated_amount_is_accepted(client, alice, organization):
    client.force_login(alice)
    largest = 10 ** AMOUNTS["annual_revenue"][1] - 1
    body = {
        **{name: None for name in (*AMOUNTS, *SHARES)},
        "annual_revenue": largest,
        "currency": "EUR",
    }
    url = f"/api/v1/organizations/{organization.pk}/baselines/"
    assert send(client, "put", url, body).status_code == 200
    body["annual_revenue"] = 10 ** AMOUNTS["annual_revenue"][1]
    response = send(client, "put", url, body)
    assert response.status_code == 400
    assert errors(response)[0]["field"] == "annual_revenue"


@pytest.mark.parametrize("value", ["1", "1.0", True])
def test_an_id_sent_as_a_string_or_boolean_is_refused(client, alice, organization, value):
    client.force_login(alice)
    body = {"organization": organization.pk if value is None else value, "title": "Typed"}
    response = client.post("/api/v1/assessments/", json.dumps(body), "application/json")
    assert response.status_code == 400
    assert (errors(response)[0]["field"], errors(response)[0]["code"]) == (
        "organization",
        "invalid_type",
    )


@pytest.mark.parametrize("query", ["organization=", "status=", "page=", "status=open&page_size="])
def test_an_empty_query_value_is_refused_naming_it(client, alice, query):
    client.force_login(alice)
    response = client.get(f"/api/v1/assessments/?{query}")
    assert response.status_code == 400
    assert errors(response)[0]["field"] == query.split("&")[-1].rstrip("=")


def test_every_text_a_request_body_takes_states_its_length(schema):
    unbounded = [
        where
        for where, prop in _request_properties(schema)
        if prop.get("type") == "string"
        and not prop.get("readOnly")
        and not ({"enum", "format", "pattern"} & prop.keys())
        and "maxLength" not in prop
    ]
    assert unbounded == []


@pytest.mark.parametrize(
    "field, value",
    [("username", "u" * 151), ("password", "p" * 4097), ("username", ""), ("password", "")],
)
def test_the_token_endpoint_refuses_credentials_beyond_the_stated_lengths(client, field, value):
    body = {"username": "someone", "password": "secret", field: value}
    response = client.post("/api/v1/auth/token/", json.dumps(body), "application/json")
    assert response.status_code == 400
    assert field in {error["field"] for error in errors(response)}
