"""The policy table (organizations.policy) drives every page, export and download: each
role of organization A gets exactly what the table says for the route's action (allowed:
the page works; refused: 403 with an audit entry), bob (a consultant of B) gets 404 with
an audit entry, and an anonymous visitor is sent to log in. A page route missing from
ROUTES fails the test, so a new page cannot slip through. The API's operations are
checked the same way, from the same table, in tests/api/test_isolation.py."""

from dataclasses import dataclass
from datetime import date, timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from assessments.models import EvidenceFile
from audit.models import AuditEntry
from organizations.models import Membership, Role
from organizations.policy import POLICY, Action, roles_for
from tests.api.test_isolation import world, world_built_once  # noqa: F401 (the fixtures)

pytestmark = pytest.mark.django_db

ROLES = ("consultant", "coe_lead", "executive")


@dataclass(frozen=True)
class Case:
    method: str
    url: object  # callable (a) -> url
    action: Action
    body: object = None  # callable (a) -> form data, for POST


def _org(a) -> str:
    return f"/organizations/{a.organization.pk}"


def _assessment(a) -> str:
    return f"/assessments/{a.assessment.pk}"


def _milestone(a) -> str:
    return f"{_org(a)}/roadmap/milestones/{a.milestone.pk}"


def _use_case(a) -> str:
    return f"{_org(a)}/roadmap/use-cases/{a.use_case.pk}"


def _evidence(a) -> str:
    """The download URL of an evidence file of A's assessment (made the first time)."""
    question = a.assessment.bank.questions.first()
    stored = EvidenceFile.objects.filter(assessment=a.assessment).first()
    if stored is None:
        stored = EvidenceFile(
            assessment=a.assessment,
            question=question,
            original_name="minutes.pdf",
            content_type="application/pdf",
            size=9,
        )
        stored.file.save("evidence", ContentFile(b"%PDF-1.7\n"), save=False)
        stored.save()
    return f"{_assessment(a)}/evidence/{stored.pk}/"


def _first_question(a) -> str:
    return a.assessment.bank.questions.order_by("position").first().key


def _erin(a) -> str:
    """The members URL of A's executive (whom a consultant may change or remove)."""
    membership = Membership.objects.get(organization=a.organization, user=a.members["executive"])
    return f"{_org(a)}/members/{membership.pk}"


# route name → the requests that reach it (every method it serves, every export).
ROUTES: dict[str, list[Case]] = {
    "results:organization": [Case("get", lambda a: f"{_org(a)}/", Action.VIEW_ORGANIZATION)],
    "results:assessment": [
        Case("get", lambda a: f"{_assessment(a)}/results/", Action.READ_RESULTS)
    ],
    "organizations:audit": [Case("get", lambda a: f"{_org(a)}/audit/", Action.READ_AUDIT_LOG)],
    "results:member-invite": [
        Case(
            "post",
            lambda a: f"{_org(a)}/members/",
            Action.MANAGE_MEMBERS,
            lambda a: {"email": "new.member@acme.example", "role": "executive"},
        )
    ],
    "results:member-role": [
        Case(
            "post",
            lambda a: f"{_erin(a)}/role/",
            Action.MANAGE_MEMBERS,
            lambda a: {"role": "coe_lead"},
        )
    ],
    "results:member-remove": [
        Case("get", lambda a: f"{_erin(a)}/remove/", Action.MANAGE_MEMBERS),
        Case("post", lambda a: f"{_erin(a)}/remove/", Action.MANAGE_MEMBERS),
    ],
    "results:assessment-create": [
        Case(
            "post",
            lambda a: f"{_org(a)}/assessments/new/",
            Action.MANAGE_ASSESSMENTS,
            lambda a: {"title": "Second", "bank": a.assessment.bank_id},
        )
    ],
    "assessments:detail": [Case("get", lambda a: f"{_assessment(a)}/", Action.VIEW_ASSESSMENT)],
    "assessments:export": [
        Case("get", lambda a: f"{_assessment(a)}/exports/answers.csv", Action.EXPORT_ANSWERS),
        Case("get", lambda a: f"{_assessment(a)}/exports/answers.xlsx", Action.EXPORT_ANSWERS),
        Case("get", lambda a: f"{_assessment(a)}/exports/scores.csv", Action.EXPORT_AGGREGATES),
        Case("get", lambda a: f"{_assessment(a)}/exports/scores.xlsx", Action.EXPORT_AGGREGATES),
    ],
    "assessments:export-check": [
        Case(
            "get", lambda a: f"{_assessment(a)}/exports/answers.csv/check/", Action.EXPORT_ANSWERS
        ),
        Case(
            "post", lambda a: f"{_assessment(a)}/exports/answers.csv/check/", Action.EXPORT_ANSWERS
        ),
        Case(
            "get",
            lambda a: f"{_assessment(a)}/exports/scores.xlsx/check/",
            Action.EXPORT_AGGREGATES,
        ),
    ],
    "assessments:due-date": [
        Case(
            "post",
            lambda a: f"{_assessment(a)}/due-date/",
            Action.MANAGE_ASSESSMENTS,
            lambda a: {"due_date": (date.today() + timedelta(days=30)).isoformat()},
        )
    ],
    "assessments:close": [
        Case("get", lambda a: f"{_assessment(a)}/close/", Action.MANAGE_ASSESSMENTS),
        Case("post", lambda a: f"{_assessment(a)}/close/", Action.MANAGE_ASSESSMENTS),
        Case(
            "post",
            lambda a: f"{_assessment(a)}/close/",
            Action.MANAGE_ASSESSMENTS,
            lambda a: {"confirm": "yes"},
        ),
    ],
    "assessments:assessor-start": [
        Case("post", lambda a: f"{_assessment(a)}/assessor/", Action.ANSWER_AS_ASSESSOR)
    ],
    "assessments:verification": [
        Case("get", lambda a: f"{_assessment(a)}/verification/", Action.VERIFY_EVIDENCE)
    ],
    "assessments:verify": [
        Case(
            "post",
            lambda a: f"{_assessment(a)}/verification/{_first_question(a)}/",
            Action.VERIFY_EVIDENCE,
            lambda a: {"level": "3", "note": "Seen"},
        )
    ],
    "assessments:evidence-upload": [
        Case(
            "post",
            lambda a: f"{_assessment(a)}/verification/{_first_question(a)}/files/",
            Action.VERIFY_EVIDENCE,
            lambda a: {"file": SimpleUploadedFile("a.pdf", b"%PDF-1.7\n")},
        )
    ],
    "assessments:evidence-download": [
        Case("get", lambda a: _evidence(a), Action.DOWNLOAD_EVIDENCE)
    ],
    "assessments:respondent-add": [
        Case(
            "post",
            lambda a: f"{_assessment(a)}/respondents/",
            Action.MANAGE_RESPONDENTS,
            lambda a: {"name": "Sam Lee", "email": "cfo@acme.example", "role": "cfo"},
        )
    ],
    "assessments:respondents-add-bulk": [
        Case(
            "post",
            lambda a: f"{_assessment(a)}/respondents/paste/",
            Action.MANAGE_RESPONDENTS,
            lambda a: {"lines": "Sam Lee, cfo@acme.example, CFO\nAna Ruiz, coo@acme.example, COO"},
        )
    ],
    "assessments:invitations-send-all": [
        Case(
            "post",
            lambda a: f"{_assessment(a)}/respondents/email-all/",
            Action.MANAGE_RESPONDENTS,
            lambda a: {"which": "not_submitted"},
        )
    ],
    "assessments:respondent-revoke": [
        Case(
            "get",
            lambda a: f"{_assessment(a)}/respondents/{a.pending.pk}/revoke/",
            Action.MANAGE_RESPONDENTS,
        ),
        Case(
            "post",
            lambda a: f"{_assessment(a)}/respondents/{a.pending.pk}/revoke/",
            Action.MANAGE_RESPONDENTS,
            lambda a: {"confirm": "yes"},
        ),
    ],
    **{
        f"assessments:respondent-{verb}": [
            Case(
                "post",
                lambda a, verb=verb: f"{_assessment(a)}/respondents/{a.pending.pk}/{verb}/",
                Action.MANAGE_RESPONDENTS,
            )
        ]
        for verb in ("reissue", "send")
    },
    "benchmarks:baselines": [
        Case("get", lambda a: f"{_org(a)}/baselines/", Action.READ_BASELINES),
        Case(
            "post",
            lambda a: f"{_org(a)}/baselines/",
            Action.EDIT_BASELINES,
            lambda a: {"currency": "EUR", "annual_revenue": "1000"},
        ),
    ],
    "roadmap:page": [
        Case("get", lambda a: f"{_org(a)}/roadmap/", Action.READ_ROADMAP),
        Case("post", lambda a: f"{_org(a)}/roadmap/", Action.EDIT_ROADMAP),
    ],
    "roadmap:milestone-create": [
        Case("get", lambda a: f"{_org(a)}/roadmap/milestones/new/", Action.EDIT_ROADMAP),
        Case(
            "post",
            lambda a: f"{_org(a)}/roadmap/milestones/new/",
            Action.EDIT_ROADMAP,
            lambda a: {"title": "New", "phase": 1, "status": "not_started"},
        ),
    ],
    "roadmap:milestone-edit": [
        Case("get", lambda a: f"{_milestone(a)}/edit/", Action.EDIT_ROADMAP),
        Case(
            "post",
            lambda a: f"{_milestone(a)}/edit/",
            Action.EDIT_ROADMAP,
            lambda a: {"title": "Changed", "phase": 1, "status": "not_started"},
        ),
    ],
    "roadmap:milestone-delete": [
        Case("get", lambda a: f"{_milestone(a)}/delete/", Action.EDIT_ROADMAP),
        Case("post", lambda a: f"{_milestone(a)}/delete/", Action.EDIT_ROADMAP),
    ],
    "roadmap:milestone-status": [
        Case(
            "post",
            lambda a: f"{_milestone(a)}/status/",
            Action.EDIT_ROADMAP,
            lambda a: {"status": "done"},
        )
    ],
    "roadmap:milestone-move": [
        Case(
            "post",
            lambda a: f"{_milestone(a)}/move/",
            Action.EDIT_ROADMAP,
            lambda a: {"direction": "up"},
        )
    ],
    "roadmap:recommendation-accept": [
        Case(
            "post",
            lambda a: f"{_org(a)}/roadmap/recommendations/accept/",
            Action.EDIT_ROADMAP,
            lambda a: {"recommendation": "none"},
        )
    ],
    "roadmap:reassess": [
        Case("post", lambda a: f"{_org(a)}/roadmap/reassess/", Action.EDIT_ROADMAP)
    ],
    "roadmap:use-case-create": [
        Case("get", lambda a: f"{_org(a)}/roadmap/use-cases/new/", Action.EDIT_ROADMAP),
        Case(
            "post",
            lambda a: f"{_org(a)}/roadmap/use-cases/new/",
            Action.EDIT_ROADMAP,
            lambda a: {"name": "Invoice matching", "stage": "idea"},
        ),
    ],
    "roadmap:use-case-edit": [
        Case("get", lambda a: f"{_use_case(a)}/edit/", Action.EDIT_ROADMAP),
        Case(
            "post",
            lambda a: f"{_use_case(a)}/edit/",
            Action.EDIT_ROADMAP,
            lambda a: {"name": "Renamed", "stage": "idea"},
        ),
    ],
    "roadmap:use-case-delete": [
        Case("get", lambda a: f"{_use_case(a)}/delete/", Action.EDIT_ROADMAP),
        Case("post", lambda a: f"{_use_case(a)}/delete/", Action.EDIT_ROADMAP),
    ],
    "organizations:units": [
        Case("get", lambda a: f"{_org(a)}/units/", Action.MANAGE_UNITS),
        Case("post", lambda a: f"{_org(a)}/units/", Action.MANAGE_UNITS, lambda a: {"name": "HQ"}),
    ],
    "organizations:unit-edit": [
        Case(
            "post",
            lambda a: f"{_org(a)}/units/{a.unit.pk}/",
            Action.MANAGE_UNITS,
            lambda a: {"name": "Renamed"},
        )
    ],
    "organizations:unit-delete": [
        Case("post", lambda a: f"{_org(a)}/units/{a.unit.pk}/delete/", Action.MANAGE_UNITS)
    ],
    "roadmap:target-set": [
        Case(
            "post",
            lambda a: f"{_org(a)}/roadmap/targets/",
            Action.SET_TARGETS,
            lambda a: {"dimension": "talent", "score": "60", "due_date": "2027-06-30"},
        )
    ],
    "roadmap:target-delete": [
        Case(
            "post", lambda a: f"{_org(a)}/roadmap/targets/{a.target.pk}/delete/", Action.SET_TARGETS
        )
    ],
    "what_if:page": [
        Case("get", lambda a: f"{_assessment(a)}/what-if/", Action.RUN_WHAT_IF),
        Case("post", lambda a: f"{_assessment(a)}/what-if/", Action.RUN_WHAT_IF),
    ],
    "what_if:scenario-save": [
        Case(
            "post",
            lambda a: f"{_assessment(a)}/what-if/scenarios/",
            Action.SAVE_SCENARIOS,
            lambda a: {"name": "Policy check", f"q-{next(iter(a.scenario.changes))}": "4"},
        )
    ],
    "what_if:scenario-delete": [
        Case(
            "post",
            lambda a: f"{_assessment(a)}/what-if/scenarios/{a.scenario.pk}/delete/",
            Action.SAVE_SCENARIOS,
        )
    ],
    "reports:page": [
        Case("get", lambda a: f"{_assessment(a)}/reports/", Action.READ_REPORTS),
        Case(
            "post",
            lambda a: f"{_assessment(a)}/reports/",
            Action.REQUEST_CLIENT_REPORT,
            lambda a: {"kind": "executive_summary"},
        ),
    ],
    "reports:list": [Case("get", lambda a: f"{_assessment(a)}/reports/list/", Action.READ_REPORTS)],
    "reports:branding": [
        Case(
            "post",
            lambda a: f"{_assessment(a)}/reports/branding/",
            Action.SET_BRANDING,
            lambda a: {"firm_name": "Acme Advisory", "color": "#1f4e8c"},
        )
    ],
    "reports:download": [
        Case("get", lambda a: f"/reports/{a.report.pk}/download/", Action.READ_REPORTS)
    ],
    "reports:retry": [
        Case("post", lambda a: f"/reports/{a.report.pk}/retry/", Action.REQUEST_CLIENT_REPORT)
    ],
}

# Routes that belong to no organization: the visitor's own lists, sign-in, the reference
# data everyone reads, and the questionnaire (its invitation token is the credential,
# tests/test_access.py).
NOT_ORGANIZATION_PAGES = {
    "home",
    "login",
    "logout",
    "organizations:list",
    "organizations:create",
    "benchmarks:reference",
    # The consultant's portfolio: the organizations the visitor consults, whatever they
    # are (tests/practice/test_portfolio.py).
    "practice:portfolio",
    "practice:portfolio-csv",
    # The firm's logo in emails, which mail clients load without a session: served only
    # under its unguessable stored name (organizations/views.py branding_logo).
    "organizations:branding-logo",
    # The visitor's own account and password pages (tests/test_members_and_passwords.py).
    "account",
    "password_change",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_set",
    "password_reset_complete",
    # Single sign-on with the company's provider (tests/browser/test_single_sign_on.py).
    "sso-start",
    "sso-finish",
    # The language switch of every page (tests/test_languages.py).
    "set_language",
    # The question bank editor: shared reference data, for staff and the methodology
    # permission, not an organization's (tests/assessments/test_bank_editor.py).
    *(
        f"methodology:{name}"
        for name in (
            "banks",
            "draft-new",
            "draft-import",
            "draft",
            "question-edit",
            "dimension-edit",
            "draft-publish",
            "draft-delete",
            "draft-export",
            "bank-export",
            "compare",
        )
    ),
    *(
        f"respond:{name}"
        for name in (
            "welcome",
            "dimension",
            "autosave",
            "review",
            "submit",
            "done",
            "answers",
            "language",
        )
    ),
}


def page_routes() -> set[str]:
    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = pattern.namespace or ""
                name = f"{namespace}:{inner}" if namespace and inner else namespace or inner
                yield from walk(pattern.url_patterns, name)
            elif isinstance(pattern, URLPattern) and pattern.name:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name

    return {
        name
        for name in walk(get_resolver().url_patterns)
        if not name.startswith(("admin:", "api-")) and name != "api-schema"
    }


CASES = [(route, i) for route, cases in ROUTES.items() for i in range(len(cases))]


def test_every_page_route_is_classified():
    unclassified = page_routes() - set(ROUTES) - NOT_ORGANIZATION_PAGES
    assert not unclassified, f"classify these page routes in ROUTES: {sorted(unclassified)}"
    assert set(ROUTES) <= page_routes()


def test_every_action_of_the_table_is_used_by_a_page_or_the_api():
    used = {case.action for cases in ROUTES.values() for case in cases}
    # The consultant edition of the reports is requested and downloaded through the
    # reports page and API (tests/reports); the assessor's scores are the scores API's
    # `assessor` block, the quality checks a step of report requests and exports
    # (tests/practice); the rest must be reachable from a page.
    assert set(POLICY) - used <= {
        Action.READ_ASSESSOR_SCORES,
        Action.READ_QUALITY_CHECKS,
        Action.EDIT_ORGANIZATION,
        Action.READ_NAMED_ANSWERS,
        Action.REQUEST_CONSULTANT_REPORT,
        Action.DOWNLOAD_CONSULTANT_REPORT,
    }


def _client(user=None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _request(client, case: Case, a):
    data = case.body(a) if case.body else {}
    return getattr(client, case.method)(case.url(a), data)


def _refusals(user) -> int:
    return AuditEntry.objects.filter(action="access.denied", user=user).count()


@pytest.mark.parametrize("route, index", CASES, ids=[f"{r}[{i}]" for r, i in CASES])
@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_table_says(world, route, index, role):  # noqa: F811
    a, _ = world
    case = ROUTES[route][index]
    user = a.members[role]
    refusals = _refusals(user)
    response = _request(_client(user), case, a)
    if Role(role) in roles_for(case.action):
        # Allowed: the page, a redirect after a change, a form error or a conflict
        # (e.g. a pending report cannot be downloaded yet), never a refusal.
        assert response.status_code in (200, 302, 400, 409), (role, response.status_code)
        assert _refusals(user) == refusals
    else:
        assert response.status_code == 403, (role, response.status_code)
        assert _refusals(user) == refusals + 1, "a refusal is recorded in the audit log"


@pytest.mark.parametrize("route, index", CASES, ids=[f"{r}[{i}]" for r, i in CASES])
def test_outsiders_get_404_and_anonymous_visitors_log_in(world, route, index):  # noqa: F811
    a, b = world
    case = ROUTES[route][index]
    refusals = _refusals(b.consultant)
    assert _request(_client(b.consultant), case, a).status_code == 404
    assert _refusals(b.consultant) == refusals + 1
    response = _request(_client(), case, a)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_refusal_says_who_may_do_it(world):  # noqa: F811
    a, _ = world
    response = _client(a.members["executive"]).post(f"{_org(a)}/roadmap/milestones/new/")
    assert response.status_code == 403
    assert "Only consultants and AI CoE leads can change the roadmap" in response.content.decode()
