"""An executive reads the demo results on a phone: the charts drawn are the phone
variants (labels above the bars, abbreviated radar), with no Plotly toolbar; the
contents stay at the top while scrolling; and turning to a wide window redraws the
wide charts without reloading."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import Assessment
from results.management.commands.load_demo_data import DEMO_ORGANIZATION, DEMO_PASSWORD

# An executive sees no role breakdown of two respondents (confidentiality): no heatmap.
CHARTS = (
    "radar",
    "bars",
    "evidence-backed",
    "units",
    "peer-radar",
    "peer-percentiles",
    "peer-quartiles",
    "roi",
)


@pytest.mark.browser
def test_the_results_on_a_phone_use_charts_designed_for_it(
    live_server, bank, make_context, assert_no_external_requests, shot
):
    call_command("load_demo_data", stdout=StringIO())
    assessment = Assessment.objects.get(organization__name=DEMO_ORGANIZATION, title="2026 baseline")
    page = make_context(viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/accounts/login/?next=/assessments/{assessment.pk}/results/")
    page.get_by_label("Username").fill("executive")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()

    expect(page.locator("[data-chart]")).to_have_count(len(CHARTS))
    for chart in CHARTS:
        canvas = page.locator(f'[data-chart="{chart}-data"]')
        expect(canvas.locator(".main-svg").first).to_be_visible()
        expect(canvas).to_have_attribute("data-drawn", "narrow")
    expect(page.locator(".modebar")).to_have_count(0)
    radar_labels = page.locator('[data-chart="radar-data"] .angularaxistick text')
    expect(radar_labels.first).to_have_text("Data")
    # the bars' titles are written above them, whole, inside the chart's width
    bars = page.locator('[data-chart="bars-data"]')
    title = bars.locator(".annotation-text", has_text="Talent acquisition and retention")
    box, frame = title.bounding_box(), bars.bounding_box()
    assert frame["x"] <= box["x"] and box["x"] + box["width"] <= frame["x"] + frame["width"]
    shot(page, "results-phone-top")

    page.get_by_role("link", name="ROI", exact=True).click()
    toc = page.get_by_role("navigation", name="Sections of the results")
    expect(toc).to_be_in_viewport()
    assert toc.bounding_box()["y"] == 0  # sticky at the top
    expect(page.locator('[data-chart="roi-data"]')).to_be_in_viewport()
    shot(page, "results-phone-roi")

    page.set_viewport_size({"width": 1366, "height": 900})
    for chart in CHARTS:
        expect(page.locator(f'[data-chart="{chart}-data"]')).to_have_attribute("data-drawn", "wide")
    expect(radar_labels.first).to_have_text("Datainfrastructure")  # wrapped: two <tspan>
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    assert_no_external_requests()
