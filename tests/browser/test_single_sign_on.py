"""Single sign-on against a real OpenID Connect provider: node's oidc-provider
(tests/sso/provider/, installed by `make test`), started here on a free port, driven
through its own login and consent pages in Chromium.

The provider signs tokens with its own key; for the wrong-audience and expired cases it
re-signs the ID token with changed claims (POST /__test__/mode/...), so the refusals below
come from our checks of a genuinely signed token, not from a mock.
"""

import json
import os
import shutil
import socket
import subprocess
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model

from audit.models import AuditEntry
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PROVIDER_DIR = Path(__file__).resolve().parents[1] / "sso" / "provider"
PROVIDER_NAME = "Corp Identity"
CLIENT_ID = "ai-scaling-maturity"
CLIENT_SECRET = "a-client-secret-only-for-tests"
ACCOUNTS = {
    "alice": {"email": "alice@corp.example", "email_verified": True, "name": "Alice"},
    "bob": {"email": "bob@corp.example", "email_verified": False, "name": "Bob"},
    "carol": {"email": "carol@elsewhere.example", "email_verified": True, "name": "Carol"},
    "dave": {"email": "dave@corp.example", "email_verified": True, "name": "Dave"},
}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
        pytest.fail(f"REQUIRE_BROWSER_TESTS=1: {reason}", pytrace=False)
    pytest.skip(reason)


class Provider:
    def __init__(self, issuer: str):
        self.issuer = issuer

    def set_mode(self, mode: str) -> None:
        request = urllib.request.Request(f"{self.issuer}/__test__/mode/{mode}", method="POST")
        with urllib.request.urlopen(request, timeout=5) as response:
            assert response.status == 204


@pytest.fixture(scope="module")
def provider(live_server):
    node = shutil.which("node")
    if node is None:
        _unavailable("node is not installed (apt-get install nodejs); SSO tests cannot run")
    if not (PROVIDER_DIR / "node_modules" / "oidc-provider").is_dir():
        _unavailable(f"run `npm ci --prefix {PROVIDER_DIR}` (make test does) for the SSO tests")
    port = _free_port()
    process = subprocess.Popen(
        [node, "provider.mjs"],
        cwd=PROVIDER_DIR,
        env={
            **os.environ,
            "PORT": str(port),
            "CLIENT_ID": CLIENT_ID,
            "CLIENT_SECRET": CLIENT_SECRET,
            "REDIRECT_URI": f"{live_server.url}/accounts/sso/finish/",
            "ACCOUNTS": json.dumps(ACCOUNTS),
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    first_line = process.stdout.readline()
    if not first_line.startswith("ready"):
        process.kill()
        pytest.fail(f"the OIDC provider did not start: {first_line}{process.stderr.read()}")
    yield Provider(first_line.split()[1])
    process.terminate()
    process.wait(timeout=10)


@pytest.fixture
def sso(settings, provider):
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = PROVIDER_NAME
    settings.OIDC_OP_ISSUER = provider.issuer
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = f"{provider.issuer}/auth"
    settings.OIDC_OP_TOKEN_ENDPOINT = f"{provider.issuer}/token"
    settings.OIDC_OP_USER_ENDPOINT = f"{provider.issuer}/me"
    settings.OIDC_OP_JWKS_ENDPOINT = f"{provider.issuer}/jwks"
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_ALLOWED_EMAIL_DOMAINS = ["corp.example"]
    settings.OIDC_CREATE_USERS = False
    provider.set_mode("normal")
    yield provider
    provider.set_mode("normal")


def _sign_in_with_provider(page, live_server, login: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    # The provider's own pages: its login form, then its consent.
    page.locator("input[name=login]").fill(login)
    page.locator("input[name=password]").fill("whatever-the-provider-accepts")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()
    page.wait_for_url(f"{live_server.url}/**")


def _only_the_providers_fonts_left_the_machine(network_guard) -> None:
    # oidc-provider's development login page imports a web font; our pages fetch nothing.
    assert all(url.startswith("https://fonts.googleapis.com/") for url in network_guard.blocked)


def test_a_member_signs_in_with_the_company_provider(sso, live_server, page, network_guard, shot):
    organization = OrganizationFactory(name="Globex")
    alice = UserFactory(username="alice", email="Alice@Corp.example")
    MembershipFactory(user=alice, organization=organization)

    page.goto(f"{live_server.url}/organizations/{organization.pk}/")
    assert "/accounts/login/" in page.url
    shot(page, "login-page")
    page.get_by_role("link", name=f"Sign in with {PROVIDER_NAME}").click()
    page.locator("input[name=login]").fill("alice")
    page.locator("input[name=password]").fill("whatever-the-provider-accepts")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()

    # Back on the page asked for, signed in as the account with that (verified) email.
    page.wait_for_url(f"{live_server.url}/organizations/{organization.pk}/")
    assert page.get_by_role("heading", name="Globex").count() >= 1
    shot(page, "signed-in")
    entry = AuditEntry.objects.get(action="login.sso")
    assert entry.user == alice
    assert PROVIDER_NAME in entry.summary
    _only_the_providers_fonts_left_the_machine(network_guard)


@pytest.mark.parametrize(
    ("login", "mode", "message"),
    [
        ("alice", "wrong-audience", "issued this sign-in for another application"),
        ("alice", "expired", "has expired. Sign in again."),
        ("bob", "normal", "has not verified your email address bob@corp.example"),
        ("carol", "normal", "Accounts at elsewhere.example cannot sign in"),
        ("dave", "normal", "There is no account for dave@corp.example"),
    ],
    ids=["wrong-audience", "expired-token", "unverified-email", "other-domain", "unknown"],
)
def test_a_refused_sign_in_says_why_and_signs_nobody_in(
    sso, live_server, page, network_guard, shot, login, mode, message
):
    for known in ("alice", "bob", "carol"):
        UserFactory(username=known, email=ACCOUNTS[known]["email"])
    sso.set_mode(mode)

    _sign_in_with_provider(page, live_server, login)

    assert page.url.startswith(f"{live_server.url}/accounts/login/")
    alert = page.locator(".messages")
    assert message in alert.inner_text()
    shot(page, "refused")
    page.goto(f"{live_server.url}/organizations/")
    assert "/accounts/login/" in page.url, "nobody may be signed in after a refusal"
    refusal = AuditEntry.objects.get(action="login.sso_refused")
    assert message in refusal.summary
    assert not AuditEntry.objects.filter(action="login.sso").exists()
    _only_the_providers_fonts_left_the_machine(network_guard)


def test_first_sign_in_creates_an_account_with_no_organization(
    sso, settings, live_server, page, network_guard
):
    settings.OIDC_CREATE_USERS = True
    OrganizationFactory(name="Globex")

    _sign_in_with_provider(page, live_server, "dave")

    dave = get_user_model().objects.get(email="dave@corp.example")
    assert not dave.has_usable_password()
    assert not dave.memberships.exists(), "SSO never grants a membership"
    page.goto(f"{live_server.url}/organizations/")
    assert "/accounts/login/" not in page.url
    assert "Globex" not in page.content()
    assert AuditEntry.objects.filter(action="user.created_by_sso", user=dave).exists()
    _only_the_providers_fonts_left_the_machine(network_guard)
