"""The reports page: every member lists and downloads the client editions; consultants
and CoE leads request and retry them (with the failure's reason shown); consultants alone
request, retry and download the consultant edition, which client members see listed
without a link (403, recorded, if they try); the list polls while a report is in
progress; consultants set the branding; another organization gets 404 everywhere."""

from pathlib import Path

import pytest
from django.utils import timezone

from audit.models import AuditEntry
from organizations.models import Branding
from reports.models import ReportRequest, ReportStatus

from .test_branding import png

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def queued(monkeypatch):
    calls = []
    monkeypatch.setattr(
        "reports.tasks.render_report.apply_async", lambda args, **kw: calls.append(args[0])
    )
    return calls


def page(assessment) -> str:
    return f"/assessments/{assessment.pk}/reports/"


def ready(assessment, media, audience="client") -> ReportRequest:
    report = ReportRequest.objects.create(
        assessment=assessment, kind="executive_summary", audience=audience
    )
    (Path(media) / "reports").mkdir(parents=True, exist_ok=True)
    (Path(media) / "reports" / f"{report.pk}.pdf").write_bytes(b"%PDF-1.7 x")
    ReportRequest.objects.filter(pk=report.pk).update(
        status=ReportStatus.READY, file=f"reports/{report.pk}.pdf", pages=3, size=10,
        finished_at=timezone.now(), attempts=1,
    )  # fmt: skip
    return report


def test_the_results_and_assessment_pages_link_to_the_reports(client, erin, assessment):
    client.force_login(erin)
    for url in (f"/assessments/{assessment.pk}/", f"/assessments/{assessment.pk}/results/"):
        assert page(assessment) in client.get(url).content.decode()


@pytest.mark.parametrize("who", ["alice", "carol"])
def test_a_consultant_or_coe_lead_requests_each_kind(
    client, request, assessment, who, django_capture_on_commit_callbacks, queued
):
    client.force_login(request.getfixturevalue(who))
    html = client.get(page(assessment)).content.decode()
    for kind in ("executive_summary", "full_assessment", "roadmap_progress"):
        assert f'value="{kind}"' in html

    with django_capture_on_commit_callbacks(execute=True):
        # A consultant goes on past the quality warnings (tests/practice/test_quality_checks).
        response = client.post(
            page(assessment), {"kind": "executive_summary", "quality": "acknowledged"}, follow=True
        )

    report = ReportRequest.objects.get()
    assert queued == [report.pk]
    html = response.content.decode()
    assert "it is queued" in html
    assert f'data-report="{report.pk}" data-status="pending"' in html
    assert 'hx-trigger="every 2s"' in html  # polls while it is in progress


def test_the_list_stops_polling_once_nothing_is_in_progress(client, erin, assessment, media):
    ready(assessment, media)
    client.force_login(erin)
    response = client.get(f"/assessments/{assessment.pk}/reports/list/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Download PDF" in html and "hx-trigger" not in html


def test_an_executive_reads_and_downloads_without_any_control(client, erin, assessment, media):
    report = ready(assessment, media)
    client.force_login(erin)

    html = client.get(page(assessment)).content.decode()
    assert "Request " not in html and "branding-form" not in html
    response = client.get(f"/reports/{report.pk}/download/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "acme-industries-executive-summary-" in response["Content-Disposition"]
    assert client.post(page(assessment), {"kind": "full_assessment"}).status_code == 403
    ReportRequest.objects.filter(pk=report.pk).update(status=ReportStatus.FAILED)
    assert client.post(f"/reports/{report.pk}/retry/").status_code == 403


def test_a_failed_report_shows_its_reason_and_is_retried(
    client, carol, assessment, django_capture_on_commit_callbacks, queued
):
    report = ReportRequest.objects.create(
        assessment=assessment, kind="full_assessment", status=ReportStatus.FAILED, attempts=3,
        error="Charts cannot be exported: Chromium is not installed",
    )  # fmt: skip
    client.force_login(carol)
    html = client.get(page(assessment)).content.decode()
    assert "Charts cannot be exported: Chromium is not installed" in html
    assert f"/reports/{report.pk}/retry/" in html

    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/reports/{report.pk}/retry/")

    report.refresh_from_db()
    assert (report.status, report.attempts, report.error) == ("pending", 0, "")
    assert queued == [report.pk]


def test_a_report_not_ready_is_not_downloaded(client, alice, assessment):
    report = ReportRequest.objects.create(assessment=assessment, kind="full_assessment")
    client.force_login(alice)
    assert client.get(f"/reports/{report.pk}/download/").status_code == 409


def test_a_bad_kind_is_refused_on_the_page(client, alice, assessment):
    client.force_login(alice)
    assert client.post(page(assessment), {"kind": "annual_review"}).status_code == 400
    assert not ReportRequest.objects.exists()


def test_another_organization_gets_404_everywhere(client, bob, assessment, media):
    report = ready(assessment, media)
    client.force_login(bob)
    for url in (page(assessment), f"/assessments/{assessment.pk}/reports/list/",
                f"/reports/{report.pk}/download/"):  # fmt: skip
        assert client.get(url).status_code == 404, url
    for url in (page(assessment), f"/reports/{report.pk}/retry/",
                f"/assessments/{assessment.pk}/reports/branding/"):  # fmt: skip
        assert client.post(url, {"kind": "full_assessment"}).status_code == 404, url


def test_an_anonymous_visitor_is_sent_to_log_in(client, assessment, media):
    report = ready(assessment, media)
    for url in (page(assessment), f"/reports/{report.pk}/download/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_consultant_sets_the_branding(client, alice, assessment):
    client.force_login(alice)
    response = client.post(
        f"/assessments/{assessment.pk}/reports/branding/",
        {"firm_name": "Northstar Advisory", "color": "#AA3300", "logo": png("logo.png")},
    )
    assert response.status_code == 302
    branding = Branding.objects.get(organization=assessment.organization)
    assert (branding.firm_name, branding.color) == ("Northstar Advisory", "#aa3300")
    assert branding.logo.name.startswith(f"branding/{assessment.organization_id}-")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"color": "red; background: url(x)"}, "Use a colour like"),
        ({"color": "#123456", "logo": "gif"}, "must be a PNG or JPEG"),
    ],
)
def test_bad_branding_is_refused_with_the_reason(client, alice, assessment, data, message):
    from django.core.files.uploadedfile import SimpleUploadedFile

    if data.get("logo") == "gif":
        data["logo"] = SimpleUploadedFile("logo.png", b"GIF89a\x01\x00\x01\x00", "image/png")
    client.force_login(alice)
    response = client.post(f"/assessments/{assessment.pk}/reports/branding/", data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Branding.objects.exists()


def test_a_coe_lead_cannot_change_the_branding(client, carol, assessment):
    client.force_login(carol)
    assert "branding-form" not in client.get(page(assessment)).content.decode()
    response = client.post(
        f"/assessments/{assessment.pk}/reports/branding/", {"firm_name": "X", "color": "#000000"}
    )
    assert response.status_code == 403


def test_only_a_consultant_is_offered_the_consultant_edition(
    client, alice, carol, assessment, django_capture_on_commit_callbacks, queued
):
    client.force_login(carol)
    html = client.get(page(assessment)).content.decode()
    assert 'value="consultant"' not in html and "Consultant edition" not in html

    client.force_login(alice)
    html = client.get(page(assessment)).content.decode()
    assert 'name="audience" value="consultant"' in html
    assert "Confidential: consultant working paper" in html  # what the choice means
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            page(assessment),
            {"kind": "full_assessment", "audience": "consultant", "quality": "acknowledged"},
            follow=True,
        )
    report = ReportRequest.objects.get()
    assert (report.kind, report.audience) == ("full_assessment", "consultant")
    assert queued == [report.pk]
    assert "Full assessment (consultant edition) requested" in response.content.decode()


def test_an_unknown_audience_is_refused_on_the_page(client, alice, assessment):
    client.force_login(alice)
    response = client.post(page(assessment), {"kind": "full_assessment", "audience": "board"})
    assert response.status_code == 400
    assert "Unknown audience" in response.content.decode()
    assert not ReportRequest.objects.exists()


def test_a_coe_lead_asking_for_the_consultant_edition_gets_403_recorded(client, carol, assessment):
    client.force_login(carol)
    response = client.post(page(assessment), {"kind": "full_assessment", "audience": "consultant"})
    assert response.status_code == 403
    assert not ReportRequest.objects.exists()
    denied = AuditEntry.objects.get(action="access.denied", user=carol)
    assert "request_consultant_report" in denied.summary


@pytest.mark.parametrize("who", ["carol", "erin"])
def test_a_client_member_sees_the_consultant_edition_without_a_link(
    client, request, alice, assessment, media, who
):
    report = ready(assessment, media, audience="consultant")
    user = request.getfixturevalue(who)
    client.force_login(user)

    html = client.get(f"/assessments/{assessment.pk}/reports/list/").content.decode()
    assert "Consultant edition" in html and "For the consultants only" in html
    assert f"/reports/{report.pk}/download/" not in html
    assert client.get(f"/reports/{report.pk}/download/").status_code == 403
    denied = AuditEntry.objects.get(action="access.denied", user=user)
    assert "download_consultant_report" in denied.summary

    client.force_login(alice)
    html = client.get(f"/assessments/{assessment.pk}/reports/list/").content.decode()
    assert f"/reports/{report.pk}/download/" in html
    response = client.get(f"/reports/{report.pk}/download/")
    assert response.status_code == 200
    assert (
        "acme-industries-executive-summary-consultant-edition-" in (response["Content-Disposition"])
    )


def test_retrying_the_consultant_edition_is_for_consultants(
    client, alice, carol, assessment, django_capture_on_commit_callbacks, queued
):
    report = ReportRequest.objects.create(
        assessment=assessment, kind="full_assessment", audience="consultant",
        status=ReportStatus.FAILED, attempts=3, error="Charts cannot be exported",
    )  # fmt: skip
    client.force_login(carol)
    assert f"/reports/{report.pk}/retry/" not in client.get(page(assessment)).content.decode()
    assert client.post(f"/reports/{report.pk}/retry/").status_code == 403
    assert ReportRequest.objects.get(pk=report.pk).status == ReportStatus.FAILED

    client.force_login(alice)
    assert f"/reports/{report.pk}/retry/" in client.get(page(assessment)).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"/reports/{report.pk}/retry/")
    assert ReportRequest.objects.get(pk=report.pk).status == ReportStatus.PENDING
    assert queued == [report.pk]


def test_an_outsider_gets_404_for_the_consultant_edition(client, bob, assessment, media):
    report = ready(assessment, media, audience="consultant")
    client.force_login(bob)
    assert client.get(f"/reports/{report.pk}/download/").status_code == 404
    assert client.post(f"/reports/{report.pk}/retry/").status_code == 404
    response = client.post(page(assessment), {"kind": "full_assessment", "audience": "consultant"})
    assert response.status_code == 404
