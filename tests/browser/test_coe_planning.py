"""The CoE lead plans in Chromium (DESIGN §10): creates a business unit, sets a target,
runs a what-if whose projection updates live (htmx) and saves it as a named scenario;
nothing leaves 127.0.0.1 and no script error shows."""

import pytest
from playwright.sync_api import expect

from organizations.models import BusinessUnit
from roadmap.models import Target, WhatIfScenario

PASSWORD = "correct horse battery staple"  # tests/factories.py


@pytest.mark.browser
def test_a_coe_lead_creates_a_unit_sets_a_target_and_saves_a_what_if(
    live_server, roadmap, context, shot, assert_no_external_requests
):
    organization_id = roadmap.organization_id
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    units = f"/organizations/{organization_id}/units/"
    page.goto(f"{live_server.url}{units}")
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Business units")
    page.locator("#unit-form").get_by_label("Name").fill("Retail")
    page.get_by_role("button", name="Add unit").click()
    expect(page.locator("#unit-tree")).to_contain_text("Retail")
    assert BusinessUnit.objects.filter(organization_id=organization_id, name="Retail").exists()
    shot(page, "unit created")

    page.goto(f"{live_server.url}/organizations/{organization_id}/roadmap/")
    form = page.locator("#target-form")
    form.get_by_label("Dimension").select_option("talent")
    form.get_by_label("Target score (0–100)").fill("70")
    form.get_by_label("By").fill("2027-06-30")
    form.get_by_role("button", name="Save target").click()
    table = page.locator("#target-table")
    expect(table).to_contain_text("Talent")
    expect(table).to_contain_text("20.0")  # every dimension scores 50 now
    expect(page.locator('[data-chart="target-radar-data"] .main-svg').first).to_be_visible()
    assert Target.objects.get(organization_id=organization_id).score == 70
    shot(page, "target set", full_page=True)

    page.locator("#what-if-link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What-if")
    page.wait_for_function("() => window.htmx !== undefined")
    expect(page.locator("#projected-index")).to_have_text("50.0")
    first = page.locator("#what-if-form select").first
    with page.expect_response(lambda r: r.url.endswith("/what-if/") and r.request.method == "POST"):
        first.select_option("5")
    expect(page.locator("#projected-index")).not_to_have_text("50.0")
    expect(page.locator("#projected-dimensions")).to_contain_text("+")
    shot(page, "what-if projected")

    page.get_by_label("Scenario name").fill("Data quality push")
    page.get_by_role("button", name="Save scenario").click()
    expect(page.locator("#scenarios")).to_contain_text("Data quality push")
    expect(page.get_by_role("heading", level=1)).to_have_text("What-if: Data quality push")
    scenario = WhatIfScenario.objects.get(name="Data quality push")
    assert list(scenario.changes.values()) == [5]
    shot(page, "scenario saved")
    assert not problems, problems


@pytest.fixture
def roadmap(assessment, respondent, carol):
    from django.utils import timezone

    from roadmap import services

    from ..roadmap.conftest import answer_all

    answer_all(respondent, 3)
    return services.roadmap_create(
        assessment=assessment, start_date=timezone.localdate(), user=carol
    )
