"""Every documented API response on the demo data, compared with a stored snapshot.

The snapshot was taken before the round-2 refactor (serializers over the domain
dataclasses replaced the hand-built payloads), so it proves that the JSON clients rely on
did not change. Time is frozen and ids are reset, so only the respondents' random tokens
and the audit log's request ids vary between runs; they are masked.

Regenerate (only when a response is meant to change, and say so in the commit):
    UPDATE_SNAPSHOTS=1 .venv/bin/python -m pytest tests/api/test_documented_responses.py
"""

import json
import os
import re
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.test import Client
from rest_framework.authtoken.models import Token

from assessments.models import Assessment, Question
from organizations.models import Organization
from reports.models import ReportRequest
from roadmap.models import Roadmap

SNAPSHOT = Path(__file__).parent / "snapshots" / "demo_responses.json"
FROZEN_AT = "2026-11-20 10:00:00+00:00"


class _Quiet:
    def write(self, *_):
        pass

    def flush(self):
        pass


def _mask(value, secrets: dict[str, str]):
    if isinstance(value, dict):
        return {key: _mask(item, secrets) for key, item in value.items()}
    if isinstance(value, list):
        return [_mask(item, secrets) for item in value]
    if isinstance(value, str):
        for secret, placeholder in secrets.items():
            value = value.replace(secret, placeholder)
        return re.sub(r"[0-9a-f]{32}", "<request-id>", value)
    return value


def _calls(organization, assessment, roadmap, question_key, token, report_id):
    """(label, method, url, body) in order; writes come after every read of what they change."""
    org, a, r = organization.pk, assessment.pk, roadmap.pk
    milestone = roadmap.milestones.order_by("pk").first().pk
    use_case = organization.use_cases.order_by("pk").first().pk
    reads = [
        "/api/v1/organizations/",
        f"/api/v1/organizations/{org}/",
        f"/api/v1/organizations/{org}/memberships/",
        f"/api/v1/organizations/{org}/baselines/",
        f"/api/v1/organizations/{org}/use-cases/",
        f"/api/v1/assessments/?organization={org}",
        "/api/v1/assessments/?status=closed",
        f"/api/v1/assessments/{a}/",
        f"/api/v1/assessments/{a}/respondents/",
        f"/api/v1/assessments/{a}/answers/?page_size=200",
        f"/api/v1/assessments/{a}/answers/?dimension=talent",
        f"/api/v1/assessments/{a}/answers/?question={question_key}",
        f"/api/v1/assessments/{a}/scores/",
        f"/api/v1/assessments/{a}/placement/",
        f"/api/v1/assessments/{a}/benchmarks/",
        "/api/v1/benchmarks/reference/",
        "/api/v1/roadmaps/",
        f"/api/v1/roadmaps/{r}/",
        f"/api/v1/roadmaps/{r}/milestones/",
        f"/api/v1/milestones/{milestone}/",
        f"/api/v1/use-cases/{use_case}/",
        f"/api/v1/reports/{report_id}/",
        f"/api/v1/respond/{token}/",
    ]
    yield from ((url, "get", url, None) for url in reads)
    yield ("milestone patch", "patch", f"/api/v1/milestones/{milestone}/", {"status": "done"})
    yield ("use case patch", "patch", f"/api/v1/use-cases/{use_case}/", {"owner": "Ada"})
    yield (
        "baselines patch",
        "patch",
        f"/api/v1/organizations/{org}/baselines/",
        {"annual_revenue": 125000000},
    )
    yield (
        "organization patch",
        "patch",
        f"/api/v1/organizations/{org}/",
        {"region": "asia_pacific"},
    )
    yield ("organization bad patch", "patch", f"/api/v1/organizations/{org}/", {"region": "mars"})
    yield (
        "answer put",
        "put",
        f"/api/v1/respond/{token}/answers/{question_key}/",
        {"value": 4, "comment": "Two plants"},
    )
    yield ("respondent add", "post", f"/api/v1/assessments/{a}/respondents/", _new_respondent())
    yield (
        "report request",
        "post",
        "/api/v1/reports/",
        {"assessment": a, "kind": "executive_summary"},
    )
    yield ("report bad kind", "post", "/api/v1/reports/", {"assessment": a, "kind": "executive"})
    yield ("respondent bad add", "post", f"/api/v1/assessments/{a}/respondents/", {"email": "x"})
    yield ("milestone bad patch", "patch", f"/api/v1/milestones/{milestone}/", {"status": "?"})
    yield ("close", "post", f"/api/v1/assessments/{a}/close/", None)
    yield ("closed assessment", "get", f"/api/v1/assessments/{a}/scores/", None)
    yield ("audit log", "get", f"/api/v1/organizations/{org}/audit/?page_size=5", None)


def _new_respondent():
    return {"name": "Sam Lee", "email": "cfo@northwind.example", "role": "cfo"}


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_the_documented_responses_on_the_demo_data_are_unchanged(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False  # a report request stays pending: no render
    with time_machine.travel(FROZEN_AT, tick=False):
        call_command("load_reference_data", stdout=_Quiet())
        call_command("load_demo_data", stdout=_Quiet())
        organization = Organization.objects.get(is_demo=True, name__startswith="Northwind")
        assessment = Assessment.objects.get(organization=organization, bank__version="2026.1")
        roadmap = Roadmap.objects.get(organization=organization)
        pending = assessment.respondents.filter(submitted_at__isnull=True).get()
        question_key = Question.objects.filter(bank=assessment.bank).order_by("position")[0].key
        report = ReportRequest.objects.create(assessment=assessment, kind="full_assessment")
        client = Client()
        key = Token.objects.get_or_create(
            user=organization.memberships.get(user__username="consultant").user
        )[0].key
        secrets = {key: "<api-token>"}
        for respondent in assessment.respondents.all():
            secrets[respondent.token] = f"<token-{respondent.name}>"
        responses = {}
        for label, method, url, body in _calls(
            organization, assessment, roadmap, question_key, pending.token, report.pk
        ):
            kwargs = {"HTTP_AUTHORIZATION": f"Token {key}"}
            if body is not None:
                kwargs.update(data=json.dumps(body), content_type="application/json")
            response = getattr(client, method)(url, **kwargs)
            for respondent in assessment.respondents.all():
                secrets.setdefault(respondent.token, f"<token-{respondent.name}>")
            responses[_mask(label, secrets)] = {
                "status": response.status_code,
                "body": _mask(response.json(), secrets),
            }
    if os.environ.get("UPDATE_SNAPSHOTS"):
        SNAPSHOT.parent.mkdir(exist_ok=True)
        SNAPSHOT.write_text(json.dumps(responses, indent=1, sort_keys=True) + "\n")
    expected = json.loads(SNAPSHOT.read_text())
    assert sorted(responses) == sorted(expected)
    for label, response in responses.items():
        assert response == expected[label], label
