"""A CoE lead tracks the roadmap in Chromium: marking a milestone done through the htmx
status control updates the milestone, the phase progress, the timeline and the history
in place, without a full reload, and nothing leaves 127.0.0.1."""

from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from roadmap import services
from roadmap.models import Milestone

from ..roadmap.conftest import answer_all

SCREENSHOT = Path(__file__).resolve().parents[2] / "test-artifacts" / "screenshots" / "roadmap.png"
PASSWORD = "correct horse battery staple"  # tests/factories.py


@pytest.fixture
def roadmap(assessment, respondent, carol):
    """Placed in phase 2 (every answer at level 3), started two months ago."""
    answer_all(respondent, 3)
    return services.roadmap_create(
        assessment=assessment, start_date=timezone.localdate() - timedelta(days=60), user=carol
    )


@pytest.mark.browser
def test_a_coe_lead_marks_a_milestone_done_without_a_reload(
    live_server, roadmap, context, shot, assert_no_external_requests
):
    milestone = roadmap.milestones.get(phase=2, position=0)
    target = f"/organizations/{roadmap.organization_id}/roadmap/"
    page = context.new_page()
    problems: list[str] = []
    page.on("pageerror", lambda exc: problems.append(str(exc)))
    page.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)

    page.goto(f"{live_server.url}{target}")
    expect(page).to_have_url(f"{live_server.url}/accounts/login/?next={target}")
    page.get_by_label("Username").fill("carol")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(f"{live_server.url}{target}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Roadmap and use cases")
    page.wait_for_function("() => window.htmx !== undefined")

    card = page.locator("#phase-2-card")
    expect(card.locator(".phase-progress")).to_have_text("0 of 3 milestones done")
    expect(card.locator(".status")).to_contain_text("At risk")  # two months in, nothing done
    expect(page.locator("#overall-progress .kpi-value")).to_have_text("0 / 9")
    gantt = page.locator('[data-chart="gantt-data"]')
    expect(gantt.locator(".main-svg").first).to_be_visible()
    expect(gantt.locator("text", has_text="Today")).to_have_count(1)
    shot(page, "before")

    # A marker on `window` survives only if the page is never reloaded or left.
    page.evaluate("() => { window.__roadmapMarker = 'still here'; }")
    with page.expect_response(lambda r: r.url.endswith(f"/milestones/{milestone.pk}/status/")):
        page.get_by_label(f"Status of {milestone.title}").select_option("done")

    row = page.locator(f"#milestone-{milestone.pk}")
    expect(row).to_contain_text(f"completed {timezone.localdate().day}")
    expect(row.get_by_label(f"Status of {milestone.title}")).to_have_value("done")
    expect(card.locator(".phase-progress")).to_have_text("1 of 3 milestones done")
    expect(card.locator("progress")).to_have_attribute("value", "1")
    expect(page.locator("#overall-progress .kpi-value")).to_have_text("1 / 9")
    first_entry = page.locator("#history li").first
    expect(first_entry).to_contain_text("carol")
    expect(first_entry).to_contain_text(f"Milestone “{milestone.title}”: status Not started → Done")
    # The timeline is swapped in too and drawn again, now with a filled (done) diamond.
    expect(gantt.locator(".main-svg").first).to_be_visible()
    expect(page.locator("#timeline-table")).to_contain_text("◆ done")
    assert page.evaluate("() => window.__roadmapMarker") == "still here"
    assert page.url == f"{live_server.url}{target}"

    done = Milestone.objects.get(pk=milestone.pk)  # the response above came after the save
    assert (done.status, done.completed_on) == ("done", timezone.localdate())
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=SCREENSHOT, full_page=True)
    assert problems == []
    assert_no_external_requests()
