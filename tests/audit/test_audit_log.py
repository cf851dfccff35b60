"""The audit log: logins, failed logins, refused access and data changes, each with
who, organization, what, when and the request id; readable by consultants only."""

import uuid

import pytest
from django.core.cache import cache

from assessments import services as assessment_services
from audit.models import AuditEntry
from common.errors import ConflictError
from organizations import services as organization_services
from organizations import throttling
from organizations.models import Role

from ..factories import UserFactory

PASSWORD = "correct horse battery staple"


@pytest.fixture
def ip():
    address = f"203.0.113.{uuid.uuid4().int % 250 + 1}"
    yield address
    for name in ("alice", "mallory"):
        throttling.reset(cache, name, address)


def _only(action: str) -> AuditEntry:
    entries = list(AuditEntry.objects.filter(action=action))
    assert len(entries) == 1, [str(e) for e in AuditEntry.objects.all()]
    return entries[0]


def test_a_login_is_recorded_with_the_request_id_and_address(client, alice, ip):
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR=ip
    )
    assert response.status_code == 302
    entry = _only("login")
    assert entry.user == alice
    assert entry.actor == "alice"
    assert entry.ip == ip
    assert entry.request_id == response["X-Request-ID"]
    assert entry.created_at is not None


def test_a_failed_login_is_recorded(client, alice, ip):
    response = client.post(
        "/accounts/login/", {"username": "mallory", "password": "guess"}, REMOTE_ADDR=ip
    )
    assert response.status_code == 200
    entry = _only("login.failed")
    assert entry.user is None
    assert entry.actor == "mallory"
    assert entry.ip == ip
    assert entry.request_id == response["X-Request-ID"]
    assert "guess" not in str(entry.changes) + entry.summary  # never the password


def test_a_refused_locked_login_is_recorded(client, alice, ip):
    for _ in range(10):
        client.post("/accounts/login/", {"username": "alice", "password": "x"}, REMOTE_ADDR=ip)
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR=ip
    )
    assert response.status_code == 429
    assert _only("login.locked").request_id == response["X-Request-ID"]
    assert AuditEntry.objects.filter(action="login.failed").count() == 10


def test_a_page_refused_to_an_outsider_is_recorded(client, bob, organization):
    client.force_login(bob)
    response = client.get(f"/organizations/{organization.pk}/")
    assert response.status_code == 404
    entry = _only("access.denied")
    assert entry.user == bob
    assert entry.organization == organization
    assert entry.object_type == "organization"
    assert entry.object_id == str(organization.pk)
    assert entry.request_id == response["X-Request-ID"]


def test_an_api_request_refused_to_an_outsider_is_recorded_despite_the_rollback(
    client, bob, assessment
):
    client.force_login(bob)
    response = client.get(f"/api/v1/assessments/{assessment.pk}/scores/")
    assert response.status_code == 404
    entry = _only("access.denied")
    assert entry.user == bob
    assert entry.organization_id == assessment.organization_id
    assert entry.request_id == response["X-Request-ID"]


def test_a_member_without_the_role_is_recorded_too(client, carol, assessment):
    client.force_login(carol)
    response = client.post(f"/assessments/{assessment.pk}/close/")
    assert response.status_code == 403
    entry = _only("access.denied")
    assert entry.user == carol
    assert "coe_lead" in entry.summary


def test_probing_an_organization_that_does_not_exist_is_recorded_without_one(client, bob):
    client.force_login(bob)
    assert client.get("/organizations/999999/").status_code == 404
    entry = _only("access.denied")
    assert entry.organization is None
    assert entry.object_id == "999999"


def test_a_data_change_through_a_page_records_who_what_where_and_the_request(
    client, alice, organization, bank
):
    client.force_login(alice)
    response = client.post(
        f"/organizations/{organization.pk}/assessments/new/",
        {"title": "Baseline 2026", "bank": bank.version},
    )
    assert response.status_code == 302, response.content[:300]
    entry = _only("assessment.created")
    assessment = organization.assessments.get()
    assert entry.user == alice
    assert entry.organization == organization
    assert (entry.object_type, entry.object_id) == ("assessment", str(assessment.pk))
    assert entry.changes["title"] == [None, "Baseline 2026"]
    assert entry.request_id == response["X-Request-ID"]
    assert entry.ip == "127.0.0.1"


def test_every_write_service_records_its_change(
    organization, alice, bank, django_capture_on_commit_callbacks
):
    organization_services.organization_create(
        user=alice, name="Initech", industry="technology", size_band="lt_250", region="europe"
    )
    member = UserFactory(username="dave")
    organization_services.membership_set(
        user=member, organization=organization, role=Role.EXECUTIVE
    )
    assessment = assessment_services.assessment_create(
        organization=organization, bank=bank, title="Q1", user=alice
    )
    respondent = assessment_services.respondent_add(
        assessment=assessment, name="Pat", email="pat@acme.example", role="cio"
    )
    assessment_services.respondent_revoke(respondent=respondent)
    assessment_services.respondent_reissue(respondent=respondent)
    with django_capture_on_commit_callbacks(execute=False):
        assessment_services.invitation_send(respondent=respondent)
    question = bank.questions.order_by("position").first()
    assessment_services.answer_save(respondent=respondent, question=question, value=3)
    assessment_services.respondent_submit(respondent=respondent)
    assessment_services.assessment_close(assessment=assessment)

    actions = list(AuditEntry.objects.order_by("id").values_list("action", flat=True))
    assert actions == [
        "organization.created",
        "membership.set",
        "assessment.created",
        "respondent.added",
        "respondent.revoked",
        "respondent.reissued",
        "invitation.sent",
        "answer.saved",
        "respondent.submitted",
        "assessment.closed",
    ]
    answer = _only("answer.saved")
    assert answer.respondent == respondent
    assert answer.user is None
    assert answer.organization == organization
    assert answer.changes == {"kind": "level", "level": 3}
    assert respondent.token not in " ".join(e.summary for e in AuditEntry.objects.all())


def test_an_answer_through_the_api_records_the_respondent(client, respondent, bank):
    question = bank.questions.order_by("position").first()
    response = client.put(
        f"/api/v1/respond/{respondent.token}/answers/{question.key}/",
        {"value": 4},
        content_type="application/json",
    )
    assert response.status_code == 200
    entry = _only("answer.saved")
    assert entry.respondent == respondent
    assert entry.actor.startswith("Morgan Chen")
    assert entry.request_id == response["X-Request-ID"]


def test_a_refused_change_leaves_no_entry(respondent):
    respondent.assessment.status = "closed"
    respondent.assessment.save()
    with pytest.raises(ConflictError):
        assessment_services.respondent_revoke(respondent=respondent)
    assert not AuditEntry.objects.filter(action="respondent.revoked").exists()


# --- reading the log ------------------------------------------------------------------


def _entries(organization, count):
    for i in range(count):
        AuditEntry.objects.create(
            organization=organization, action="test", summary=f"entry {i}", actor="x"
        )


def test_consultants_read_the_log_newest_first_in_pages(client, alice, organization):
    _entries(organization, 60)
    client.force_login(alice)
    detail = client.get(f"/organizations/{organization.pk}/")
    assert f"/organizations/{organization.pk}/audit/" in detail.content.decode()
    page = client.get(f"/organizations/{organization.pk}/audit/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "entry 59" in body and "entry 10" in body and "entry 9<" not in body
    assert body.index("entry 59") < body.index("entry 58")
    second = client.get(f"/organizations/{organization.pk}/audit/?page=2").content.decode()
    assert "entry 9<" in second and "entry 0<" in second


def test_the_api_lists_the_log_for_consultants(client, alice, organization):
    _entries(organization, 3)
    client.force_login(alice)
    response = client.get(f"/api/v1/organizations/{organization.pk}/audit/")
    assert response.status_code == 200
    data = response.json()
    assert data["count"] >= 3
    summaries = [e["summary"] for e in data["results"]]
    assert summaries[:3] == ["entry 2", "entry 1", "entry 0"]
    assert {"created_at", "action", "actor", "user", "request_id", "ip"} <= set(data["results"][0])


@pytest.mark.parametrize("who, status", [("bob", 404), ("carol", 403), ("erin", 403)])
def test_other_organizations_get_404_and_other_roles_403(
    client, request, organization, who, status
):
    user = request.getfixturevalue(who)
    _entries(organization, 1)
    client.force_login(user)
    assert client.get(f"/organizations/{organization.pk}/audit/").status_code == status
    assert client.get(f"/api/v1/organizations/{organization.pk}/audit/").status_code == status
    if who != "bob":
        detail = client.get(f"/organizations/{organization.pk}/").content.decode()
        assert "/audit/" not in detail


def test_anonymous_visitors_are_sent_to_log_in(client, organization):
    response = client.get(f"/organizations/{organization.pk}/audit/")
    assert response.status_code == 302
    assert client.get(f"/api/v1/organizations/{organization.pk}/audit/").status_code in (401, 403)
