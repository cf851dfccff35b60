"""Tenant isolation, generated from the OpenAPI schema: every operation is called as each
role of organization A, as bob (a consultant of organization B) and anonymously, against
A's objects. Outsiders read 404, their lists never show A, their writes change nothing;
A's members without the role a write needs get 403 and change nothing; anonymous callers
get 401. An operation missing from CLASSIFICATION fails the test, so a new endpoint
cannot slip through unchecked. Removing a membership takes effect at once."""

import copy
import json
import re
from dataclasses import dataclass, field
from datetime import date

import pytest
from django.apps import apps
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from rest_framework.authtoken.models import Token

from assessments import services as assessment_services
from assessments.models import Answer, Question, QuestionBank, Respondent
from audit.models import AuditEntry
from audit.services import record
from benchmarks.baselines import AMOUNTS, SHARES
from benchmarks.models import OrganizationBaseline
from organizations import throttling
from organizations.models import BusinessUnit, Membership, Role
from organizations.policy import Action, roles_for
from reports.models import ReportRequest
from roadmap import services as roadmap_services
from roadmap.models import Milestone, Target, UseCase, WhatIfScenario
from tests.answering import give
from tests.conftest import BANK_VERSION, _member
from tests.factories import (
    AssessmentFactory,
    MembershipFactory,
    OrganizationFactory,
    RespondentFactory,
    UserFactory,
)

from .helpers import send

pytestmark = pytest.mark.django_db

METHODS = ("get", "post", "put", "patch", "delete")
APPS = (
    "auth",
    "authtoken",
    "organizations",
    "assessments",
    "roadmap",
    "benchmarks",
    "reports",
    "audit",
)


def schema_operations() -> list[tuple[str, str]]:
    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    return sorted((m.upper(), p) for p, ops in paths.items() for m in ops if m in METHODS)


# --- the world ------------------------------------------------------------------------


@dataclass
class Org:
    organization: object
    consultant: object
    assessment: object
    respondent: object
    closed: object
    roadmap: object
    milestone: object
    use_case: object
    report: object
    pending: object = None  # a respondent who has not submitted
    members: dict = field(default_factory=dict)
    scenario: object = None  # a saved what-if scenario of `assessment`
    unit: object = None  # a business unit of the organization
    target: object = None  # a target of the organization


def _submitted_assessment(organization, bank, user, tag):
    assessment = AssessmentFactory(organization=organization, bank=bank, created_by=user)
    respondent = RespondentFactory(assessment=assessment, email=f"{tag}@{tag}.example")
    questions = Question.objects.filter(bank=bank).order_by("position")
    give(respondent, {key: 3 for key in questions.values_list("key", flat=True)[:6]})
    return assessment, respondent


def _org(organization, bank, consultant, tag) -> Org:
    assessment, respondent = _submitted_assessment(organization, bank, consultant, tag)
    closed, _ = _submitted_assessment(organization, bank, consultant, f"{tag}-closed")
    assessment_services.assessment_close(assessment=closed)
    roadmap = roadmap_services.roadmap_create(
        assessment=assessment, start_date=date(2026, 1, 1), user=consultant
    )
    milestone = roadmap.milestones.first() or Milestone.objects.create(
        roadmap=roadmap, phase=1, title="First"
    )
    use_case = UseCase.objects.create(organization=organization, name=f"{tag} use case")
    OrganizationBaseline.objects.create(organization=organization, annual_revenue=1000)
    report = ReportRequest.objects.create(assessment=assessment, kind="full_assessment")
    record(
        action="test.entry",
        organization_id=organization.pk,
        obj=assessment,
        summary=f"{tag} entry",
    )
    pending = RespondentFactory(assessment=assessment, email=f"pending@{tag}.example")
    first_question = Question.objects.filter(bank=bank).order_by("position").first()
    scenario = WhatIfScenario.objects.create(
        assessment=assessment, name=f"{tag} scenario", changes={first_question.key: 5}
    )
    unit = BusinessUnit.objects.create(organization=organization, name=f"{tag} unit")
    target = Target.objects.create(
        organization=organization, dimension="talent", score=70, due_date=date(2027, 1, 1)
    )
    return Org(
        organization,
        consultant,
        assessment,
        respondent,
        closed,
        roadmap,
        milestone,
        use_case,
        report,
        pending,
        scenario=scenario,
        unit=unit,
        target=target,
    )


@pytest.fixture(scope="module")
def world_built_once(django_db_setup, django_db_blocker):
    """A (alice consultant, carol CoE lead, erin executive) and B (bob consultant), built
    once per module inside a transaction rolled back when the module ends: building them
    for each of the hundreds of tests here took a fifth of a second each. As in Django's
    TestCase.setUpTestData, each test runs in a savepoint of that transaction (its
    changes are rolled back) and gets its own copy of the objects (`world`)."""
    with django_db_blocker.unblock(), transaction.atomic():
        bank = QuestionBank.objects.get(version=BANK_VERSION)
        organization = OrganizationFactory(name="Acme Industries")
        other_organization = OrganizationFactory(name="Globex Corporation")
        alice = _member(organization, Role.CONSULTANT, "alice")
        a = _org(organization, bank, alice, "acme")
        a.members = {
            "consultant": alice,
            "coe_lead": _member(organization, Role.COE_LEAD, "carol"),
            "executive": _member(organization, Role.EXECUTIVE, "erin"),
        }
        b = _org(
            other_organization, bank, _member(other_organization, Role.CONSULTANT, "bob"), "globex"
        )
        yield a, b
        transaction.set_rollback(True)


@pytest.fixture
def world(world_built_once, db):
    """(A, B): this test's copy of the module's world (see `world_built_once`)."""
    return copy.deepcopy(world_built_once)


def fingerprint() -> dict:
    """Every row of the project's models (and users, tokens), ordered by key."""
    dump = {}
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            if model.__name__ in ("Question", "QuestionBank", "Dimension"):
                continue  # the shipped bank: read-only through the API, and large
            rows = model.objects.order_by("pk")
            if model is AuditEntry:
                # A refused request is recorded on purpose (audit/services.access_denied):
                # that entry is the only trace it may leave.
                rows = rows.exclude(action="access.denied")
            dump[model.__name__] = [
                json.dumps(row, default=str, sort_keys=True) for row in rows.values()
            ]
    return dump


# --- the classification ---------------------------------------------------------------

ALL = ("consultant", "coe_lead", "executive")


@dataclass(frozen=True)
class Op:
    kind: str  # read | list | write | create | public | token | auth
    url: object  # callable (a, b) -> url
    body: object = None  # callable (a, b) -> body, for writes
    action: Action | None = None  # what the policy table says about it (None: no organization)
    ok: tuple = (200, 201, 202, 204)  # what an allowed writer gets
    allowed_read: tuple = (200,)  # what a role the action allows gets on a read
    outsider: tuple = (404,)  # what bob gets on a write

    @property
    def roles(self) -> tuple:
        """A's roles that the policy table allows, in ALL's order."""
        return tuple(role for role in ALL if role in roles_for(self.action))


def _milestone_body(a, b):
    return {"title": "Changed", "phase": 1}


def _baselines(a, b):
    return {**{name: None for name in (*AMOUNTS, *SHARES)}, "currency": "EUR"}


CLASSIFICATION: dict[tuple[str, str], Op] = {
    # assessments
    ("GET", "/api/v1/assessments/"): Op("list", lambda a, b: "/api/v1/assessments/"),
    ("POST", "/api/v1/assessments/"): Op(
        "write",
        lambda a, b: "/api/v1/assessments/",
        lambda a, b: {"organization": a.organization.pk, "title": "Sneaky"},
        # A's organization is not one bob may choose: a 400 on the field, as for any
        # organization that does not exist.
        outsider=(400,),
        action=Action.MANAGE_ASSESSMENTS,
    ),
    ("GET", "/api/v1/assessments/{assessment_id}/"): Op(
        "read",
        lambda a, b: f"/api/v1/assessments/{a.assessment.pk}/",
        action=Action.VIEW_ASSESSMENT,
    ),
    ("GET", "/api/v1/assessments/{assessment_id}/answers/"): Op(
        "read",
        lambda a, b: f"/api/v1/assessments/{a.assessment.pk}/answers/",
        action=Action.READ_NAMED_ANSWERS,
    ),
    ("GET", "/api/v1/assessments/{assessment_id}/benchmarks/"): Op(
        "read",
        lambda a, b: f"/api/v1/assessments/{a.closed.pk}/benchmarks/",
        action=Action.READ_RESULTS,
    ),
    ("POST", "/api/v1/assessments/{assessment_id}/close/"): Op(
        "write",
        lambda a, b: f"/api/v1/assessments/{a.assessment.pk}/close/",
        lambda a, b: {},
        action=Action.MANAGE_ASSESSMENTS,
    ),
    ("GET", "/api/v1/assessments/{assessment_id}/exports/{dataset}.{file_format}"): Op(
        "read",
        lambda a, b: f"/api/v1/assessments/{a.assessment.pk}/exports/answers.csv",
        action=Action.EXPORT_ANSWERS,
    ),
    ("GET", "/api/v1/assessments/{assessment_id}/placement/"): Op(
        "read",
        lambda a, b: f"/api/v1/assessments/{a.assessment.pk}/placement/",
        action=Action.READ_RESULTS,
    ),
    ("GET", "/api/v1/assessments/{assessment_id}/units/"): Op(
        "read",
        lambda a, b: f"/api/v1/assessments/{a.assessment.pk}/units/",
        action=Action.READ_RESULTS,
    ),
    ("POST", "/api/v1/assessments/{assessment_id}/what-if/"): Op(
        "write",
        lambda a, b: f"/api/v1/assessments/{a.assessment.pk}/what-if/",
        lambda a, b: {"changes": {}},
        action=Action.RUN_WHAT_IF,
    ),
    ("GET", "/api/v1/assessments/{assessment_id}/respondents/"): Op(
        "read",
        lambda a, b: f"/api/v1/assessments/{a.assessment.pk}/respondents/",
        action=Action.VIEW_ASSESSMENT,
    ),
    ("POST", "/api/v1/assessments/{assessment_id}/respondents/"): Op(
        "write",
        lambda a, b: f"/api/v1/assessments/{a.assessment.pk}/respondents/",
        lambda a, b: {
            "name": "Eve",
            "email": "eve@evil.example",
            "role": "cio",
            "title": "CIO",
            "business_unit": "IT",
        },
        action=Action.MANAGE_RESPONDENTS,
    ),
    ("POST", "/api/v1/assessments/{assessment_id}/respondents/{respondent_id}/reissue/"): Op(
        "write",
        lambda a, b: f"/api/v1/assessments/{a.assessment.pk}/respondents/{a.pending.pk}/reissue/",
        lambda a, b: {},
        action=Action.MANAGE_RESPONDENTS,
    ),
    ("POST", "/api/v1/assessments/{assessment_id}/respondents/{respondent_id}/revoke/"): Op(
        "write",
        lambda a, b: f"/api/v1/assessments/{a.assessment.pk}/respondents/{a.pending.pk}/revoke/",
        lambda a, b: {},
        action=Action.MANAGE_RESPONDENTS,
    ),
    ("GET", "/api/v1/assessments/{assessment_id}/scores/"): Op(
        "read",
        lambda a, b: f"/api/v1/assessments/{a.assessment.pk}/scores/",
        action=Action.READ_RESULTS,
    ),
    # authentication: credentials give the caller's own token, nothing of A
    ("POST", "/api/v1/auth/token/"): Op("auth", lambda a, b: "/api/v1/auth/token/"),
    # reference data: the same for everyone, never an organization's data
    ("GET", "/api/v1/benchmarks/reference/"): Op(
        "public", lambda a, b: "/api/v1/benchmarks/reference/"
    ),
    # roadmap
    ("GET", "/api/v1/milestones/{milestone_id}/"): Op(
        "read",
        lambda a, b: f"/api/v1/milestones/{a.milestone.pk}/",
        action=Action.READ_ROADMAP,
    ),
    ("PUT", "/api/v1/milestones/{milestone_id}/"): Op(
        "write",
        lambda a, b: f"/api/v1/milestones/{a.milestone.pk}/",
        _milestone_body,
        action=Action.EDIT_ROADMAP,
    ),
    ("PATCH", "/api/v1/milestones/{milestone_id}/"): Op(
        "write",
        lambda a, b: f"/api/v1/milestones/{a.milestone.pk}/",
        lambda a, b: {"title": "Changed"},
        action=Action.EDIT_ROADMAP,
    ),
    ("DELETE", "/api/v1/milestones/{milestone_id}/"): Op(
        "write",
        lambda a, b: f"/api/v1/milestones/{a.milestone.pk}/",
        None,
        action=Action.EDIT_ROADMAP,
    ),
    ("GET", "/api/v1/roadmaps/"): Op("list", lambda a, b: "/api/v1/roadmaps/"),
    ("POST", "/api/v1/roadmaps/"): Op(
        "write",
        lambda a, b: "/api/v1/roadmaps/",
        lambda a, b: {"assessment": a.assessment.pk, "start_date": "2026-02-01"},
        ok=(409,),  # A already has its roadmap: the permission check let the caller through,
        action=Action.EDIT_ROADMAP,
    ),
    ("GET", "/api/v1/roadmaps/{roadmap_id}/"): Op(
        "read",
        lambda a, b: f"/api/v1/roadmaps/{a.roadmap.pk}/",
        action=Action.READ_ROADMAP,
    ),
    ("DELETE", "/api/v1/roadmaps/{roadmap_id}/"): Op(
        "write",
        lambda a, b: f"/api/v1/roadmaps/{a.roadmap.pk}/",
        None,
        action=Action.EDIT_ROADMAP,
    ),
    ("GET", "/api/v1/roadmaps/{roadmap_id}/milestones/"): Op(
        "read",
        lambda a, b: f"/api/v1/roadmaps/{a.roadmap.pk}/milestones/",
        action=Action.READ_ROADMAP,
    ),
    ("POST", "/api/v1/roadmaps/{roadmap_id}/milestones/"): Op(
        "write",
        lambda a, b: f"/api/v1/roadmaps/{a.roadmap.pk}/milestones/",
        _milestone_body,
        action=Action.EDIT_ROADMAP,
    ),
    ("GET", "/api/v1/use-cases/{use_case_id}/"): Op(
        "read",
        lambda a, b: f"/api/v1/use-cases/{a.use_case.pk}/",
        action=Action.READ_ROADMAP,
    ),
    ("PUT", "/api/v1/use-cases/{use_case_id}/"): Op(
        "write",
        lambda a, b: f"/api/v1/use-cases/{a.use_case.pk}/",
        lambda a, b: {"name": "Changed"},
        action=Action.EDIT_ROADMAP,
    ),
    ("PATCH", "/api/v1/use-cases/{use_case_id}/"): Op(
        "write",
        lambda a, b: f"/api/v1/use-cases/{a.use_case.pk}/",
        lambda a, b: {"name": "Changed"},
        action=Action.EDIT_ROADMAP,
    ),
    ("DELETE", "/api/v1/use-cases/{use_case_id}/"): Op(
        "write",
        lambda a, b: f"/api/v1/use-cases/{a.use_case.pk}/",
        None,
        action=Action.EDIT_ROADMAP,
    ),
    # organizations
    ("GET", "/api/v1/organizations/"): Op("list", lambda a, b: "/api/v1/organizations/"),
    # The consultant's own clients only (tests/practice/test_portfolio.py): bob's shows
    # nothing of A.
    ("GET", "/api/v1/portfolio/"): Op("public", lambda a, b: "/api/v1/portfolio/"),
    ("POST", "/api/v1/organizations/"): Op(
        "create",
        lambda a, b: "/api/v1/organizations/",
        lambda a, b: {
            "name": "Initech",
            "industry": "technology",
            "size_band": "lt_250",
            "region": "europe",
        },
    ),
    ("GET", "/api/v1/organizations/{organization_id}/"): Op(
        "read",
        lambda a, b: f"/api/v1/organizations/{a.organization.pk}/",
        action=Action.VIEW_ORGANIZATION,
    ),
    ("PATCH", "/api/v1/organizations/{organization_id}/"): Op(
        "write",
        lambda a, b: f"/api/v1/organizations/{a.organization.pk}/",
        lambda a, b: {"name": "Renamed"},
        action=Action.EDIT_ORGANIZATION,
    ),
    ("GET", "/api/v1/organizations/{organization_id}/audit/"): Op(
        "read",
        lambda a, b: f"/api/v1/organizations/{a.organization.pk}/audit/",
        action=Action.READ_AUDIT_LOG,
    ),
    ("GET", "/api/v1/organizations/{organization_id}/baselines/"): Op(
        "read",
        lambda a, b: f"/api/v1/organizations/{a.organization.pk}/baselines/",
        action=Action.READ_BASELINES,
    ),
    ("PUT", "/api/v1/organizations/{organization_id}/baselines/"): Op(
        "write",
        lambda a, b: f"/api/v1/organizations/{a.organization.pk}/baselines/",
        _baselines,
        action=Action.EDIT_BASELINES,
    ),
    ("PATCH", "/api/v1/organizations/{organization_id}/baselines/"): Op(
        "write",
        lambda a, b: f"/api/v1/organizations/{a.organization.pk}/baselines/",
        lambda a, b: {"currency": "USD"},
        action=Action.EDIT_BASELINES,
    ),
    ("GET", "/api/v1/organizations/{organization_id}/targets/"): Op(
        "read",
        lambda a, b: f"/api/v1/organizations/{a.organization.pk}/targets/",
        action=Action.READ_ROADMAP,
    ),
    ("POST", "/api/v1/organizations/{organization_id}/targets/"): Op(
        "write",
        lambda a, b: f"/api/v1/organizations/{a.organization.pk}/targets/",
        lambda a, b: {"dimension": "talent", "score": 60, "due_date": "2027-06-30"},
        action=Action.SET_TARGETS,
    ),
    ("GET", "/api/v1/organizations/{organization_id}/memberships/"): Op(
        "read",
        lambda a, b: f"/api/v1/organizations/{a.organization.pk}/memberships/",
        action=Action.VIEW_ORGANIZATION,
    ),
    ("POST", "/api/v1/organizations/{organization_id}/memberships/"): Op(
        "write",
        lambda a, b: f"/api/v1/organizations/{a.organization.pk}/memberships/",
        lambda a, b: {"email": "bob@example.com", "role": "consultant"},
        action=Action.MANAGE_MEMBERS,
    ),
    ("PATCH", "/api/v1/organizations/{organization_id}/memberships/{membership_id}/"): Op(
        "write",
        lambda a, b: (
            f"/api/v1/organizations/{a.organization.pk}/memberships/"
            f"{Membership.objects.get(user=a.members['executive']).pk}/"
        ),
        lambda a, b: {"role": "consultant"},
        action=Action.MANAGE_MEMBERS,
    ),
    ("DELETE", "/api/v1/organizations/{organization_id}/memberships/{membership_id}/"): Op(
        "write",
        lambda a, b: (
            f"/api/v1/organizations/{a.organization.pk}/memberships/"
            f"{Membership.objects.get(user=a.members['coe_lead']).pk}/"
        ),
        action=Action.MANAGE_MEMBERS,
    ),
    ("GET", "/api/v1/organizations/{organization_id}/use-cases/"): Op(
        "read",
        lambda a, b: f"/api/v1/organizations/{a.organization.pk}/use-cases/",
        action=Action.READ_ROADMAP,
    ),
    ("POST", "/api/v1/organizations/{organization_id}/use-cases/"): Op(
        "write",
        lambda a, b: f"/api/v1/organizations/{a.organization.pk}/use-cases/",
        lambda a, b: {"name": "Sneaky"},
        action=Action.EDIT_ROADMAP,
    ),
    # reports
    ("POST", "/api/v1/reports/"): Op(
        "write",
        lambda a, b: "/api/v1/reports/",
        lambda a, b: {"assessment": a.assessment.pk, "kind": "executive_summary"},
        action=Action.REQUEST_CLIENT_REPORT,
    ),
    ("GET", "/api/v1/reports/{report_id}/"): Op(
        "read",
        lambda a, b: f"/api/v1/reports/{a.report.pk}/",
        action=Action.READ_REPORTS,
    ),
    ("GET", "/api/v1/reports/{report_id}/download/"): Op(
        # Pending: nothing to download yet, for anyone; outsiders must still get 404.
        "read",
        lambda a, b: f"/api/v1/reports/{a.report.pk}/download/",
        allowed_read=(409,),
        action=Action.READ_REPORTS,
    ),
    # the respondent API: the invitation token is the credential
    ("GET", "/api/v1/respond/{token}/"): Op("token", lambda a, b, t: f"/api/v1/respond/{t}/"),
    ("PUT", "/api/v1/respond/{token}/answers/{question_key}/"): Op(
        "token",
        lambda a, b, t: f"/api/v1/respond/{t}/answers/{a.respondent.answers.first().question.key}/",
        lambda a, b: {"value": 1},
    ),
    ("POST", "/api/v1/respond/{token}/submit/"): Op(
        "token", lambda a, b, t: f"/api/v1/respond/{t}/submit/", lambda a, b: {}
    ),
}


# --- the checks -----------------------------------------------------------------------


def _ids(value) -> set:
    """Every value of an "id" field anywhere in a JSON body."""
    found = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "id":
                found.add(item)
            found |= _ids(item)
    elif isinstance(value, list):
        for item in value:
            found |= _ids(item)
    return found


def a_ids(a) -> set:
    return {
        a.organization.pk,
        a.assessment.pk,
        a.closed.pk,
        a.respondent.pk,
        a.roadmap.pk,
        a.milestone.pk,
        a.use_case.pk,
        a.report.pk,
        a.pending.pk,
    }


def assert_shows_nothing_of(a, b, response):
    """No object of A: neither its name nor a token of its respondents anywhere, nor an id
    of A's objects in an "id" field (unless B owns an object under the same number, ids
    being per table)."""
    text = response.content.decode()
    assert a.organization.name not in text, text[:500]
    assert a.respondent.token not in text
    assert a.pending.token not in text
    if response.get("Content-Type", "").startswith("application/json"):
        leaked = _ids(response.json()) & a_ids(a) - a_ids(b)
        assert not leaked, (leaked, text[:500])


def call(client, method, url, body=None):
    return send(client, method.lower(), url, body)


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def refused(client, method, url, body, statuses=(404,)):
    before = fingerprint()
    response = call(client, method, url, body)
    assert response.status_code in statuses, (response.status_code, response.content[:300])
    assert fingerprint() == before, "a refused request changed the database"
    return response


@pytest.mark.parametrize("method, path", schema_operations(), ids=lambda v: v)
def test_every_operation_is_isolated_per_organization(world, method, path):
    op = CLASSIFICATION.get((method, path))
    if op is None:
        pytest.fail(f"unclassified operation {method} {path}: classify it in CLASSIFICATION")
    if op.kind in ("read", "write") and op.action is None:
        pytest.fail(f"{method} {path} reaches an organization's data: name its policy Action")
    a, b = world
    body = op.body(a, b) if op.body else None
    bob = as_user(b.consultant)
    anonymous = Client()

    if op.kind == "token":
        _check_token_operation(op, a, b, method, body)
        return
    url = op.url(a, b)

    if op.kind == "auth":
        response = call(anonymous, method, url, {"username": "bob", "password": "wrong"})
        # The failure counts towards login throttling in the shared cache (Redis in CI):
        # clear it, so later tests are not locked out.
        throttling.reset(cache, "bob", "127.0.0.1")
        assert response.status_code == 400
        response = call(
            anonymous, method, url, {"username": "bob", "password": "correct horse battery staple"}
        )
        assert response.status_code == 200
        assert response.json()["token"] == Token.objects.get(user=b.consultant).key
        assert_shows_nothing_of(a, b, response)
        assert not Token.objects.filter(user__in=a.members.values()).exists()
        return

    # anonymous: 401 and nothing changed
    refused(anonymous, method, url, body, (401,))

    if op.kind in ("list", "public"):
        response = call(bob, method, url)
        assert response.status_code == 200
        assert_shows_nothing_of(a, b, response)
        for role in ALL:
            assert call(as_user(a.members[role]), method, url).status_code == 200
        if op.kind == "list":  # the scan finds A's objects where they belong
            own = call(as_user(a.members["consultant"]), method, url)
            assert _ids(own.json()) & a_ids(a)
        return

    if op.kind == "create":
        response = call(bob, method, url, body)
        assert response.status_code == 201, response.content
        assert_shows_nothing_of(a, b, response)
        return

    # an outsider: reads and writes of A's objects are 404 and change nothing
    refused(bob, method, url, body, (404,) if op.kind == "read" else op.outsider)

    if op.kind == "read":
        for role in ALL:
            response = call(as_user(a.members[role]), method, url)
            if role in op.roles:
                assert response.status_code in op.allowed_read, (role, response.content[:300])
            else:
                assert response.status_code == 403, (role, response.status_code)
        return

    # a write: A's roles the table refuses get 403, one allowed role gets through
    for role in ALL:
        if role not in op.roles:
            refused(as_user(a.members[role]), method, url, body, (403,))
    writer = as_user(a.members[op.roles[0]])
    response = call(writer, method, url, body)
    assert response.status_code in op.ok, (op.roles[0], response.status_code, response.content)


def _check_token_operation(op, a, b, method, body):
    client = Client()
    # An unknown token reaches nothing.
    refused(client, method, op.url(a, b, "no-such-token"), body, (404,))
    # A token of B (of a respondent still answering) on A's question keys works on B's
    # questionnaire only: none of A's rows change, nothing of A shows.
    a_rows_before = _a_rows(a)
    response = call(client, method, op.url(a, b, b.pending.token), body)
    assert response.status_code in (*op.ok, 400, 409), (response.status_code, response.content)
    assert_shows_nothing_of(a, b, response)
    assert _a_rows(a) == a_rows_before


def _a_rows(a) -> dict:
    return {
        "answers": list(
            Answer.objects.filter(respondent__assessment__organization=a.organization)
            .order_by("pk")
            .values()
        ),
        "respondents": list(
            Respondent.objects.filter(assessment__organization=a.organization)
            .order_by("pk")
            .values()
        ),
    }


def test_every_classified_operation_is_in_the_schema():
    assert set(CLASSIFICATION) <= set(schema_operations())


# --- membership removal ----------------------------------------------------------------


def test_removing_a_membership_takes_effect_on_the_next_request(world):
    a, _ = world
    alice = a.members["consultant"]
    session = as_user(alice)
    token = Token.objects.create(user=alice)
    with_token = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    url = f"/api/v1/assessments/{a.assessment.pk}/"
    assert session.get(url).status_code == 200
    assert with_token.get(url).status_code == 200

    Membership.objects.filter(user=alice, organization=a.organization).delete()

    assert session.get(url).status_code == 404
    assert with_token.get(url).status_code == 404
    assert session.get(f"/api/v1/roadmaps/{a.roadmap.pk}/").status_code == 404
    assert a.organization.name not in session.get("/api/v1/organizations/").content.decode()


def test_a_new_member_of_b_sees_nothing_of_a(world):
    a, b = world
    newcomer = MembershipFactory(
        organization=b.organization, role=Role.CONSULTANT, user=UserFactory(username="dave")
    ).user
    client = as_user(newcomer)
    assert client.get(f"/api/v1/assessments/{a.assessment.pk}/").status_code == 404


# --- one 404 for "does not exist" and "not yours" ---------------------------------------

MISSING = 10**15  # added to every id of A: no such object


class _Gone:
    """One of A's objects under an id nothing has."""

    def __init__(self, obj):
        self.pk = obj.pk + MISSING
        self.token = "no-such-token"


class _MissingOrg:
    """A with every object id pointing at nothing (members stay real: they are users)."""

    def __init__(self, a: Org):
        self._a = a

    def __getattr__(self, name):
        value = getattr(self._a, name)
        return _Gone(value) if hasattr(value, "pk") else value


@pytest.mark.parametrize("method, path", schema_operations(), ids=lambda v: v)
def test_a_missing_id_and_another_organizations_id_get_the_same_answer(world, method, path):
    """Bob asks for A's object and for one that does not exist: the same status and the
    same body, so nothing tells him that A's id exists."""
    op = CLASSIFICATION[(method, path)]
    if op.kind not in ("read", "write"):
        pytest.skip(f"{op.kind}: no other organization's id in the request")
    a, b = world
    bob = as_user(b.consultant)
    missing = _MissingOrg(a)
    foreign = call(bob, method, op.url(a, b), op.body(a, b) if op.body else None)
    absent = call(bob, method, op.url(missing, b), op.body(missing, b) if op.body else None)
    assert foreign.status_code == absent.status_code, (foreign.content, absent.content)
    # The id the caller sent may be echoed back: it tells nothing.
    assert re.sub(rb"[0-9]+", b"N", foreign.content) == re.sub(rb"[0-9]+", b"N", absent.content)
