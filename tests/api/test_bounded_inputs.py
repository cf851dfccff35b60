"""Integer inputs are bounded to the database's range (ids: BigAutoField, 1 to 2^63 - 1):
one out of range, or no whole number at all, is a 400 naming the parameter, never a 500
(SQLite overflows beyond ±(2^63 - 1); PostgreSQL just compares, so run this on both).

The parameters are read from the OpenAPI schema (every integer query parameter: the id
filters, page, page_size) and from the URLconf (every route with an integer converter,
API and pages alike), so a new filter or route cannot slip through unchecked.

In a URL, an out-of-range number is a 400 naming the parameter under /api/ (the page's
404 elsewhere); a segment that is no number at all ("abc", "1e30") matches no route,
which is a 404 in the API's error format, as for any other URL no route matches."""

import re
from urllib.parse import urlencode

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.generators import SchemaGenerator

from assessments.models import QuestionBank
from common.bounds import ID_MAX
from tests.factories import AssessmentFactory, RespondentFactory

from .helpers import errors, send

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")

# Query strings: out of range (or of the wrong sign) and no whole numbers at all.
OUT_OF_RANGE = ["1" + "0" * 30, "-1" + "0" * 30, str(2**63), "-1", "0", "9" * 5000]
NOT_NUMBERS = ["1e30", "-1e30", "-1.97e+29", "1e5", "1.5", "abc", "", " 5", "١٢", "0x10"]
# In a URL only digits (and a sign) can be a number: the converter captures those.
PATH_OUT_OF_RANGE = OUT_OF_RANGE
PATH_NOT_NUMBERS = ["1e30", "-1.97e+29", "1.5", "abc", "0x10"]


def _schema() -> dict:
    return SchemaGenerator().get_schema(request=None, public=True)


SCHEMA = _schema()


def _integer(parameter: dict) -> bool:
    return parameter.get("schema", {}).get("type") == "integer"


def query_parameters() -> list[tuple[str, str, str]]:
    """(method, path, name) of every numeric query parameter of the schema (a plain
    django-filter NumberFilter on a foreign key is documented as a "number")."""
    return sorted(
        (method.upper(), path, p["name"])
        for path, operations in SCHEMA["paths"].items()
        for method, operation in operations.items()
        if method in METHODS
        for p in operation.get("parameters", [])
        if p["in"] == "query" and p.get("schema", {}).get("type") in ("integer", "number")
    )


def path_parameters() -> list[tuple[str, str, str]]:
    """(method, path, name) of every integer path parameter of the schema."""
    return sorted(
        (method.upper(), path, p["name"])
        for path, operations in SCHEMA["paths"].items()
        for method, operation in operations.items()
        if method in METHODS
        for p in operation.get("parameters", [])
        if p["in"] == "path" and _integer(p)
    )


def url_routes(patterns=None, prefix: str = "", converters=None) -> list[tuple[str, dict]]:
    """(route, {name: converter}) of every route of the URLconf that captures an integer."""
    found = []
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(entry.pattern)
        captured = {**(converters or {}), **getattr(entry.pattern, "converters", {})}
        if isinstance(entry, URLResolver):
            found += url_routes(entry.url_patterns, route, captured)
        elif isinstance(entry, URLPattern) and any(_int_converter(c) for c in captured.values()):
            found.append((route, captured))
    return found


def _int_converter(converter) -> bool:
    return converter.to_python("1") == 1


PAGE_ROUTES = sorted(
    (route, name)
    for route, converters in url_routes()
    if not route.startswith("api/")
    for name, converter in converters.items()
    if _int_converter(converter)
)


# --- the world ------------------------------------------------------------------------


@pytest.fixture
def world(organization, alice):
    """Alice's organization with an assessment (on a bank stub: no questions needed) and
    a respondent: the real ids the query parameters' operations need to be reached."""
    bank = QuestionBank.objects.create(
        version="stub", title="Stub", checksum="-", source="-", definition={}
    )
    assessment = AssessmentFactory(organization=organization, bank=bank, created_by=alice)
    respondent = RespondentFactory(assessment=assessment)
    return {
        "organization_id": organization.pk,
        "assessment_id": assessment.pk,
        # Filters: a real id, and one in range that matches nothing.
        "organization": organization.pk,
        "respondent": respondent.pk,
    }


def _url(path: str, values: dict, replace: dict | None = None) -> str:
    """The schema's `path` with `values` (and `replace` over them) in its {parameters}."""
    filled = {**values, **(replace or {})}

    def value(match):
        name = match.group(1)
        assert name in filled, f"no value for the path parameter {name} of {path}"
        return str(filled[name])

    return re.sub(r"\{(\w+)\}", value, path)


def _operation(method: str, path: str) -> dict:
    return SCHEMA["paths"][path][method.lower()]


def _path_values(method: str, path: str, default) -> dict:
    """A value for every path parameter: `default` for integers, an enum's first value
    (or "x") for strings."""
    values = {}
    for p in _operation(method, path).get("parameters", []):
        if p["in"] == "path":
            values[p["name"]] = default if _integer(p) else p["schema"].get("enum", ["x"])[0]
    return values


def _call(client, method: str, url: str):
    return send(client, method.lower(), url, None if method == "GET" else {})


def _refused_naming(response, name: str, value: str) -> None:
    maximum = 200 if name == "page_size" else ID_MAX
    message = f"Enter a whole number from 1 to {maximum}."
    if value == "":  # no value at all: refused before the view (common/input_hygiene.py)
        message = "Give a value, or leave the parameter out."
    assert response.status_code == 400, (name, value[:40], response.status_code)
    assert errors(response) == [{"field": name, "code": "invalid", "message": message}], (
        name,
        value[:40],
    )


def _not_found_in_the_api_format(response, what) -> None:
    assert response.status_code == 404, (what, response.status_code)
    assert response["Content-Type"] == "application/json", what
    assert errors(response)[0]["code"] == "not_found", what


# --- what is covered ------------------------------------------------------------------


def test_the_integer_query_parameters_are_the_id_filters_page_and_page_size():
    # A new integer filter shows up here (and is then checked by the tests below).
    assert {name for _, _, name in query_parameters()} == {
        "organization",
        "respondent",
        "page",
        "page_size",
    }
    assert ("GET", "/api/v1/assessments/", "organization") in query_parameters()
    assert ("GET", "/api/v1/assessments/{assessment_id}/answers/", "respondent") in (
        query_parameters()
    )


def test_every_api_route_with_an_integer_is_in_the_schema_with_its_bounds():
    routes = {
        "/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        for route, _ in url_routes()
        if route.startswith("api/")
    }
    documented = {path for _, path, _ in path_parameters()}
    assert routes == documented
    for method, path, name in path_parameters():
        (schema,) = [
            p["schema"] for p in _operation(method, path)["parameters"] if p["name"] == name
        ]
        assert (schema["minimum"], schema["maximum"]) == (1, ID_MAX), (method, path, name)
        assert "400" in _operation(method, path)["responses"], (method, path)


def test_every_integer_query_parameter_is_documented_with_its_bounds_and_its_400():
    for method, path, name in query_parameters():
        operation = _operation(method, path)
        (schema,) = [p["schema"] for p in operation["parameters"] if p["name"] == name]
        assert schema["minimum"] == 1 and schema["maximum"] in (200, ID_MAX), (path, name)
        assert "400" in operation["responses"], (method, path)


# --- query parameters -----------------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "name"), query_parameters())
def test_an_integer_query_parameter_out_of_range_or_no_number_is_a_400_naming_it(
    client, alice, world, method, path, name
):
    client.force_login(alice)
    base = _url(path, world)
    for value in [*OUT_OF_RANGE, *NOT_NUMBERS]:
        response = client.generic(method, base, QUERY_STRING=urlencode({name: value}))
        _refused_naming(response, name, value)


IN_RANGE = {"page": ["1"], "page_size": ["1", "200"]}


@pytest.mark.parametrize(("method", "path", "name"), query_parameters())
def test_an_integer_query_parameter_in_range_gets_the_normal_answer(
    client, alice, world, method, path, name
):
    client.force_login(alice)
    base = _url(path, world)
    for value in IN_RANGE.get(name, [str(world.get(name)), "1", str(ID_MAX)]):
        response = client.generic(method, base, QUERY_STRING=urlencode({name: value}))
        assert response.status_code == 200, (path, name, value, response.content[:300])
        assert "results" in response.json()
    if name == "page":  # in range but past the last page
        response = client.generic(method, base, QUERY_STRING=urlencode({name: ID_MAX}))
        _not_found_in_the_api_format(response, (path, name))


def test_a_filter_keeps_filtering_in_range(client, alice, world):
    client.force_login(alice)
    theirs = client.get("/api/v1/assessments/", {"organization": world["organization"]}).json()
    none = client.get("/api/v1/assessments/", {"organization": ID_MAX}).json()
    assert [a["id"] for a in theirs["results"]] == [world["assessment_id"]]
    assert none["count"] == 0


def test_the_issues_example_is_a_400_naming_organization(client, alice):
    client.force_login(alice)

    response = client.get("/api/v1/assessments/?organization=-1.97e+29")

    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "field": "organization",
                "code": "invalid",
                "message": f"Enter a whole number from 1 to {ID_MAX}.",
            }
        ]
    }


# --- path parameters: the API ----------------------------------------------------------


@pytest.mark.parametrize(("method", "path", "name"), path_parameters())
def test_an_api_path_id_out_of_range_is_a_400_naming_it(client, alice, method, path, name):
    client.force_login(alice)
    values = _path_values(method, path, 1)
    for value in PATH_OUT_OF_RANGE:
        response = _call(client, method, _url(path, values, {name: value}))
        _refused_naming(response, name, value)


@pytest.mark.parametrize(("method", "path", "name"), path_parameters())
def test_an_api_path_segment_that_is_no_number_matches_no_route(client, alice, method, path, name):
    client.force_login(alice)
    values = _path_values(method, path, 1)
    for value in PATH_NOT_NUMBERS:
        response = _call(client, method, _url(path, values, {name: value}))
        _not_found_in_the_api_format(response, (method, path, name, value))


@pytest.mark.parametrize(("method", "path", "name"), path_parameters())
def test_an_api_path_id_in_range_is_looked_up_and_not_found(client, alice, method, path, name):
    client.force_login(alice)
    values = _path_values(method, path, 123456789)
    for value in ["123456789", str(ID_MAX)]:
        response = _call(client, method, _url(path, values, {name: value}))
        _not_found_in_the_api_format(response, (method, path, name, value))


def test_the_issues_path_example_is_a_400_naming_assessment_id(client, alice):
    client.force_login(alice)

    response = client.get("/api/v1/assessments/99999999999999999999999/")

    assert response.status_code == 400
    assert response.json() == {
        "errors": [
            {
                "field": "assessment_id",
                "code": "invalid",
                "message": f"Enter a whole number from 1 to {ID_MAX}.",
            }
        ]
    }


def test_an_out_of_range_path_id_is_a_400_before_authentication(client):
    # Like a URL no route matches (a 404 to everyone): the URL itself is wrong.
    response = client.get(f"/api/v1/assessments/{2**63}/scores/")

    assert response.status_code == 400
    assert errors(response)[0]["field"] == "assessment_id"


# --- path parameters: the pages ---------------------------------------------------------


def _page_url(route: str, name: str, value: str) -> str:
    def fill(match):
        converter, captured = match.groups()
        if captured == name:
            return value
        return "123456789" if converter in ("id", "int") else "x"

    return "/" + re.sub(r"<(?:(\w+):)?(\w+)>", fill, route)


@pytest.mark.parametrize(("route", "name"), PAGE_ROUTES)
def test_a_page_with_an_id_out_of_range_or_no_number_is_a_404_page(client, alice, route, name):
    if route.startswith("methodology/"):
        # The question bank editor answers 403 to anyone without the permission, found
        # or not; its ids are looked up for those who have it.
        alice.is_staff = True
        alice.save(update_fields=["is_staff"])
    client.force_login(alice)
    for value in [*PATH_OUT_OF_RANGE, *PATH_NOT_NUMBERS, "123456789", str(ID_MAX)]:
        response = client.get(_page_url(route, name, value))
        # In range: looked up and not found, or a page that is only posted to (405).
        assert response.status_code in (404, 405), (route, value[:40], response.status_code)
        if response.status_code == 404:
            assert response["Content-Type"].startswith("text/html"), (route, value[:40])


def test_the_pages_are_covered():
    assert ("assessments/<id:assessment_id>/results/", "assessment_id") in PAGE_ROUTES
    assert len(PAGE_ROUTES) >= 20
