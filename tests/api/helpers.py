"""Helpers for the API tests: JSON requests, the error format, and DB snapshots."""

import json

from assessments.models import Answer, Assessment, Respondent
from organizations.models import Membership, Organization


def send(client, method: str, url: str, body=None):
    """A JSON request; `body` may be a raw string to send as it is."""
    if method in ("get", "delete"):
        return getattr(client, method)(url)
    data = body if isinstance(body, str) else json.dumps(body if body is not None else {})
    return getattr(client, method)(url, data, content_type="application/json")


def errors(response) -> list[dict]:
    body = response.json()
    assert set(body) == {"errors"}
    for error in body["errors"]:
        assert set(error) == {"field", "code", "message"}
        assert error["message"]
    return body["errors"]


def fields(response) -> list:
    return [e["field"] for e in errors(response)]


def database() -> dict:
    models = [Organization, Membership, Assessment, Respondent, Answer]
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models}
