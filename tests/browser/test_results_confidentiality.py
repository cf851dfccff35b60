"""An executive of the demo organization opens its results in Chromium (DESIGN §9): the
two submitted respondents are each alone in their role and business unit, fewer than 3
even together, so the page shows no breakdown, says why, and names nobody, on a
desktop and on a phone."""

from io import StringIO

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from assessments.models import Assessment
from results.management.commands.load_demo_data import (
    BASELINE_TITLE,
    DEMO_ORGANIZATION,
    DEMO_PASSWORD,
    DEMO_RESPONDENTS,
)

PHONE = {"width": 390, "height": 844}
ALIGNMENT_AND_EXPORTS = 'section[aria-labelledby="align-h"], section[aria-labelledby="exports-h"]'
WIDER_THAN_VIEWPORT = """(selector) => {
  const width = document.documentElement.clientWidth;
  const wide = [];
  for (const section of document.querySelectorAll(selector)) {
    for (const e of [section, ...section.querySelectorAll("*")]) {
      if (e.closest(".table-wrap") && !e.classList.contains("table-wrap")) continue;
      if (e.getBoundingClientRect().right > width + 1) wide.push(e.tagName + "#" + e.id);
    }
  }
  return wide;
}"""


@pytest.mark.browser
def test_an_executive_sees_the_suppression_note_and_no_names(
    live_server, bank, make_context, shot, assert_no_external_requests
):
    call_command("load_demo_data", stdout=StringIO())
    assessment = Assessment.objects.get(organization__name=DEMO_ORGANIZATION, title=BASELINE_TITLE)
    results = f"{live_server.url}/assessments/{assessment.pk}/results/"
    names = [value for r in DEMO_RESPONDENTS for value in (r[0], r[1])]
    titles = [r[3] for r in DEMO_RESPONDENTS]  # "CIO" is also in roadmap advice

    for viewport in ({"width": 1280, "height": 900}, PHONE):
        page = make_context(viewport=viewport).new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        page.goto(results)
        page.get_by_label("Username").fill("executive")
        page.get_by_label("Password").fill(DEMO_PASSWORD)
        page.get_by_role("button", name="Log in").click()
        expect(page).to_have_url(results)

        note = page.locator("#unit-suppression-note")
        expect(note).to_be_visible()
        expect(note).to_contain_text("Groups of fewer than 3 respondents are left out")
        expect(note).to_contain_text("2 groups (2 respondents)")
        expect(page.locator("#role-suppression-note")).to_be_visible()
        expect(page.locator("#confidentiality-note")).to_be_visible()
        expect(page.locator("#unit-table")).to_have_count(0)
        expect(page.locator("#role-table")).to_have_count(0)
        misalignments = page.locator("#misalignments")
        expect(misalignments.locator("li").first).to_contain_text("Level ")
        expect(page.locator("#exports")).not_to_contain_text("Answers with names")
        assert [s for s in names if s in page.content()] == []
        alignment = page.locator('section[aria-labelledby="align-h"]').inner_text()
        assert [s for s in titles if s in alignment] == []

        page.locator("#align-h").scroll_into_view_if_needed()
        shot(page, f"alignment-{viewport['width']}")
        # What this feature shows (the alignment section with its notes, the exports)
        # stays within the viewport. (The dimension table beside the radar chart is
        # wider than a phone already; it scrolls the page, not this.)
        wide = page.evaluate(WIDER_THAN_VIEWPORT, ALIGNMENT_AND_EXPORTS)
        assert wide == [], f"wider than {viewport['width']}px: {wide}"
        assert errors == []
    assert_no_external_requests()
