"""A consultant invites a member on the organization page; the invited person sets a
password from the emailed link, logs in and sees the organization, in Chromium."""

import re

import pytest
from playwright.sync_api import expect

from ..factories import MembershipFactory, OrganizationFactory, UserFactory

PASSWORD = "correct horse battery staple"  # tests/factories.py UserFactory
NEW_PASSWORD = "priya's own passphrase 2026"


def _log_in(page, url, username, password):
    page.goto(f"{url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()


@pytest.mark.browser
def test_an_invited_member_sets_a_password_and_sees_the_organization(
    live_server, settings, context, shot, mailoutbox, assert_no_external_requests
):
    settings.SITE_URL = live_server.url  # the emailed link is absolute, on SITE_URL
    dana = UserFactory(username="dana", first_name="Dana", last_name="Reyes")
    organization = OrganizationFactory(name="Initech Logistics")
    MembershipFactory(organization=organization, user=dana)
    page = context.new_page()

    # The consultant invites the client's CDO as an executive.
    _log_in(page, live_server.url, "dana", PASSWORD)
    page.get_by_role("link", name="Initech Logistics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Initech Logistics")
    invite = page.locator("#invite-form")
    invite.get_by_label("Email").fill("priya.raman@initech.example")
    invite.get_by_label("Role").select_option(label="Executive")
    shot(page, "invite")
    invite.get_by_role("button", name="Invite").click()
    expect(page.locator(".message.success")).to_have_text(
        "priya.raman@initech.example invited as Executive. "
        "We emailed them a link to set their password."
    )
    members = page.locator("#member-list")
    expect(members).to_contain_text("priya.raman@initech.example")
    expect(members).to_contain_text("(invited, no password yet)")
    shot(page, "invited", full_page=True)
    page.get_by_role("button", name="Log out dana").click()

    # The invitation email carries the link.
    [message] = mailoutbox
    assert message.to == ["priya.raman@initech.example"]
    link = re.search(r"http://\S+/accounts/invitation/\S+", message.body).group(0)
    assert link.startswith(live_server.url)

    # She sets her password from the link...
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Set your password")
    page.locator("#id_new_password1").fill(NEW_PASSWORD)
    page.get_by_label("New password confirmation").fill(NEW_PASSWORD)
    shot(page, "set-password")
    page.get_by_role("button", name="Save password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password is saved")

    # ... logs in with her email as username and sees the organization.
    page.get_by_role("link", name="Log in").click()
    page.get_by_label("Username").fill("priya.raman@initech.example")
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organizations")
    page.get_by_role("link", name="Initech Logistics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Initech Logistics")
    expect(page.locator("#invite-form")).to_have_count(0)
    shot(page, "member-sees-organization")

    # Her account page lists it with her role; the link works only once.
    page.get_by_role("link", name="Account").click()
    expect(page.locator("#my-organizations")).to_contain_text("Initech Logistics")
    expect(page.locator("#my-organizations")).to_contain_text("Executive")
    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")
    assert_no_external_requests()
