"""A consultant opens the demo assessment's results in Chromium: plotly.js, served by us,
draws the radar chart from the JSON embedded in the page, and nothing leaves 127.0.0.1."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import Assessment
from results.management.commands.load_demo_data import (
    BASELINE_TITLE,
    DEMO_ORGANIZATION,
    DEMO_PASSWORD,
)

SCREENSHOT = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "results.png"
DIMENSIONS = 7


@pytest.mark.browser
def test_a_consultant_sees_the_radar_chart_of_the_demo_assessment(
    live_server, bank, context, assert_no_external_requests
):
    call_command("load_demo_data", stdout=StringIO())
    assessment = Assessment.objects.get(organization__name=DEMO_ORGANIZATION, title=BASELINE_TITLE)
    results = f"/assessments/{assessment.pk}/results/"

    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    local_requests: list[str] = []
    page.on("request", lambda r: local_requests.append(r.url))

    page.goto(f"{live_server.url}{results}")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next={results}")
    page.get_by_label("Username").fill("consultant")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page).to_have_url(f"{live_server.url}{results}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Results: 2026 baseline")
    expect(page.locator(".page-head .badge")).to_have_text("Provisional")

    radar = page.locator('figure.chart:has([data-chart="radar-data"])')
    expect(radar.locator(".main-svg").first).to_be_visible()
    expect(radar.locator("g.polar, .polarlayer").first).to_be_attached()
    # One angular tick label per dimension, drawn by plotly.js from the embedded JSON.
    labels = radar.locator(".angularaxistick text")
    expect(labels).to_have_count(DIMENSIONS)
    # Long titles wrap onto several <tspan> lines; their words read in order.
    first_lines = labels.first.locator("tspan").all_text_contents()
    assert " ".join(first_lines or [labels.first.text_content()]) == "Data infrastructure"
    expect(radar.locator("path.js-fill").first).to_be_attached()  # the filled score polygon
    # The other two charts render too.
    for chart in ("bars-data", "roles-data"):
        expect(page.locator(f'[data-chart="{chart}"] .main-svg').first).to_be_visible()

    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert SCREENSHOT.stat().st_size > 10_000

    assert any(url.endswith("/static/vendor/plotly/plotly.min.js") for url in local_requests)
    assert errors == []
    assert_no_external_requests()
