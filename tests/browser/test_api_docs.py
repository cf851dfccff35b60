"""The API documentation pages render under our Content-Security-Policy."""

import pytest
from playwright.sync_api import expect


def _violations(page) -> list[str]:
    messages: list[str] = []
    page.on(
        "console",
        lambda m: messages.append(m.text) if "Content Security Policy" in m.text else None,
    )
    return messages


@pytest.mark.browser
def test_swagger_ui_renders_under_the_policy(live_server, page, transactional_db):
    violations = _violations(page)
    page.goto(f"{live_server.url}/api/docs/")
    expect(page.locator(".swagger-ui .opblock").first).to_be_visible(timeout=20_000)
    assert not [v for v in violations if "script" in v], violations


@pytest.mark.browser
def test_redoc_renders_under_the_policy(live_server, page, transactional_db):
    violations = _violations(page)
    page.goto(f"{live_server.url}/api/redoc/")
    expect(page.get_by_text("/api/v1/organizations/", exact=False).first).to_be_attached(
        timeout=20_000
    )
    assert not [v for v in violations if "script" in v], violations
