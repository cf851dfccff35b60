"""The hostile-input corpus (tests/data/hostile_inputs.json: control characters, NUL, lone
surrogates, deep JSON, plotly markup, huge numbers) sent to every write operation of the
API, every page form and every export. Whatever comes back, it is never a 500, and no
text the database keeps holds a control character, NUL or surrogate.

The operations and pages come from the inventories the policy tests keep
(tests/api/test_isolation.py CLASSIFICATION, tests/test_policy.py ROUTES), so a new
endpoint or form is probed without being listed here."""

import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import models
from django.test import Client

from assessments.exports import DATASETS, FORMATS
from assessments.models import Question
from common.input_hygiene import printable
from organizations import throttling
from organizations.models import Role
from organizations.policy import roles_for
from tests.api.test_isolation import (
    APPS,
    CLASSIFICATION,
    schema_operations,
    world,  # noqa: F401 (the fixture)
    world_built_once,  # noqa: F401 (the fixture)
)
from tests.factories import RespondentFactory
from tests.test_policy import ROUTES

pytestmark = pytest.mark.django_db

CORPUS = json.loads((Path(__file__).parent / "data" / "hostile_inputs.json").read_text())
TEXTS: list[str] = CORPUS["texts"]
VALUES: list[str] = [json.dumps(text) for text in TEXTS] + CORPUS["json_values"]
PLACEHOLDER = '"__hostile__"'
WRITES = [(m, p) for m, p in schema_operations() if m in ("POST", "PUT", "PATCH")]
PAGE_POSTS = [
    (route, i)
    for route, cases in ROUTES.items()
    for i, case in enumerate(cases)
    if case.method == "post" and case.body
]


def _client(user) -> Client:
    client = Client(raise_request_exception=False)  # a server error is a 500 here
    client.force_login(user)
    return client


def _stored_text_problems() -> list[tuple[str, str, str]]:
    """(model, field, value) of every stored text holding what input may not carry."""
    found = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            fields = [
                f.name
                for f in model._meta.get_fields()
                if isinstance(f, models.CharField | models.TextField) and f.concrete
            ]
            for row in model.objects.values(*fields):
                for name, value in row.items():
                    if isinstance(value, str) and printable(value) != value:
                        found.append((model.__name__, name, value))
    return found


def _no_server_error(response, what):
    assert response.status_code < 500, (what, response.status_code, response.content[:300])


@pytest.mark.parametrize("method, path", WRITES, ids=lambda v: v)
def test_every_api_write_survives_the_corpus(world, method, path):  # noqa: F811
    op = CLASSIFICATION[(method, path)]
    a, b = world
    if op.kind == "auth":
        client, url, body = Client(raise_request_exception=False), op.url(a, b), None
        body = {"username": "bob", "password": "wrong"}
    elif op.kind == "token":
        client = Client(raise_request_exception=False)
        respondent = RespondentFactory(assessment=a.assessment, email="corpus@acme.example")
        url, body = op.url(a, b, respondent.token), op.body(a, b)
    else:
        writer = a.members[op.roles[0]] if op.action else b.consultant
        client, url, body = _client(writer), op.url(a, b), op.body(a, b)
    body = body or {}
    for levels in CORPUS["deep_json_levels"]:
        raw = '{"x": ' + "[" * levels + "]" * levels + "}"
        response = client.generic(method, url, raw, content_type="application/json")
        _no_server_error(response, f"{levels} deep")
        assert response.status_code == 400
    for field in [*body, "extra"]:
        for value in VALUES:
            raw = json.dumps({**body, field: "__hostile__"}).replace(PLACEHOLDER, value)
            response = client.generic(method, url, raw, content_type="application/json")
            _no_server_error(response, (field, value))
    if op.kind == "auth":
        # The failures count towards login throttling in the shared cache: clear them,
        # so that later tests are not locked out.
        throttling.reset(cache, "bob", "127.0.0.1")
        throttling.reset(cache, "", "127.0.0.1")
    assert _stored_text_problems() == []


@pytest.mark.parametrize("route, index", PAGE_POSTS, ids=str)
def test_every_page_form_survives_the_corpus(world, route, index):  # noqa: F811
    case = ROUTES[route][index]
    a, _ = world
    role = next(r for r in ("consultant", "coe_lead", "executive") if r in roles_for(case.action))
    client = _client(a.members[role])
    url, body = case.url(a), case.body(a)
    for field in body:
        for text in TEXTS:
            if any("\ud800" <= c <= "\udfff" for c in text):
                continue  # a form body is UTF-8: it cannot carry a surrogate
            response = client.post(url, {**body, field: text})
            _no_server_error(response, (field, text))
    assert _stored_text_problems() == []


def test_the_questionnaire_survives_the_corpus(world):  # noqa: F811
    a, _ = world
    respondent = RespondentFactory(assessment=a.assessment, email="corpus@acme.example")
    client = Client(raise_request_exception=False)
    question = Question.objects.filter(bank=a.assessment.bank).order_by("position").first()
    for name in ("value", "comment", "evidence"):
        for text in TEXTS:
            if any("\ud800" <= c <= "\udfff" for c in text):
                continue
            data = {f"{question.key}-value": "3", f"{question.key}-{name}": text}
            response = client.post(f"/r/{respondent.token}/q/{question.key}/", data)
            _no_server_error(response, (name, text))
    assert _stored_text_problems() == []


def test_every_export_survives_hostile_text_stored_before_the_checks(world):  # noqa: F811
    """Rows written before input was checked: every export, page and API, still works."""
    a, _ = world
    stored = "".join(t for t in TEXTS if printable(t.replace("\x00", "")) != t)
    stored = printable(stored.replace("\x00", "")) + "\x07\x1b\x0b\x7f\x85\ufffe"
    a.assessment.title = stored[:200]
    a.assessment.save()
    a.respondent.title = stored[:100]
    a.respondent.name = stored[:100]
    a.respondent.save()
    a.respondent.answers.update(comment=stored, evidence=stored)
    a.organization.name = stored[:100]
    a.organization.save()
    client = _client(a.members["consultant"])
    assert Role.CONSULTANT in roles_for(ROUTES["assessments:export"][0].action)
    for dataset in DATASETS:
        for file_format in FORMATS:
            for prefix in ("/assessments", "/api/v1/assessments"):
                url = f"{prefix}/{a.assessment.pk}/exports/{dataset}.{file_format}"
                response = client.get(url)
                assert response.status_code == 200, (url, response.content[:300])
