"""Reports API: the exact shapes, 202 on request, 400 on an unknown kind or audience, 409
while not ready, the PDF when ready; members read, consultants and CoE leads request the
client edition, consultants alone request and download the consultant edition (403,
recorded, for the others), and every other organization gets 404."""

import json
from pathlib import Path

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from audit.models import AuditEntry
from reports.models import ReportRequest, ReportStatus

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n% stand-in\n"


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    queued = []
    monkeypatch.setattr(
        "reports.tasks.render_report.apply_async", lambda args, **kw: queued.append(args[0])
    )
    return queued


def post(client, body):
    return client.post("/api/v1/reports/", json.dumps(body), content_type="application/json")


def errors(response) -> list[dict]:
    body = response.json()
    assert set(body) == {"errors"}
    return body["errors"]


def make_ready(report: ReportRequest, media: Path) -> ReportRequest:
    (Path(media) / "reports").mkdir(parents=True, exist_ok=True)
    (Path(media) / "reports" / f"{report.pk}.pdf").write_bytes(PDF)
    ReportRequest.objects.filter(pk=report.pk).update(
        status=ReportStatus.READY, file=f"reports/{report.pk}.pdf", pages=12, size=len(PDF),
        attempts=1, finished_at=timezone.now(),
    )  # fmt: skip
    report.refresh_from_db()
    return report


@pytest.mark.parametrize("who", ["alice", "carol"])
def test_a_consultant_or_coe_lead_requests_a_report(
    client, request, assessment, who, django_capture_on_commit_callbacks, no_broker
):
    client.force_login(request.getfixturevalue(who))
    with django_capture_on_commit_callbacks(execute=True):
        response = post(client, {"assessment": assessment.pk, "kind": "full_assessment"})

    assert response.status_code == 202
    report = ReportRequest.objects.get()
    assert response.json() == {
        "id": report.pk,
        "status": "pending",
        "url": f"/api/v1/reports/{report.pk}/",
    }
    assert no_broker == [report.pk]
    assert report.requested_by.username == who
    assert report.audience == "client"  # the default


def test_a_consultant_requests_the_consultant_edition(client, alice, assessment, no_broker):
    client.force_login(alice)
    response = post(
        client, {"assessment": assessment.pk, "kind": "full_assessment", "audience": "consultant"}
    )

    assert response.status_code == 202
    report = ReportRequest.objects.get()
    assert (report.kind, report.audience) == ("full_assessment", "consultant")
    assert client.get(f"/api/v1/reports/{report.pk}/").json()["audience"] == "consultant"
    entry = AuditEntry.objects.get(action="report.requested")
    assert entry.changes["audience"] == [None, "consultant"]
    assert "consultant edition" in entry.summary


@pytest.mark.parametrize("audience", ["board", "", None, 3, "CONSULTANT"])
def test_an_unknown_audience_is_a_400_naming_audience(client, alice, assessment, audience):
    client.force_login(alice)
    response = post(
        client, {"assessment": assessment.pk, "kind": "full_assessment", "audience": audience}
    )
    assert response.status_code == 400
    assert [e["field"] for e in errors(response)] == ["audience"]
    assert all(set(e) == {"field", "code", "message"} for e in errors(response))
    assert not ReportRequest.objects.exists()


@pytest.mark.parametrize("who", ["carol", "erin"])
def test_a_client_member_asking_for_the_consultant_edition_gets_403_recorded(
    client, request, assessment, who
):
    user = request.getfixturevalue(who)
    client.force_login(user)
    response = post(
        client, {"assessment": assessment.pk, "kind": "full_assessment", "audience": "consultant"}
    )

    assert response.status_code == 403
    assert errors(response)[0]["code"] == "permission_denied"
    assert not ReportRequest.objects.exists()
    denied = AuditEntry.objects.get(action="access.denied", user=user)
    assert "request_consultant_report" in denied.summary


@pytest.mark.parametrize("who", ["carol", "erin"])
def test_a_client_member_cannot_download_the_consultant_edition(
    client, request, alice, assessment, media, who
):
    report = make_ready(
        ReportRequest.objects.create(
            assessment=assessment, kind="full_assessment", audience="consultant"
        ),
        media,
    )
    user = request.getfixturevalue(who)
    client.force_login(user)

    assert client.get(f"/api/v1/reports/{report.pk}/").json()["audience"] == "consultant"
    response = client.get(f"/api/v1/reports/{report.pk}/download/")
    assert response.status_code == 403
    assert errors(response)[0]["code"] == "permission_denied"
    denied = AuditEntry.objects.get(action="access.denied", user=user)
    assert "download_consultant_report" in denied.summary

    client.force_login(alice)
    response = client.get(f"/api/v1/reports/{report.pk}/download/")
    assert response.status_code == 200
    assert "-full-assessment-consultant-edition-" in response["Content-Disposition"]


def test_an_outsider_gets_404_for_the_consultant_edition(client, bob, assessment, media):
    report = make_ready(
        ReportRequest.objects.create(
            assessment=assessment, kind="full_assessment", audience="consultant"
        ),
        media,
    )
    client.force_login(bob)

    assert client.get(f"/api/v1/reports/{report.pk}/download/").status_code == 404
    assert client.get(f"/api/v1/reports/{report.pk}/").status_code == 404
    body = {"assessment": assessment.pk, "kind": "full_assessment", "audience": "consultant"}
    assert post(client, body).status_code == 404
    assert AuditEntry.objects.filter(action="access.denied", user=bob).exists()


@pytest.mark.parametrize(
    ("body", "field", "code"),
    [
        ({"assessment": 0, "kind": "annual_review"}, "assessment", "min_value"),
        ({"kind": "full_assessment"}, "assessment", "required"),
        ({"assessment": "twelve", "kind": "full_assessment"}, "assessment", "invalid_type"),
        ({"assessment": "12", "kind": "full_assessment"}, "assessment", "invalid_type"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(client, alice, assessment, body, field, code):
    client.force_login(alice)
    response = post(client, body)
    assert response.status_code == 400
    assert {(e["field"], e["code"]) for e in errors(response)} >= {(field, code)}


def test_an_unknown_kind_is_a_400(client, alice, assessment):
    client.force_login(alice)
    response = post(client, {"assessment": assessment.pk, "kind": "annual_review"})
    assert response.status_code == 400
    assert errors(response)[0]["field"] == "kind"
    assert errors(response)[0]["code"] == "invalid_choice"
    assert not ReportRequest.objects.exists()


def test_the_roadmap_report_without_a_roadmap_is_a_400(client, carol, assessment):
    client.force_login(carol)
    response = post(client, {"assessment": assessment.pk, "kind": "roadmap_progress"})
    assert response.status_code == 400
    assert errors(response)[0]["code"] == "no_roadmap"


def test_an_executive_cannot_request_but_reads_and_downloads(
    client, erin, alice, assessment, media
):
    report = ReportRequest.objects.create(assessment=assessment, kind="full_assessment")
    client.force_login(erin)

    refused = post(client, {"assessment": assessment.pk, "kind": "full_assessment"})
    assert refused.status_code == 403
    assert refused.json()["errors"][0]["code"] == "permission_denied"
    assert "Only consultants and AI CoE leads can request reports" in refused.content.decode()
    assert not ReportRequest.objects.exclude(pk=report.pk).exists()
    assert AuditEntry.objects.filter(action="access.denied", user=erin).exists()
    assert client.get(f"/api/v1/reports/{report.pk}/").status_code == 200
    make_ready(report, media)
    assert client.get(f"/api/v1/reports/{report.pk}/download/").status_code == 200


def test_the_record_has_the_documented_shape(client, erin, assessment, media):
    report = ReportRequest.objects.create(assessment=assessment, kind="executive_summary")
    client.force_login(erin)

    pending = client.get(f"/api/v1/reports/{report.pk}/").json()
    assert set(pending) == {
        "id", "assessment", "kind", "audience", "file_format", "language", "status", "attempts",
        "error", "created", "finished", "pages", "download_url",
    }  # fmt: skip
    assert (pending["status"], pending["download_url"], pending["pages"]) == ("pending", None, None)
    assert pending["assessment"] == assessment.pk and pending["kind"] == "executive_summary"
    assert pending["audience"] == "client"

    make_ready(report, media)
    ready = client.get(f"/api/v1/reports/{report.pk}/").json()
    assert ready["status"] == "ready" and ready["pages"] == 12 and ready["finished"]
    assert ready["download_url"] == f"/api/v1/reports/{report.pk}/download/"


def test_the_download_is_a_pdf_named_after_organization_kind_and_date(
    client, alice, assessment, media
):
    report = make_ready(
        ReportRequest.objects.create(assessment=assessment, kind="full_assessment"), media
    )
    client.force_login(alice)

    response = client.get(f"/api/v1/reports/{report.pk}/download/")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    day = timezone.localtime(report.finished_at).strftime("%Y-%m-%d")
    assert response["Content-Disposition"] == (
        f'attachment; filename="acme-industries-full-assessment-{day}.pdf"'
    )
    assert b"".join(response.streaming_content) == PDF


@pytest.mark.parametrize("status", ["pending", "rendering", "failed"])
def test_the_download_is_a_409_while_not_ready(client, alice, assessment, status):
    report = ReportRequest.objects.create(assessment=assessment, kind="full_assessment")
    ReportRequest.objects.filter(pk=report.pk).update(status=status)
    client.force_login(alice)

    response = client.get(f"/api/v1/reports/{report.pk}/download/")

    assert response.status_code == 409
    assert errors(response)[0]["code"] == "not_ready"


def test_another_organization_gets_404_everywhere(client, bob, assessment, media):
    report = make_ready(
        ReportRequest.objects.create(assessment=assessment, kind="full_assessment"), media
    )
    client.force_login(bob)

    assert post(client, {"assessment": assessment.pk, "kind": "full_assessment"}).status_code == 404
    assert not ReportRequest.objects.exclude(pk=report.pk).exists()
    assert client.get(f"/api/v1/reports/{report.pk}/").status_code == 404
    assert client.get(f"/api/v1/reports/{report.pk}/download/").status_code == 404
    assert client.get("/api/v1/reports/999999/").status_code == 404


def test_an_anonymous_client_gets_nothing(client, assessment):
    report = ReportRequest.objects.create(assessment=assessment, kind="full_assessment")
    assert post(client, {"assessment": assessment.pk, "kind": "full_assessment"}).status_code in (
        401,
        403,
    )
    assert client.get(f"/api/v1/reports/{report.pk}/").status_code in (401, 403)
    assert not ReportRequest.objects.exclude(pk=report.pk).exists()


def test_the_schema_documents_the_endpoints():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    assert {"/api/v1/reports/", "/api/v1/reports/{report_id}/"} <= set(schema["paths"])
    assert "202" in schema["paths"]["/api/v1/reports/"]["post"]["responses"]
    components = schema["components"]["schemas"]
    assert "audience" in components["ReportCreate"]["properties"]
    assert "audience" not in components["ReportCreate"].get("required", [])
    assert "audience" in components["Report"]["required"]
