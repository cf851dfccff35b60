"""Roadmap API: roadmaps, milestones and use cases (members read, consultants and CoE
leads write, other members are refused with 403, everyone else gets 404) and the one
error format; bad input is a 400 that names the field, never a 500."""

import json

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from audit.models import AuditEntry
from roadmap import services
from roadmap.models import Milestone, Roadmap, UseCase
from roadmap.selectors import HISTORY_OBJECT_TYPES

from .conftest import answer_all

pytestmark = pytest.mark.django_db


def send(client, method: str, url: str, body=None):
    """A JSON request; `body` may be a raw string to send as it is."""
    if method == "get":
        return client.get(url)
    data = body if isinstance(body, str) else json.dumps(body or {})
    return getattr(client, method)(url, data, content_type="application/json")


def database() -> dict:
    models = [Roadmap, Milestone, UseCase]
    history = AuditEntry.objects.filter(object_type__in=HISTORY_OBJECT_TYPES)
    return {m.__name__: list(m.objects.order_by("pk").values()) for m in models} | {
        "history": list(history.order_by("pk").values())
    }


def errors(response) -> list[dict]:
    body = response.json()
    assert set(body) == {"errors"}
    for error in body["errors"]:
        assert set(error) == {"field", "code", "message"}
    return body["errors"]


@pytest.fixture
def use_case(organization, carol):
    return services.use_case_create(
        organization=organization,
        user=carol,
        data={"name": "Invoice matching", "stage": "pilot", "cost_reduction_target": 20},
    )


# --- roadmaps --------------------------------------------------------------------------


def test_a_coe_lead_creates_a_roadmap(client, carol, submitted):
    client.force_login(carol)

    response = send(
        client,
        "post",
        "/api/v1/roadmaps/",
        {"assessment": submitted.pk, "start_date": "2026-01-01"},
    )

    assert response.status_code == 201, response.content
    body = response.json()
    roadmap = Roadmap.objects.get()
    assert body["id"] == roadmap.pk
    assert (body["starting_phase"], body["current_phase"], body["milestones_total"]) == (2, 2, 9)
    assert [(p["phase"], p["start"], p["end"]) for p in body["phases"]] == [
        (1, None, None),
        (2, "2026-01-01", "2026-06-30"),
        (3, "2026-07-01", "2027-03-31"),
        (4, "2027-04-01", None),
    ]
    assert {p["status"] for p in body["phases"]} <= {
        "passed",
        "blocked",
        "not_started",
        "empty",
        "on_track",
        "at_risk",
        "late",
        "done",
    }
    assert all(p["status_label"] for p in body["phases"])


def test_a_second_roadmap_is_a_conflict(client, alice, roadmap):
    client.force_login(alice)
    before = database()
    response = send(
        client,
        "post",
        "/api/v1/roadmaps/",
        {"assessment": roadmap.assessment_id, "start_date": "2026-02-01"},
    )
    assert response.status_code == 409
    assert errors(response)[0]["code"] == "conflict"
    assert database() == before


def test_an_assessment_without_submissions_is_a_conflict(client, carol, assessment, respondent):
    client.force_login(carol)
    answer_all(respondent, 3, submit=False)
    response = send(
        client,
        "post",
        "/api/v1/roadmaps/",
        {"assessment": assessment.pk, "start_date": "2026-01-01"},
    )
    assert response.status_code == 409
    assert not Roadmap.objects.exists()


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"start_date": "2026-01-01"}, "assessment", "required"),
        ({"assessment": "abc", "start_date": "2026-01-01"}, "assessment", "invalid_type"),
        ({"assessment": "12", "start_date": "2026-01-01"}, "assessment", "invalid_type"),
        ({"assessment": 10**30, "start_date": "2026-01-01"}, "assessment", "max_value"),
        ({"assessment": "{id}", "start_date": "tomorrow"}, "start_date", "invalid"),
        ({"assessment": "{id}", "start_date": "2026-02-30"}, "start_date", "invalid"),
        ({"assessment": "{id}", "start_date": "9999-12-31"}, "start_date", "out_of_range"),
        ({"assessment": "{id}", "start_date": "2026-01-01", "x": 1}, "x", "unknown_field"),
    ],
)
def test_bad_roadmap_input_is_a_400(client, carol, submitted, body, field, code):
    client.force_login(carol)
    body = {k: submitted.pk if v == "{id}" else v for k, v in body.items()}
    response = send(client, "post", "/api/v1/roadmaps/", body)
    assert response.status_code == 400, response.content
    assert (errors(response)[0]["field"], errors(response)[0]["code"]) == (field, code)
    assert not Roadmap.objects.exists()


def test_the_list_holds_only_my_organizations_roadmaps(client, erin, bob, roadmap):
    client.force_login(erin)
    (item,) = client.get("/api/v1/roadmaps/").json()
    assert (item["id"], item["milestones_done"], item["milestones_total"]) == (roadmap.pk, 0, 9)
    client.force_login(bob)
    assert client.get("/api/v1/roadmaps/").json() == []


def test_a_roadmap_is_deleted_with_its_milestones(client, carol, roadmap):
    client.force_login(carol)
    response = client.delete(f"/api/v1/roadmaps/{roadmap.pk}/")
    assert response.status_code == 204
    assert not Roadmap.objects.exists() and not Milestone.objects.exists()
    assert AuditEntry.objects.order_by("id").last().action == "roadmap.deleted"


# --- milestones ------------------------------------------------------------------------


def test_milestones_are_listed_created_changed_and_deleted(client, carol, roadmap):
    client.force_login(carol)
    base = f"/api/v1/roadmaps/{roadmap.pk}/milestones/"
    listed = client.get(base).json()
    assert [(m["phase"], m["position"]) for m in listed] == [
        (p, i) for p in (2, 3, 4) for i in range(3)
    ]

    created = send(client, "post", base, {"title": "Hire an MLOps lead", "phase": 2})
    assert created.status_code == 201, created.content
    milestone = created.json()
    assert (milestone["status"], milestone["position"], milestone["source"]) == (
        "not_started",
        3,
        "custom",
    )
    one = f"/api/v1/milestones/{milestone['id']}/"

    done = send(client, "patch", one, {"status": "done", "owner": "Carol"})
    assert done.status_code == 200, done.content
    assert done.json()["completed_on"] == timezone.localdate().isoformat()
    assert done.json()["title"] == "Hire an MLOps lead"  # untouched by a PATCH

    replaced = send(client, "put", one, {"title": "Hire two", "phase": 3})
    assert replaced.status_code == 200
    assert (replaced.json()["status"], replaced.json()["owner"]) == ("not_started", "")
    assert replaced.json()["completed_on"] is None  # left done: cleared

    assert client.get(one).json()["title"] == "Hire two"
    assert client.delete(one).status_code == 204
    assert client.get(one).status_code == 404
    changes = AuditEntry.objects.filter(object_type="milestone", object_id=milestone["id"])
    assert list(changes.order_by("id").values_list("action", flat=True)) == [
        "milestone.created",
        "milestone.updated",
        "milestone.updated",
        "milestone.deleted",
    ]


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"phase": 2}, "title", "required"),
        ({"title": "", "phase": 2}, "title", "blank"),
        ({"title": None, "phase": 2}, "title", "null"),
        ({"title": "x" * 201, "phase": 2}, "title", "max_length"),
        ({"title": "Nul\u0000", "phase": 2}, "title", "null_characters"),
        ({"title": "Ok", "phase": 0}, "phase", "min_value"),
        ({"title": "Ok", "phase": 5}, "phase", "max_value"),
        ({"title": "Ok", "phase": "two"}, "phase", "invalid_type"),
        ({"title": "Ok", "phase": "2"}, "phase", "invalid_type"),  # no string → number
        ({"title": "Ok", "phase": True}, "phase", "invalid_type"),
        ({"title": "Ok", "phase": 2, "due_date": "31/12/2026"}, "due_date", "invalid"),
        ({"title": "Ok", "phase": 2, "due_date": 20261231}, "due_date", "invalid"),
        ({"title": "Ok", "phase": 2, "due_date": "1066-10-14"}, "due_date", "out_of_range"),
        ({"title": "Ok", "phase": 2, "status": "finished"}, "status", "invalid_choice"),
        ({"title": "Ok", "phase": 2, "notes": "n" * 5001}, "notes", "max_length"),
        ({"title": "Ok", "phase": 2, "position": 0}, "position", "unknown_field"),
        (
            {"title": "Ok", "phase": 2, "status": "done", "completed_on": "2099-01-01"},
            "completed_on",
            "future",
        ),
        ([{"title": "Ok", "phase": 2}], None, "invalid"),
        ('{"title": "Ok", "phase": 2', None, "parse_error"),
        ('{"title": "Ok", "phase": NaN}', None, "parse_error"),
    ],
)
def test_bad_milestone_input_is_a_400_naming_the_field(client, carol, roadmap, body, field, code):
    client.force_login(carol)
    before = database()

    response = send(client, "post", f"/api/v1/roadmaps/{roadmap.pk}/milestones/", body)

    assert response.status_code == 400, response.content
    (error,) = errors(response)
    assert (error["field"], error["code"]) == (field, code)
    assert error["message"]
    assert database() == before


@pytest.mark.parametrize(
    "body",
    [{"status": "finished"}, {"phase": 9}, {"due_date": "soon"}, {"title": "a\u0000"}],
)
def test_a_bad_patch_changes_nothing(client, carol, roadmap, body):
    client.force_login(carol)
    milestone = roadmap.milestones.first()
    before = database()
    response = send(client, "patch", f"/api/v1/milestones/{milestone.pk}/", body)
    assert response.status_code == 400
    assert database() == before


# --- use cases -------------------------------------------------------------------------


def test_use_cases_are_listed_created_changed_and_deleted(client, alice, organization):
    client.force_login(alice)
    base = f"/api/v1/organizations/{organization.pk}/use-cases/"
    created = send(
        client,
        "post",
        base,
        {
            "name": "Invoice matching",
            "business_unit": "Finance",
            "stage": "pilot",
            "cost_reduction_baseline": 0,
            "cost_reduction_target": 20,
            "efficiency_gain_actual": -12.5,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["stage"], body["cost_reduction_target"], body["revenue_increase_target"]) == (
        "pilot",
        20.0,
        None,
    )
    one = f"/api/v1/use-cases/{body['id']}/"
    patched = send(client, "patch", one, {"stage": "production", "cost_reduction_actual": 18})
    assert patched.status_code == 200
    assert (patched.json()["stage"], patched.json()["cost_reduction_target"]) == (
        "production",
        20.0,
    )
    assert [u["name"] for u in client.get(base).json()] == ["Invoice matching"]
    assert client.delete(one).status_code == 204
    assert client.get(base).json() == []


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"cost_reduction_target": 100.5}, "cost_reduction_target", "out_of_range"),
        ({"revenue_increase_actual": -101}, "revenue_increase_actual", "out_of_range"),
        ({"efficiency_gain_baseline": "ten"}, "efficiency_gain_baseline", "invalid_type"),
        ({"efficiency_gain_baseline": "nan"}, "efficiency_gain_baseline", "invalid_type"),
        ({"efficiency_gain_target": "1e999"}, "efficiency_gain_target", "invalid_type"),
        ({"efficiency_gain_target": "12"}, "efficiency_gain_target", "invalid_type"),
        ({"cost_reduction_actual": True}, "cost_reduction_actual", "invalid_type"),
        ({"stage": "moonshot"}, "stage", "invalid_choice"),
        ({"name": ""}, "name", "blank"),
        ({"name": "x" * 201}, "name", "max_length"),
        ({"owner": "a\u0000b"}, "owner", "null_characters"),
        ({"roi": 5}, "roi", "unknown_field"),
    ],
)
def test_bad_use_case_input_is_a_400_naming_the_field(
    client, carol, organization, body, field, code
):
    client.force_login(carol)
    response = send(
        client,
        "post",
        f"/api/v1/organizations/{organization.pk}/use-cases/",
        {"name": "Churn model", **body},
    )
    assert response.status_code == 400, response.content
    (error,) = errors(response)
    assert (error["field"], error["code"]) == (field, code)
    assert not UseCase.objects.exists()


# --- access ----------------------------------------------------------------------------

# (method, url template, body); {roadmap}, {milestone}, {use_case}, {org}, {assessment}
WRITES = [
    ("post", "/api/v1/roadmaps/", {"assessment": "{assessment}", "start_date": "2026-01-01"}),
    ("delete", "/api/v1/roadmaps/{roadmap}/", None),
    ("post", "/api/v1/roadmaps/{roadmap}/milestones/", {"title": "Hijack", "phase": 2}),
    ("patch", "/api/v1/milestones/{milestone}/", {"status": "done"}),
    ("put", "/api/v1/milestones/{milestone}/", {"title": "Hijack", "phase": 2}),
    ("delete", "/api/v1/milestones/{milestone}/", None),
    ("post", "/api/v1/organizations/{org}/use-cases/", {"name": "Hijack"}),
    ("patch", "/api/v1/use-cases/{use_case}/", {"stage": "scaled"}),
    ("put", "/api/v1/use-cases/{use_case}/", {"name": "Hijack"}),
    ("delete", "/api/v1/use-cases/{use_case}/", None),
]
READS = [
    ("get", "/api/v1/roadmaps/{roadmap}/", None),
    ("get", "/api/v1/roadmaps/{roadmap}/milestones/", None),
    ("get", "/api/v1/milestones/{milestone}/", None),
    ("get", "/api/v1/organizations/{org}/use-cases/", None),
    ("get", "/api/v1/use-cases/{use_case}/", None),
]


def _ids(items):
    return [pytest.param(*item, id=f"{item[0]}-{item[1]}") for item in items]


def _fill(template: str, body, roadmap, use_case):
    values = {
        "roadmap": roadmap.pk,
        "milestone": roadmap.milestones.first().pk,
        "use_case": use_case.pk,
        "org": roadmap.organization_id,
        "assessment": roadmap.assessment_id,
    }
    url = template.format(**values)
    if body is not None:
        body = {k: v.format(**values) if isinstance(v, str) else v for k, v in body.items()}
        if "assessment" in body:
            body["assessment"] = int(body["assessment"])
    return url, body


@pytest.mark.parametrize(("method", "template", "body"), _ids(READS))
@pytest.mark.parametrize("who", ["alice", "carol", "erin"])
def test_every_member_reads(client, request, roadmap, use_case, who, method, template, body):
    client.force_login(request.getfixturevalue(who))
    url, _ = _fill(template, body, roadmap, use_case)
    assert client.get(url).status_code == 200


@pytest.mark.parametrize(("method", "template", "body"), _ids(WRITES))
def test_an_executive_reads_but_is_refused_a_write_with_403(
    client, erin, roadmap, use_case, method, template, body
):
    client.force_login(erin)
    url, body = _fill(template, body, roadmap, use_case)
    before = database()

    response = send(client, method, url, body)

    # A member of the organization sees these objects, so a 404 would pretend they do
    # not exist: the refusal says why, as in the other APIs.
    assert response.status_code == 403
    (error,) = errors(response)
    assert error["code"] == "permission_denied"
    assert "consultants and AI CoE leads" in error["message"]
    assert database() == before


def test_a_refused_write_is_recorded_in_the_audit_log(client, erin, roadmap):
    client.force_login(erin)

    response = client.delete(f"/api/v1/roadmaps/{roadmap.pk}/")

    assert response.status_code == 403
    entry = AuditEntry.objects.get(action="access.denied")
    assert entry.user == erin
    assert entry.organization_id == roadmap.organization_id
    assert "executive" in entry.summary


@pytest.mark.parametrize(("method", "template", "body"), _ids(WRITES + READS))
def test_another_organization_gets_404(client, bob, roadmap, use_case, method, template, body):
    client.force_login(bob)
    url, body = _fill(template, body, roadmap, use_case)
    before = database()

    response = send(client, method, url, body)

    assert response.status_code == 404
    assert "Acme" not in response.content.decode()
    assert database() == before


@pytest.mark.parametrize(("method", "template", "body"), _ids(WRITES + READS))
def test_anonymous_requests_are_refused(client, roadmap, use_case, method, template, body):
    url, body = _fill(template, body, roadmap, use_case)
    before = database()

    response = send(client, method, url, body)

    assert response.status_code in (401, 403)
    errors(response)
    assert database() == before


@pytest.mark.parametrize("who", ["alice", "carol"])
def test_consultants_and_coe_leads_write(client, request, roadmap, who):
    client.force_login(request.getfixturevalue(who))
    milestone = roadmap.milestones.first()
    response = send(client, "patch", f"/api/v1/milestones/{milestone.pk}/", {"status": "done"})
    assert response.status_code == 200


def test_the_schema_documents_the_tracking_endpoints():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    for path in (
        "/api/v1/roadmaps/",
        "/api/v1/roadmaps/{roadmap_id}/",
        "/api/v1/roadmaps/{roadmap_id}/milestones/",
        "/api/v1/milestones/{milestone_id}/",
        "/api/v1/organizations/{organization_id}/use-cases/",
        "/api/v1/use-cases/{use_case_id}/",
    ):
        assert path in schema["paths"], path
    assert set(schema["paths"]["/api/v1/milestones/{milestone_id}/"]) == {
        "get",
        "put",
        "patch",
        "delete",
    }
