"""Single sign-on is off by default: no button, and its URLs do not exist. The sign-in
itself is tested against a real provider in tests/browser/test_single_sign_on.py."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_without_configuration_the_login_page_offers_passwords_only(client):
    page = client.get(reverse("login"))
    assert page.status_code == 200
    assert "Sign in with" not in page.content.decode()


@pytest.mark.parametrize("route", ["sso-start", "sso-finish"])
def test_without_configuration_the_sign_on_urls_are_not_found(client, route):
    assert client.get(reverse(route)).status_code == 404


def test_when_configured_the_login_page_names_the_provider(client, settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_PROVIDER_NAME = "Contoso Entra ID"
    page = client.get(reverse("login") + "?next=/organizations/")
    assert page.status_code == 200
    body = page.content.decode()
    assert "Sign in with Contoso Entra ID" in body
    assert reverse("sso-start") + "?next=/organizations/" in body
