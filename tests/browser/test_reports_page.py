"""A CoE lead on the reports page in Chromium: a report being rendered shows its live
status, the list polls (htmx) until it is ready, and the download link appears without
a reload. Rendering is a worker's job: here the test plays the worker."""

from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from reports.models import ReportRequest, ReportStatus


@pytest.mark.browser
def test_the_list_polls_until_the_report_is_ready(
    live_server, client, carol, assessment, context, settings, tmp_path, shot,
    assert_no_external_requests,
):  # fmt: skip
    settings.MEDIA_ROOT = tmp_path
    report = ReportRequest.objects.create(assessment=assessment, kind="full_assessment")
    ReportRequest.objects.filter(pk=report.pk).update(status=ReportStatus.RENDERING, attempts=1)
    client.force_login(carol)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/reports/")

    row = page.locator(f'tr[data-report="{report.pk}"]')
    expect(row).to_contain_text("Rendering")
    expect(page.get_by_role("button", name="Request full assessment")).to_be_visible()
    shot(page, "rendering")

    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / f"{report.pk}.pdf").write_bytes(b"%PDF-1.7 test")
    ReportRequest.objects.filter(pk=report.pk).update(
        status=ReportStatus.READY, file=f"reports/{report.pk}.pdf", pages=14, size=13,
        finished_at=timezone.now(),
    )  # fmt: skip

    expect(row).to_contain_text("Ready", timeout=10_000)
    expect(row).to_contain_text("14 pages")
    link = row.get_by_role("link", name="Download PDF")
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename.startswith("acme-industries-full-assessment-")
    assert Path(download.value.path()).read_bytes() == b"%PDF-1.7 test"
    expect(page.locator("#report-list")).not_to_have_attribute("hx-trigger", "every 2s")
    shot(page, "ready")
    assert_no_external_requests()


@pytest.mark.browser
def test_a_consultant_requests_a_german_report_on_a_phone(
    live_server, client, alice, assessment, make_context, settings, tmp_path, shot,
    assert_no_external_requests, monkeypatch,
):  # fmt: skip
    """The page in German fits a phone and passes the accessibility audit; the language
    chosen beside the buttons is the report's, and the list shows it."""
    from axe_playwright_python.sync_playwright import Axe

    settings.MEDIA_ROOT = tmp_path
    monkeypatch.setattr("reports.tasks.render_report.apply_async", lambda args, **kw: None)
    ReportRequest.objects.create(assessment=assessment, kind="executive_summary", language="en")
    client.force_login(alice)
    context = make_context(viewport={"width": 390, "height": 844}, locale="de-DE")
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    page.goto(f"{live_server.url}/assessments/{assessment.pk}/reports/")

    expect(page.get_by_role("heading", name="Bericht anfordern")).to_be_visible()
    select = page.locator("#language-full_assessment")
    expect(select).to_have_value("de")
    page.get_by_role("button", name="Vollständiges Assessment anfordern").click()
    page.get_by_role("button", name="Bericht trotzdem anfordern").click()

    newest = ReportRequest.objects.order_by("-pk").first()
    assert (newest.kind, newest.language) == ("full_assessment", "de")
    row = page.locator(f'tr[data-report="{newest.pk}"]')
    expect(row).to_contain_text("Deutsch")
    expect(page.locator('tr[data-language="en"]')).to_contain_text("English")
    expect(page.locator(".messages")).to_contain_text("angefordert (Deutsch)")
    page.reload()  # (the flash message's list is base.html's, audited elsewhere)
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    violations = [
        v for v in Axe().run(page).response["violations"] if v["impact"] in ("serious", "critical")
    ]
    assert violations == [], [(v["id"], [n["target"] for n in v["nodes"]]) for v in violations]
    shot(page, "german")
    assert_no_external_requests()
