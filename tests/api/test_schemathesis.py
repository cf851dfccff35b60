"""Property-based run of every GET operation of the OpenAPI schema (schemathesis,
in-process through WSGI) as a consultant with data to find: no 5xx, and every response
matches its documented status code and schema."""

import json

import pytest
import schemathesis
from django.core.wsgi import get_wsgi_application
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from tests.roadmap.conftest import answer_all


def _schema():
    """The schema /api/schema/ serves, built without a request (no database at import)."""
    document = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(document)))
    loaded.app = get_wsgi_application()
    return loaded


schema = _schema().include(method="GET")


@pytest.fixture
def consultant_headers(transactional_db, alice, assessment, respondent) -> dict:
    # A real WSGI request closes the database connection when it finishes, so the data
    # is committed (transactional_db) rather than held in a test transaction.
    answer_all(respondent, 3)
    return {"Authorization": f"Token {Token.objects.create(user=alice).key}"}


@schema.parametrize()
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,  # the same examples on every run
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_get_operations_conform_to_the_schema(case, consultant_headers):
    case.call_and_validate(
        headers=consultant_headers,
        checks=[not_a_server_error, status_code_conformance, response_schema_conformance],
    )
