"""Every page of the product, as each role that may see it, on a phone (390×844) and a
laptop (1366×900): no horizontal scrolling, no console error (a CSP violation
included), and an axe-core audit with no serious or critical violation. A screenshot of
each goes to test-artifacts/pages/.

The pages come from the policy table's routes (tests/test_policy.py ROUTES: every GET
of an organization's pages, visited by the roles the table allows) and the few pages of
no organization listed below, so a new page joins this audit when it joins ROUTES.
The demo organization (load_demo_data) fills them: charts, roadmap, use cases.
"""

from io import StringIO
from pathlib import Path
from types import SimpleNamespace

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from assessments.models import Assessment
from organizations.policy import roles_for
from results.management.commands.load_demo_data import DEMO_ORGANIZATION
from roadmap.models import Milestone, UseCase
from tests.test_policy import NOT_ORGANIZATION_PAGES, ROUTES

PAGES_DIR = Path(__file__).resolve().parents[2] / "test-artifacts" / "pages"
WIDTHS = {"phone": (390, 844), "laptop": (1366, 900)}
DEMO_USERS = {"consultant": "consultant", "coe_lead": "coe", "executive": "executive"}
SERIOUS = {"serious", "critical"}

# GET routes of ROUTES that are no page: files and an htmx fragment of a page.
# Files, fragments, and the export's quality check (a download when nothing is to warn).
NOT_PAGES = {
    "assessments:export",
    "assessments:export-check",
    "assessments:evidence-download",
    "reports:download",
    "reports:list",
}
# Pages of no organization: route → (url, who visits it). None visits signed out.
OTHER_PAGES = {
    "organizations:list": (lambda a: reverse("organizations:list"), tuple(DEMO_USERS)),
    "organizations:create": (lambda a: reverse("organizations:create"), ("consultant",)),
    "benchmarks:reference": (lambda a: reverse("benchmarks:reference"), ("executive",)),
    "account": (lambda a: reverse("account"), ("executive",)),
    "password_change": (lambda a: reverse("password_change"), ("executive",)),
    "login": (lambda a: reverse("login"), (None,)),
    "password_reset": (lambda a: reverse("password_reset"), (None,)),
    "respond:welcome": (lambda a: reverse("respond:welcome", args=[a.token]), (None,)),
    "respond:review": (lambda a: reverse("respond:review", args=[a.token]), (None,)),
}


def _pages() -> list[tuple[str, str, object]]:
    """(route, role, url function) for every page and every role that may see it."""
    pages = []
    for route, cases in ROUTES.items():
        if route in NOT_PAGES:
            continue
        for case in cases:
            if case.method == "get":
                pages += [(route, str(role), case.url) for role in sorted(roles_for(case.action))]
    for route, (url, roles) in OTHER_PAGES.items():
        pages += [(route, role, url) for role in roles]
    return pages


@pytest.mark.browser
def test_every_page_route_is_audited_or_said_not_to_be_a_page():
    audited = {route for route, _, _ in _pages()}
    gets = {r for r, cases in ROUTES.items() if any(c.method == "get" for c in cases)}
    assert gets - NOT_PAGES <= audited
    assert set(OTHER_PAGES) <= NOT_ORGANIZATION_PAGES | set(ROUTES)


def _demo():
    call_command("load_demo_data", stdout=StringIO())
    assessment = Assessment.objects.get(organization__name=DEMO_ORGANIZATION, title="2026 baseline")
    organization = assessment.organization
    users = get_user_model().objects
    return SimpleNamespace(
        organization=organization,
        assessment=assessment,
        milestone=Milestone.objects.filter(roadmap__organization=organization).first(),
        use_case=UseCase.objects.filter(organization=organization).first(),
        pending=assessment.respondents.filter(submitted_at__isnull=True).first(),
        token=assessment.respondents.filter(submitted_at__isnull=True).first().token,
        members={role: users.get(username=name) for role, name in DEMO_USERS.items()},
    )


def _session_cookie(user, url: str) -> dict:
    client = Client()
    client.force_login(user)
    value = client.cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": value, "url": url}


def _charts_drawn(page) -> None:
    """Wait until plotly has drawn every chart of the page (none on most pages)."""
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-chart]')]"
        ".every((e) => e.querySelector('.main-svg'))",
        timeout=15_000,
    )


@pytest.mark.browser
def test_every_page_fits_a_phone_and_passes_the_accessibility_audit(
    live_server, bank, make_context, assert_no_external_requests
):
    a = _demo()
    axe = Axe()
    PAGES_DIR.mkdir(parents=True, exist_ok=True)
    for old in PAGES_DIR.glob("*.png"):
        old.unlink()
    problems: list[str] = []
    visited = 0
    audited_wide: set[str] = set()
    by_role: dict[str | None, list] = {}
    for route, role, url in _pages():
        by_role.setdefault(role, []).append((route, url))
    for width_name, (width, height) in WIDTHS.items():
        for role, pages in by_role.items():
            context = make_context(viewport={"width": width, "height": height})
            if role is not None:
                context.add_cookies([_session_cookie(a.members[role], live_server.url)])
            page = context.new_page()
            errors: list[str] = []
            page.on("console", lambda m, e=errors: e.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
            for route, url in pages:
                where = f"{route} as {role or 'visitor'} at {width}px"
                errors.clear()
                response = page.goto(f"{live_server.url}{url(a)}")
                assert response.status == 200, f"{where}: {response.status}"
                _charts_drawn(page)
                visited += 1
                scroll_width = page.evaluate("document.documentElement.scrollWidth")
                if scroll_width > width:
                    problems.append(f"{where}: page is {scroll_width}px wide")
                # axe audits every page as every role on the phone, and each route
                # once at laptop width (the same markup, laid out wider): a few
                # minutes less in every CI run.
                audit = width_name == "phone" or route not in audited_wide
                if width_name == "laptop":
                    audited_wide.add(route)
                violations = [
                    v
                    for v in (axe.run(page).response["violations"] if audit else [])
                    if v["impact"] in SERIOUS
                ]
                problems += [
                    f"{where}: axe {v['id']} ({v['impact']}): {v['help']} — "
                    + "; ".join(n["target"][0] for n in v["nodes"][:3])
                    for v in violations
                ]
                problems += [f"{where}: console error: {e}" for e in errors]
                page.screenshot(
                    path=PAGES_DIR / f"{route.replace(':', '-')}-{role or 'visitor'}-{width}.png",
                    full_page=True,
                )
            context.close()
    assert visited >= 2 * 30
    assert problems == [], "\n".join(problems)
    assert_no_external_requests()


@pytest.mark.browser
def test_every_page_in_german_fits_a_phone_and_says_it_is_german(
    live_server, bank, make_context, assert_no_external_requests
):
    """German words are longer: every page again at 390 px in a German browser, once per
    route (as the first role that may see it), with axe's language rules and the
    document's language. The questionnaire speaks its respondent's language."""
    a = _demo()
    a.pending.language = "de"
    a.pending.save(update_fields=["language"])
    axe = Axe()
    problems: list[str] = []
    first_role: dict[str, tuple[str | None, object]] = {}
    for route, role, url in _pages():
        first_role.setdefault(route, (role, url))
    by_role: dict[str | None, list] = {}
    for route, (role, url) in first_role.items():
        by_role.setdefault(role, []).append((route, url))
    width, height = WIDTHS["phone"]
    for role, pages in by_role.items():
        context = make_context(viewport={"width": width, "height": height}, locale="de-DE")
        if role is not None:
            context.add_cookies([_session_cookie(a.members[role], live_server.url)])
        page = context.new_page()
        for route, url in pages:
            where = f"{route} as {role or 'visitor'} in German"
            response = page.goto(f"{live_server.url}{url(a)}")
            assert response.status == 200, f"{where}: {response.status}"
            _charts_drawn(page)
            if page.evaluate("document.documentElement.lang") != "de":
                problems.append(f"{where}: <html lang> is not de")
            scroll_width = page.evaluate("document.documentElement.scrollWidth")
            if scroll_width > width:
                problems.append(f"{where}: page is {scroll_width}px wide")
            problems += [
                f"{where}: axe {v['id']} ({v['impact']}): {v['help']} — "
                + "; ".join(n["target"][0] for n in v["nodes"][:3])
                for v in axe.run(page).response["violations"]
                if v["impact"] in SERIOUS
            ]
            page.screenshot(
                path=PAGES_DIR / f"de-{route.replace(':', '-')}-{role or 'visitor'}-{width}.png",
                full_page=True,
            )
        context.close()
    assert len(first_role) >= 25
    assert problems == [], "\n".join(problems)
    assert_no_external_requests()
