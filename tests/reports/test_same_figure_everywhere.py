"""The same figure on every surface: the scores, placement and benchmarks APIs against the
results page and the text of every PDF kind (pypdf), for the demo assessment and for a
fresh one with a dimension that has not enough answers to score. And what a board member
would notice in the PDFs: no question key, role code or dimension key; every figure of
the article with its attribution; no near-empty page in the demo full report; no question
among both the strengths and the gaps."""

import io
import itertools
import re
from datetime import date

import pytest
from django.core.management import call_command
from pypdf import PdfReader

from assessments import services as assessment_services
from assessments.models import Assessment, ExecutiveRole, Question
from benchmarks.selectors import current_reference
from common.display import format_score, percentile_short
from reports.models import ReportAudience, ReportKind
from reports.rendering import render_report
from roadmap import services as roadmap_services
from tests.factories import RespondentFactory

from ..pages import page, text
from .conftest import START, answer_all, chromium_or_skip, squash

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 2)
# A page with less extracted text than this is near-empty (a full page holds 2,000–3,500
# characters; the cover holds about 400 and is allowed).
NEAR_EMPTY_CHARACTERS = 700


class Quiet:
    def write(self, *_):
        pass

    def flush(self):
        pass


@pytest.fixture
def demo(db):
    call_command("load_demo_data", stdout=Quiet())
    return (
        Assessment.objects.filter(organization__name__startswith="Northwind", title="2026 baseline")
        .select_related("organization", "bank")
        .get()
    )


@pytest.fixture
def thin(assessment, respondent, carol):
    """Two executives answer every question but "Don't know" to all of Talent: Talent has
    not enough answers to score. A roadmap starts from it."""
    talent = set(
        Question.objects.filter(bank=assessment.bank, dimension__key="talent").values_list(
            "pk", flat=True
        )
    )
    for who, levels in ((respondent, [4, 2, 3]), (None, [3, 5, 1])):
        who = who or RespondentFactory(assessment=assessment, name="Priya Natarajan", role="cio")
        answer_all(who, levels, submit=False)
        for question in Question.objects.filter(pk__in=talent):
            assessment_services.answer_save(respondent=who, question=question, value="dont_know")
        assessment_services.respondent_submit(respondent=who)
    roadmap_services.roadmap_create(assessment=assessment, start_date=START, user=carol)
    return assessment


def _pdfs(assessment) -> dict[str, tuple[str, list[str]]]:
    """Each kind's whole text and its pages' texts."""
    chromium_or_skip()
    out = {}
    for kind in ReportKind:
        rendered = render_report(assessment, kind, TODAY, audience=ReportAudience.CLIENT)
        reader = PdfReader(io.BytesIO(rendered.content))
        pages = [p.extract_text() for p in reader.pages]
        out[kind] = ("\n".join(pages), pages)
    return out


def _api(client, user, assessment) -> dict:
    client.force_login(user)
    base = f"/api/v1/assessments/{assessment.pk}"
    return {
        name: client.get(f"{base}/{name}/").json() for name in ("scores", "placement", "benchmarks")
    }


def _titles(assessment) -> dict[str, str]:
    return dict(assessment.bank.dimensions.values_list("key", "title"))


def _check_every_surface(assessment, api: dict, html: str, pdfs: dict) -> None:
    titles = _titles(assessment)
    scores, placement, bench = api["scores"], api["placement"], api["benchmarks"]
    page_text = squash(html)
    summary, full, progress = (squash(pdfs[k][0]) for k in ReportKind)

    index = format_score(scores["overall"]["index"])
    assert squash(f"{index}AI scaling index") in summary  # the key figure
    assert squash(f"{index}AI scaling index") in full
    assert squash(f"index of {index}/100") in summary  # the first finding
    assert squash(index) in page_text

    for d in scores["dimensions"]:
        shown = format_score(d["score"])
        row = re.escape(squash(titles[d["key"]])) + r"(challenge|pillar)" + re.escape(shown)
        for name, surface in (("summary", summary), ("full", full)):
            assert re.search(row, surface), (name, d["key"], shown)
        assert re.search(
            re.escape(squash(titles[d["key"]])) + r"(challenge|pillar)?" + re.escape(shown),
            page_text,
        ), d["key"]
        # The roadmap report's "Now" column.
        assert re.search(
            re.escape(squash(titles[d["key"]])) + r"[\d.—]+" + re.escape(shown), progress
        )

    missing = format_score(placement["points_missing"])
    assert squash(f"{missing} points are missing") in summary
    assert squash(f"{missing} points are missing") in full
    assert squash(f"{missing} points missing") in page_text
    assert squash(placement["phase_name"]) in summary and squash(placement["phase_name"]) in full

    peers = bench["peers"]
    if not peers["suppressed"]:
        short = percentile_short(peers["overall_percentile"])
        assert squash(f"{short}percentile among") in summary
        assert short in page_text
    for band in bench["roi"]["bands"]:
        shown = f"{format_score(band['low'], 0)}–{format_score(band['high'], 0)}%"
        for surface in (summary, full, progress):
            assert shown in surface
    for cell in bench["roi"]["portfolio"]:
        value = f"{format_score(cell['value'])}%"
        for surface in (summary, full, progress, page_text):
            assert value in surface, (cell, value)

    # Nothing unranked is named: a dimension without enough answers is never the weakest.
    for d in scores["dimensions"]:
        if d["insufficient"]:
            title = titles[d["key"]]
            for surface in (summary, full, page_text):
                ranked = re.escape(squash(title)) + r"\([\d.]+/100\)isthe(weakest|strongest)"
                assert not re.search(ranked, surface)
                assert squash("not enough answers to score") in surface.lower()


def test_the_demo_shows_the_apis_figures_on_every_surface(client, demo):
    consultant = demo.organization.memberships.get(user__username="consultant").user
    api = _api(client, consultant, demo)
    html = text(page(client.get(f"/assessments/{demo.pk}/results/")))
    pdfs = _pdfs(demo)

    _check_every_surface(demo, api, html, pdfs)
    _check_board_ready(demo, pdfs)

    # The demo full report has no near-empty page but the cover.
    _, pages = pdfs[ReportKind.FULL_ASSESSMENT]
    near_empty = [n for n, t in enumerate(pages[1:], start=2) if len(t) < NEAR_EMPTY_CHARACTERS]
    assert near_empty == [], [len(t) for t in pages]

    # No sentence is broken after its first word with the rest on the next line (what
    # WeasyPrint does to a text that fills its line when a space and a smaller span
    # follow it: the templates keep such spaces inside the span).
    for kind, (_, kind_pages) in pdfs.items():
        for number, page_text in enumerate(kind_pages, start=1):
            lines = page_text.splitlines()
            stranded = [
                f"{first!r} / {second[:40]!r}"
                for first, second in itertools.pairwise(lines)
                if re.fullmatch(r"[A-Z][a-z]{1,4}", first.strip())
                and second[:1].islower()
                and len(second) > 30  # (not a word-per-line hidden caption)
            ]
            assert stranded == [], f"{kind} page {number}: {stranded}"


def test_a_dimension_without_enough_answers_is_never_ranked_on_any_surface(client, thin, alice):
    api = _api(client, alice, thin)
    talent = next(d for d in api["scores"]["dimensions"] if d["key"] == "talent")
    assert talent["insufficient"]
    html = text(page(client.get(f"/assessments/{thin.pk}/results/")))
    pdfs = _pdfs(thin)

    _check_every_surface(thin, api, html, pdfs)
    _check_board_ready(thin, pdfs)
    title = _titles(thin)["talent"]
    assert "Not enough answers to score" in html and title in html
    for kind in (ReportKind.EXECUTIVE_SUMMARY, ReportKind.FULL_ASSESSMENT):
        whole = squash(pdfs[kind][0])
        assert squash(f"{title} (0% of its questions answered)") in whole


def _check_board_ready(assessment, pdfs: dict) -> None:
    keys = set(Question.objects.filter(bank=assessment.bank).values_list("key", flat=True))
    keys |= {k for k in _titles(assessment) if "_" in k}
    # Role codes as printed by mistake (lower case); "other" is also an English word.
    codes = {c for c in ExecutiveRole.values if c != "other"}
    pattern = re.compile(r"\b(" + "|".join(map(re.escape, sorted(keys | codes))) + r")\b")
    reference = current_reference()
    for kind, (whole, _) in pdfs.items():
        found = pattern.findall(whole)
        assert not found, (kind, found[:5])
        assert "Source article" not in whole
        flat = squash(whole)
        # Every figure of the article, with its attribution, on the Sources page.
        for _, what, source in reference.sources():
            assert squash(what) in flat, (kind, what)
            assert squash(f"“{source.title}”") in flat
            if source.publisher:
                assert squash(source.publisher) in flat, (kind, source.publisher)
        for company in ("JPMorgan Chase", "Siemens", "UPS"):
            assert squash(company) in flat
    for kind in (ReportKind.EXECUTIVE_SUMMARY, ReportKind.FULL_ASSESSMENT):
        _assert_no_question_is_both(pdfs[kind][0], assessment)


def _assert_no_question_is_both(whole: str, assessment) -> None:
    """The questions listed under Strengths and under Gaps never overlap."""
    flat = squash(whole)
    questions = [
        squash(q)
        for q in Question.objects.filter(bank=assessment.bank).values_list("text", flat=True)
    ]
    for block in re.findall(
        r"Strengths(.*?)Gaps(.*?)(?:Notenough|Whatmoves|Misalignments|$)", flat
    ):
        strengths, gaps = block
        both = [q for q in questions if q in strengths and q in gaps]
        assert not both, both
