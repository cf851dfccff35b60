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
