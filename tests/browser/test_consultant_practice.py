"""A consultant's practice in Chromium (DESIGN §11): they answer the questionnaire as
assessor, verify two questions against the evidence, see the perception gap and both
layers (claimed and evidence-backed), get the quality warnings before a report and
request it anyway."""

import re

import pytest
from playwright.sync_api import expect

from assessments.selectors import bank_dimensions
from audit.models import AuditEntry
from reports.models import ReportRequest

from ..answering import give, questions_of
from ..factories import RespondentFactory


@pytest.fixture
def claimed(assessment):
    """Two executives claim level 4 everywhere, with no evidence."""
    for n in range(2):
        give(
            RespondentFactory(assessment=assessment, email=f"exec{n}@acme.example"),
            {key: 4 for key in questions_of(assessment)},
        )
    return assessment


@pytest.mark.browser
def test_a_consultant_answers_as_assessor_verifies_and_requests_a_report(
    live_server, client, alice, claimed, context, shot, assert_no_external_requests, monkeypatch
):
    queued = []
    monkeypatch.setattr(
        "reports.tasks.render_report.apply_async", lambda args, **kw: queued.append(args[0])
    )
    client.force_login(alice)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page = context.new_page()
    base = live_server.url

    # 1. Home is the portfolio; the assessment page offers to answer as assessor.
    page.goto(f"{base}/")
    expect(page).to_have_url(re.compile(r"/portfolio/$"))
    expect(page.locator("#portfolio")).to_contain_text("Acme Industries")
    shot(page, "portfolio")
    page.goto(f"{base}/assessments/{claimed.pk}/")
    page.get_by_role("button", name="Answer as assessor").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Welcome")
    expect(page.locator("#assessor-badge")).to_have_text("Answering as assessor")
    page.get_by_role("link", name="Start", exact=True).click()

    # 2. The first section, in the same questionnaire: the assessor sees level 2.
    first = bank_dimensions(claimed.bank)[0]
    expect(page).to_have_url(re.compile(rf"/s/{first.key}/$"))
    page.wait_for_function("() => window.htmx !== undefined")
    for question in first.question_list:
        page.locator(f"#q-{question.key} label.level").filter(
            has=page.locator('input[value="2"]')
        ).click()
    shot(page, "assessor-section")
    page.get_by_role("button", name="Save and continue →").click()
    page.goto(page.url.rsplit("/s/", 1)[0] + "/review/")
    page.get_by_role("button", name=re.compile(r"Submit")).first.click()
    # Only the first section is answered, so the review always asks to confirm; the
    # click waits for that page to arrive (a count() here raced the navigation).
    page.get_by_role("button", name=re.compile(r"Yes, submit with")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Thank you")

    # 3. The perception gap on the results page: client 75, assessor 25 on the first.
    page.goto(f"{base}/assessments/{claimed.pk}/results/")
    row = page.locator(f'#perception-table tr[data-dimension="{first.key}"]')
    expect(row).to_contain_text("75.0")
    expect(row).to_contain_text("25.0")
    expect(row).to_contain_text("⚑ Gap ≥ 15")
    expect(page.locator("#overall-index")).to_have_text("75.0")  # the client's, untouched
    shot(page, "perception-gap", full_page=True)

    # 4. Verify two questions against the evidence.
    page.goto(f"{base}/assessments/{claimed.pk}/verification/")
    for question in first.question_list[:2]:
        card = page.locator(f"#v-{question.key}")
        card.get_by_label("Verified level").select_option("3")
        card.get_by_label("Note: what the evidence shows").fill("Seen the data catalogue")
        card.get_by_role("button", name="Save verified level").click()
        expect(page.locator(f"#v-{question.key}")).to_contain_text("Verified at level 3")
    shot(page, "verification")

    # 5. Both layers side by side.
    page.goto(f"{base}/assessments/{claimed.pk}/results/")
    backed = page.locator(f'#evidence-backed-table tr[data-dimension="{first.key}"]')
    expect(backed).to_contain_text("75.0")  # claimed
    expect(page.locator("#evidence-backed")).to_contain_text("2 questions verified")
    shot(page, "both-layers", full_page=True)

    # 6. The quality warnings before the report; request it anyway.
    page.goto(f"{base}/assessments/{claimed.pk}/reports/")
    page.get_by_role("button", name=re.compile(r"Request full assessment")).click()
    warnings = page.locator("#quality-warnings")
    expect(warnings).to_contain_text("with no evidence")
    expect(warnings).to_contain_text("The assessment is still open")
    expect(warnings.get_by_role("link", name="Review the evidence")).to_be_visible()
    shot(page, "quality-warnings")
    page.get_by_role("button", name="Request the report anyway").click()
    expect(page.locator(".messages")).to_contain_text("it is queued")
    report = ReportRequest.objects.get()
    assert queued == [report.pk] and report.kind == "full_assessment"
    entry = AuditEntry.objects.get(action="quality.acknowledged")
    assert entry.user == alice
    assert_no_external_requests()
