"""A consultant sets up an assessment and invites executives, in Chromium."""

import pytest
from playwright.sync_api import expect

from assessments.models import Respondent
from config.celery_app import app as celery_app

from ..factories import UserFactory

PASSWORD = "correct horse battery staple"  # tests/factories.py UserFactory


@pytest.fixture
def eager_tasks():
    """The invitation task runs inside the server's request: no worker in this test."""
    conf = celery_app.conf
    previous = conf.task_always_eager
    conf.task_always_eager = True
    yield
    conf.task_always_eager = previous


@pytest.mark.browser
def test_consultant_creates_an_assessment_and_invites_two_executives(
    live_server, bank, eager_tasks, context, shot, mailoutbox, assert_no_external_requests
):
    UserFactory(username="dana", first_name="Dana", last_name="Reyes")
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server.url)
    page = context.new_page()

    # Logging in: the home page asks for it first.
    page.goto(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password").fill(PASSWORD)
    shot(page, "login")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organizations")
    expect(page.get_by_role("button", name="Log out dana")).to_be_visible()

    # A client organization through the form.
    page.get_by_role("link", name="New organization").click()
    page.get_by_label("Name").fill("Initech Logistics")
    page.get_by_label("Industry").select_option(label="Transportation and logistics")
    page.get_by_label("Size band").select_option(label="5,000–19,999 employees")
    page.get_by_label("Region").select_option(label="North America")
    shot(page, "new-organization")
    page.get_by_role("button", name="Create organization").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Initech Logistics")
    expect(
        page.get_by_text("Transportation and logistics · 5,000–19,999 employees")
    ).to_be_visible()

    # An assessment on the newest question bank, offered first.
    page.get_by_label("Title").fill("2026 AI scaling baseline")
    expect(page.get_by_label("Question bank version")).to_have_value("2026.2")
    shot(page, "organization")
    page.get_by_role("button", name="Create assessment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2026 AI scaling baseline")
    expect(page.get_by_text("No respondents yet.")).to_be_visible()

    # Two respondents through the form.
    for name, email, role, title in [
        ("Morgan Chen", "ceo@initech.example", "CEO", "Chief Executive Officer"),
        ("Priya Raman", "cdo@initech.example", "Chief Data Officer", "Chief Data Officer"),
    ]:
        form = page.locator("form.grid-form")
        form.get_by_label("Name").fill(name)
        form.get_by_label("Email").fill(email)
        form.get_by_label("Executive role").select_option(label=role)
        form.get_by_label("Job title").fill(title)
        form.get_by_label("Business unit").fill("Group")
        form.get_by_role("button", name="Add respondent").click()
        expect(page.locator(".message.success")).to_have_text(
            f"{name} added. Copy or email their link below."
        )

    morgan = Respondent.objects.get(email="ceo@initech.example")
    priya = Respondent.objects.get(email="cdo@initech.example")
    rows = page.locator("#respondents tbody tr")
    expect(rows).to_have_count(2)
    links = {}
    for respondent in (morgan, priya):
        row = page.locator(f'tr[data-respondent="{respondent.email}"]')
        expect(row).to_contain_text(respondent.name)
        expect(row.locator(".progress-label")).to_have_text("0% answered")
        expect(row.locator(".status")).to_have_text("Not started")
        links[respondent.pk] = f"{live_server.url}/r/{respondent.token}/"
        expect(row.get_by_label(f"Invitation link for {respondent.name}")).to_have_value(
            links[respondent.pk]
        )
    shot(page, "assessment-with-respondents", full_page=True)

    # Copy puts the link on the clipboard and says so.
    morgan_row = page.locator(f'tr[data-respondent="{morgan.email}"]')
    morgan_row.get_by_role("button", name="Copy").click()
    expect(morgan_row.locator("button[data-copy]")).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == links[morgan.pk]

    # Email link sends the invitation.
    morgan_row.get_by_role("button", name="Email link").click()
    expect(page.locator(".message.success")).to_have_text(
        "The invitation email to Morgan Chen is on its way."
    )
    assert [m.to for m in mailoutbox] == [[morgan.email]]
    assert links[morgan.pk].split("/r/")[1] in mailoutbox[0].body
    expect(morgan_row.locator(".hint").last).to_contain_text("emailed")

    # Revoking one link.
    priya_row = page.locator(f'tr[data-respondent="{priya.email}"]')
    priya_row.get_by_role("button", name="Revoke").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Revoke Priya Raman's link?")
    page.get_by_role("button", name="Yes, revoke the link").click()
    expect(page.locator(".message.success")).to_have_text(
        "Priya Raman's link is revoked; it no longer opens the questionnaire."
    )
    expect(priya_row.locator(".status")).to_have_text("Revoked")
    expect(priya_row.get_by_role("button", name="Copy")).to_have_count(0)
    expect(priya_row.get_by_role("button", name="Re-issue link")).to_be_visible()
    shot(page, "after-revoke", full_page=True)

    # The other link still opens the questionnaire; the revoked one does not.
    executive = context.new_page()
    executive.goto(links[morgan.pk])
    expect(executive.get_by_role("heading", level=1)).to_have_text("Welcome, Morgan Chen")
    expect(executive.get_by_role("link", name="Start", exact=True)).to_be_visible()
    shot(executive, "invitation-link-opens")
    response = executive.goto(links[priya.pk])
    assert response.status == 410
    expect(executive.get_by_role("heading", level=1)).to_have_text(
        "This invitation link was revoked"
    )
    assert_no_external_requests()
