"""The results page (/assessments/<id>/results/): index and level, the seven dimensions,
what to discuss (misalignments, knowledge gaps, pitfalls), charts drawn from embedded
JSON by our own copy of plotly.js, and the chart builders behind them."""

import json
import random

import pytest
from django.templatetags.static import static

from assessments import charts, services
from assessments.scoring import score, summarize

from ..answering import Given, add_respondents, bank_model, frame, give, questions_of
from ..factories import RespondentFactory
from ..pages import attr, find, find_all, page, text

pytestmark = pytest.mark.django_db

TITLES = [
    "Data infrastructure",
    "Talent acquisition and retention",
    "Integration with legacy systems",
    "Ethical and regulatory compliance",
    "Scalable infrastructure",
    "Talent and organizational readiness",
    "Governance and risk management",
]
PLOTLY = "vendor/plotly/plotly.min.js"


def results_url(assessment) -> str:
    return f"/assessments/{assessment.pk}/results/"


@pytest.fixture
def as_alice(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def answered(assessment):
    """Two executives, every question at 4, except:

    - di_quality (weight 2): 1 and 3, a spread of 2 (misaligned) and a median of 2
      (data quality pitfall) → data infrastructure (2×25 + 6×75) / 8 = 62.5;
    - ta_hiring: the CEO does not know;
    - governance: only gr_monitoring (weight 2 of 8) answered → 25 % coverage.

    Index: (62.5 + 6 × 75) / 7 = 73.2 → level 4, Scaling.
    """
    questions = questions_of(assessment)
    base = {k: 4 for k in questions if not k.startswith("gr_") or k == "gr_monitoring"}
    ceo = RespondentFactory(assessment=assessment, name="Morgan Chen", role="ceo", title="CEO")
    cio = RespondentFactory(assessment=assessment, name="Priya Natarajan", role="cio", title="CIO")
    given = give(ceo, {**base, "di_quality": 1, "ta_hiring": "dont_know"}, questions=questions)
    given += give(cio, {**base, "di_quality": 3}, questions=questions)
    return given


def test_the_page_shows_the_index_level_and_provisional_badge(as_alice, assessment, answered):
    html = page(as_alice.get(results_url(assessment)))

    assert text(find(html, "span", id="overall-index")) == "73.2"
    kpis = " ".join(text(k) for k in find_all(html, "div", class_="kpi"))
    assert "L4" in kpis
    assert "Scaling" in kpis
    badge = find(find(html, "div", class_="page-head"), "span", class_="badge")
    assert text(badge) == "Provisional"
    assert "2 respondents submitted" in " ".join(text(find(html, "p", class_="meta")).split())


def test_the_provisional_badge_goes_once_the_assessment_is_closed(as_alice, assessment, answered):
    services.assessment_close(assessment=assessment)

    response = as_alice.get(results_url(assessment))

    html = page(response)
    assert text(find(find(html, "div", class_="page-head"), "span", class_="badge")) == "Final"
    assert "Provisional" not in response.content.decode()


def test_the_index_is_the_pure_scoring_rounded_to_one_decimal(as_alice, assessment):
    given = add_respondents(assessment, 4, random.Random(42))
    model = bank_model()
    expected = summarize(score(frame(given), model), assessment.pk, model)

    html = page(as_alice.get(results_url(assessment)))

    assert text(find(html, "span", id="overall-index")) == f"{expected['overall']['index']:.1f}"
    assert expected["overall"]["level_name"] in text(find(html, "section", class_="headline"))


def test_each_dimension_is_listed_and_thin_evidence_is_flagged(as_alice, assessment, answered):
    html = page(as_alice.get(results_url(assessment)))

    rows = find_all(find(html, "table", id="dimension-table"), "tr")[1:]
    assert [text(find(row, "th")).rsplit(" ", 1) for row in rows] == [
        [title, "challenge" if n < 4 else "pillar"] for n, title in enumerate(TITLES)
    ]
    cells = {
        title: [text(td) for td in find_all(row, "td")]
        for title, row in zip(TITLES, rows, strict=True)
    }
    assert cells["Data infrastructure"] == ["62.5", "100%", "0.3"]  # spreads 2 and six 0s: 2 / 7
    assert cells["Talent acquisition and retention"][0] == "75.0"
    assert cells["Governance and risk management"][0] == "75.0"
    assert cells["Governance and risk management"][1] == "25% Insufficient evidence"
    flagged = [
        t for t, row in zip(TITLES, rows, strict=True) if "Insufficient evidence" in text(row)
    ]
    assert flagged == ["Governance and risk management"]


def test_misalignments_list_the_question_and_who_said_what(as_alice, assessment, answered):
    quality = questions_of(assessment)["di_quality"]

    html = page(as_alice.get(results_url(assessment)))

    items = find_all(find(html, "ul", id="misalignments"), "li")
    assert len(items) == 1
    item = " ".join(text(items[0]).split())
    assert quality.text in item
    assert "spread 2 levels" in item
    assert "CEO: 1" in item
    assert "CIO: 3" in item


def test_knowledge_gaps_list_the_dont_know_questions(as_alice, assessment, answered):
    hiring = questions_of(assessment)["ta_hiring"]

    html = page(as_alice.get(results_url(assessment)))

    items = [text(li) for li in find_all(find(html, "ul", id="knowledge-gaps"), "li")]
    assert len(items) == 1
    assert hiring.text in items[0]
    assert '1 × "Don\'t know"' in items[0]


def test_a_triggered_pitfall_shows_its_title_and_mitigation(as_alice, assessment, answered):
    pitfall = next(p for p in assessment.bank.definition["pitfalls"] if p["key"] == "data_quality")

    html = page(as_alice.get(results_url(assessment)))

    items = find_all(find(html, "ul", id="pitfalls"), "li")
    assert len(items) == 1
    item = " ".join(text(items[0]).split())
    assert pitfall["title"] in item
    assert " ".join(pitfall["mitigation"].split()) in item
    assert questions_of(assessment)["di_quality"].text in item


def test_without_submissions_the_page_says_so(as_alice, assessment):
    RespondentFactory(assessment=assessment)

    response = as_alice.get(results_url(assessment))

    assert response.status_code == 200
    assert "No respondent has submitted yet" in response.content.decode()


# --- charts and scripts ---------------------------------------------------------------


def test_the_radar_data_is_embedded_as_json_in_bank_order(as_alice, assessment, answered):
    html = page(as_alice.get(results_url(assessment)))

    source = find(html, "script", id="radar-data")
    assert attr(source, "type") == "application/json"
    figure = json.loads(text(source))
    trace = figure["data"][-1]
    assert trace["type"] == "scatterpolar"
    assert trace["theta"] == [*TITLES, TITLES[0]]
    assert trace["r"] == [62.5, 75, 75, 75, 75, 75, 75, 62.5]
    canvas = find(html, "div", **{"data-chart": "radar-data"})
    assert attr(canvas, "role") == "img"


def test_the_page_has_no_inline_executable_script(as_alice, assessment, answered):
    html = page(as_alice.get(results_url(assessment)))

    scripts = find_all(html, "script")
    assert scripts
    for script in scripts:
        has_src = attr(script, "src") is not None
        assert has_src or attr(script, "type") == "application/json", script
        if has_src:
            assert not text(script).strip()
    sources = [attr(s, "src") for s in scripts if attr(s, "src")]
    assert static(PLOTLY) in sources
    assert static("js/charts.js") in sources
    assert all(s.startswith("/") and not s.startswith("//") for s in sources), sources
    assert {attr(s, "id") for s in scripts if attr(s, "type") == "application/json"} >= {
        "radar-data",
        "bars-data",
        "roles-data",
    }


def test_plotly_js_is_served_from_our_static_files(client):
    response = client.get(static(PLOTLY))

    assert response.status_code == 200
    assert "javascript" in response["Content-Type"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    assert len(body) > 1_000_000
    assert b"plotly" in body[:2000].lower()


def test_chart_builders_draw_the_seven_dimensions_in_bank_order():
    model = bank_model()
    # Two respondents at 2 and 5 on everything but talent, which nobody answers.
    given = [
        Given(1, respondent, key, level, True, "cio", "Group")
        for respondent, level in enumerate([2, 5])
        for key in model.questions["question"]
        if not key.startswith("ta_")
    ]
    answers = frame(given)
    summary = summarize(score(answers, model), 1, model)
    dimensions = summary["dimensions"]

    radar = charts.radar(dimensions).to_plotly_json()
    trace = radar["data"][-1]
    assert list(trace["theta"]) == [*TITLES, TITLES[0]]
    # Median of 2 and 5 is 3.5 → 62.5 everywhere; talent has no score and is drawn at 0.
    assert list(trace["r"]) == [62.5, 0, 62.5, 62.5, 62.5, 62.5, 62.5, 62.5]
    assert list(radar["layout"]["polar"]["radialaxis"]["range"]) == [0, 100]

    bars = charts.dimension_bars(dimensions).to_plotly_json()["data"][0]
    assert list(bars["y"]) == TITLES
    assert list(bars["x"]) == [62.5, 0, 62.5, 62.5, 62.5, 62.5, 62.5]
    assert bars["text"][1].startswith("no answers")
    assert "insufficient evidence" in bars["text"][1]
    assert bars["text"][0] == "62.5 · 100% coverage"

    reference = [{**d, "score": 50.0} for d in dimensions]
    with_peers = charts.radar(dimensions, reference).to_plotly_json()["data"]
    assert [t["name"] for t in with_peers] == ["Peer median", "Score"]
    assert list(with_peers[0]["r"]) == [50.0] * 8
