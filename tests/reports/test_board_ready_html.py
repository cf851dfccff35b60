"""What each report's HTML says, without laying out a PDF: status colours are fixed (never
the brand colour) with a symbol and a word; the roadmap report's "First" is the roadmap's
own baseline assessment; respondents by role carry the role's name; the use-case gate
reads as a count; the cover fits the logo in its box."""

from datetime import date

import pytest
from django.conf import settings
from django.template.loader import render_to_string
from django.test.html import parse_html
from django.utils import timezone

from assessments.models import Assessment
from organizations.models import Branding
from reports.models import ReportKind
from reports.rendering import TEMPLATES, build_context
from roadmap import services as roadmap_services

from ..factories import AssessmentFactory, RespondentFactory
from ..pages import classes, find, find_all, text
from .conftest import DIMENSION_TITLES, START, answer_all

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)


def html(assessment, kind) -> object:
    context = build_context(assessment, kind, TODAY)
    context.pop("pdf_charts")
    context["img"] = {}
    return parse_html(render_to_string(TEMPLATES[kind], context))


def test_an_at_risk_roadmap_is_amber_with_a_symbol_whatever_the_brand(answered, milestone):
    Branding.objects.create(organization=answered.organization, color="#1d7a46")
    milestone.due_date = date(2027, 1, 15)  # phase 2 runs behind plan on TODAY
    milestone.save()
    body = html(answered, ReportKind.ROADMAP_PROGRESS)

    # Fixed colours by status, whatever the brand colour (here the same green).
    fixed = {
        "▲ At risk": "status-warn",
        "✗ Late": "status-bad",
        "■ Blocked or overdue": "status-bad",
        "● On track": "status-good",
    }
    status = find_all(find(body, "div", class_="kpis"), "span", class_="value")[1]
    assert text(status) in fixed
    assert fixed[text(status)] in classes(status)
    phases = {text(s): classes(s) for s in find_all(body, "strong", class_="status")}
    assert fixed[text(status)] in phases[text(status)]
    assert "status-good" in phases["– Passed"]


def test_the_roadmap_reports_first_is_its_baseline_even_with_an_earlier_closed_one(
    answered, carol, alice, respondent
):
    earlier = AssessmentFactory(
        organization=answered.organization, bank=answered.bank, created_by=alice
    )
    answer_all(RespondentFactory(assessment=earlier, role="ceo"), [1])
    Assessment.objects.filter(pk=earlier.pk).update(
        status=Assessment.Status.CLOSED, closed_at=timezone.now()
    )
    roadmap_services.roadmap_create(assessment=answered, start_date=START, user=carol)

    body = html(answered, ReportKind.ROADMAP_PROGRESS)

    trend = find(body, "section", id="trend")
    caption = text(find_all(trend, "caption")[0])
    assert caption.startswith(f"Change per dimension since {answered.title}")
    row = find_all(find_all(trend, "tbody")[0], "tr")[0]
    first, now, change = (text(td) for td in find_all(row, "td"))
    assert first == now and change == "= 0.0"  # the baseline is the assessment itself

    # The trend table fits the page: one column per assessment, one row per score.
    table = find_all(trend, "table", class_="trend")[0]
    rows = [text(find_all(tr, "th")[0]) for tr in find_all(find_all(table, "tbody")[0], "tr")]
    assert rows == ["AI scaling index", *DIMENSION_TITLES]
    header = [text(th) for th in find_all(find_all(table, "thead")[0], "th")]
    assert len(header) == 3 and header[2].endswith("provisional")


def test_respondents_by_role_and_the_use_case_gate_read_as_people_write_them(answered):
    body = html(answered, ReportKind.FULL_ASSESSMENT)

    method = find(body, "section", id="method")
    roles = [text(th) for th in find_all(find_all(method, "tbody")[0], "th")]
    assert roles == ["CFO", "CIO"]  # never "cfo", "cio"
    gates = text(find(body, "section", id="placement"))
    assert "0 of 3 use cases" in gates
    assert "≥ 3 " not in gates


def test_the_cover_fits_the_logo_in_a_fixed_box(answered):
    body = html(answered, ReportKind.EXECUTIVE_SUMMARY)
    cover = find(body, "div", class_="cover")
    facts = [text(th) for th in find_all(cover, "th")]
    assert facts == ["Prepared for", "Prepared by", "Date", "Edition", "Basis"]
    css = (settings.BASE_DIR / "static" / "css" / "report.css").read_text(encoding="utf-8")
    assert ".cover .logo { width: 70mm; height: 25mm; object-fit: contain;" in css
