"""Every chart builder draws user text as text: plotly reads `<a href>`, `<span style>` and
`<br>` in titles, names, ticks and hovers, so a title like the one below would otherwise
become a live link and 200 px text on the results page and in the PDFs. A builder
without hostile inputs here fails the test, so a new chart cannot slip through."""

import inspect
import json
from datetime import date

import plotly.graph_objects as go
import pytest
from django.utils import translation

from assessments import charts as assessment_charts
from assessments.units import Unit, UnitScores
from benchmarks import charts as benchmark_charts
from common.charts import label
from practice import charts as practice_charts
from roadmap import charts as roadmap_charts
from roadmap import target_charts
from roadmap import trend as roadmap_trend
from roadmap.targets import TargetState
from roadmap.tracking import MilestoneState, PhaseWindow

CHART_MODULES = (
    assessment_charts,
    benchmark_charts,
    roadmap_charts,
    target_charts,
    roadmap_trend,
    practice_charts,
)

HOSTILE = '<a href="http://127.0.0.1:8199/x">A</a><span style="font-size:200px">BIG</span>&amp;'


def _dimensions():
    return [
        {"key": f"d{i}", "title": f"{HOSTILE} {i}", "score": 50.0, "coverage": 1.0}
        | {"insufficient": False}
        for i in range(3)
    ]


INPUTS = {
    "assessments.charts.radar": lambda: ([*_dimensions()],),
    "assessments.charts.dimension_bars": lambda: (_dimensions(),),
    "assessments.charts.alignment_heatmap": lambda: (
        [{"group": "cio", "dimension": "d0", "score": 40.0}],
        _dimensions(),
        {"cio": HOSTILE},
    ),
    "assessments.charts.trend": lambda: (
        [
            {"label": f"{HOSTILE} {n}", "index": 40.0 + n, "dimensions": _dimensions()}
            for n in range(2)
        ],
    ),
    "benchmarks.charts.peer_radar": lambda: (_dimensions(), {"d0": 50.0}),
    "benchmarks.charts.percentile_bars": lambda: (
        [{"title": HOSTILE, "percentile": 64.0}, {"title": "Plain", "percentile": None}],
    ),
    "benchmarks.charts.quartile_ranges": lambda: (
        [{"title": HOSTILE, "score": 50.0, "q1": 30.0, "median": 45.0, "q3": 60.0}],
    ),
    "benchmarks.charts.roi_bands": lambda: (
        [{"metric": "cost", "title": HOSTILE, "low": 5.0, "high": 15.0}],
        [{"name": HOSTILE, "metric": "cost", "value": 9.0, "basis": "actual"}],
        [{"metric": "cost", "value": 9.0}],
    ),
    "assessments.charts._narrow_dimension_bars": lambda: (_dimensions(),),
    "assessments.charts.side_by_side": lambda: (
        [{"title": HOSTILE, "client": 40.0, "assessor": 60.0, "flagged": True}],
        "client",
        "assessor",
        ("Client", "Assessor"),
        "flagged",
    ),
    "assessments.charts.unit_heatmap": lambda: (
        [UnitScores(Unit(1, HOSTILE, None), 0, 4, False, 50.0, 3, (("d0", 50.0),))],
        _dimensions()[:1],
    ),
    "benchmarks.charts.roi_bullets": lambda: (
        [{"metric": "cost", "title": HOSTILE, "low": 5.0, "high": 15.0}],
        [{"name": HOSTILE, "metric": "cost", "value": 9.0, "basis": "actual"}],
        [{"metric": "cost", "value": 9.0}],
    ),
    "roadmap.target_charts.gap_chart": lambda: (
        [TargetState(1, HOSTILE, "d0", HOSTILE, 70.0, date(2027, 1, 1), 50.0, 40.0)],
    ),
    "roadmap.target_charts.radar_with_targets": lambda: (
        _dimensions(),
        [TargetState(1, "Org", "d0", HOSTILE, 70.0, date(2027, 1, 1), 50.0, 40.0)],
    ),
    "roadmap.trend.trend_figure": lambda: (
        [
            roadmap_trend.TrendPoint(
                f"{HOSTILE} {n}", date(2026, 1 + n, 1), 40.0, ((HOSTILE, 50.0),)
            )
            for n in range(2)
        ],
    ),
    "practice.charts.by_phase": lambda: (
        [{"phase": 1, "name": HOSTILE, "count": 2}, {"phase": None, "name": "None", "count": 1}],
    ),
    "roadmap.charts.roadmap_gantt": lambda: (
        [PhaseWindow(1, HOSTILE, date(2026, 1, 1), None)],
        [
            MilestoneState(1, "open", date(2026, 3, 1), None, HOSTILE),
            MilestoneState(1, "done", date(2026, 2, 1), date(2026, 2, 5), HOSTILE),
        ],
        date(2026, 2, 10),
    ),
}


def builders():
    found = []
    for module in CHART_MODULES:
        for name, function in inspect.getmembers(module, inspect.isfunction):
            returns = inspect.signature(function).return_annotation
            if function.__module__ == module.__name__ and returns in (go.Figure, "go.Figure"):
                found.append(f"{module.__name__}.{name}")
    return sorted(found)


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _function(builder: str):
    module, name = builder.rsplit(".", 1)
    return getattr({m.__name__: m for m in CHART_MODULES}[module], name)


def _phone_variants() -> list[str]:
    return [b for b in builders() if "narrow" in inspect.signature(_function(b)).parameters]


@pytest.mark.parametrize(
    ("builder", "narrow"),
    [(b, False) for b in builders()] + [(b, True) for b in _phone_variants()],
)
def test_every_chart_shows_user_text_as_text(builder, narrow):
    if builder not in INPUTS:
        pytest.fail(f"{builder} builds a figure: give it hostile inputs in INPUTS")
    options = {"narrow": True} if narrow else {}
    figure = json.loads(_function(builder)(*INPUTS[builder](), **options).to_json())
    texts = list(_strings(figure))
    assert any(label(HOSTILE) in text for text in texts), "the hostile text is not drawn"
    for text in texts:
        assert "<a " not in text and "<span" not in text, text


def test_a_label_keeps_the_text_and_escapes_the_markup():
    assert label("R&D <b>only</b>") == "R&amp;D &lt;b&gt;only&lt;/b&gt;"
    assert assessment_charts.wrap("Data <br> infrastructure", 20) == (
        "Data &lt;br&gt;<br>infrastructure"
    )


# --- German: every chart's own words in German, numbers with a decimal comma ----------

ENGLISH_CHART_WORDS = (
    "Score (0–100)",
    "Score now",
    "Peer median",
    "Percentile",
    "percentile",
    "Cohort",
    "cohort",
    "coverage",
    "insufficient evidence",
    "benchmark range",
    "Benchmark range",
    "Use case",
    "Portfolio (mean",
    "Planned window",
    "Milestone",
    "Today",
    "ongoing",
    "Gap: target",
    "no score",
    "Organizations",
    "hidden: too few",
    "closed",
    "Target",
)


@pytest.mark.parametrize(
    ("builder", "narrow"),
    [(b, False) for b in builders()] + [(b, True) for b in _phone_variants()],
)
def test_every_chart_in_german_has_german_words_and_a_decimal_comma(builder, narrow):
    options = {"narrow": True} if narrow else {}
    with translation.override("de"):
        figure = json.loads(_function(builder)(*INPUTS[builder](), **options).to_json())
    assert figure["layout"]["separators"] == ",."
    ours = [t for t in _strings(figure) if label(HOSTILE) not in t]
    for text in ours:
        for english in ENGLISH_CHART_WORDS:
            assert english not in text, (english, text)


def test_a_german_chart_writes_its_values_and_titles_in_german():
    dimensions = [
        {"key": "di", "title": "Dateninfrastruktur", "score": 59.44, "coverage": 0.875}
        | {"insufficient": False},
        {"key": "ta", "title": "Talente", "score": 12.0, "coverage": 0.25} | {"insufficient": True},
    ]
    with translation.override("de"):
        wide = assessment_charts.dimension_bars(dimensions).to_dict()
        narrow = assessment_charts.dimension_bars(dimensions, narrow=True).to_dict()
        percentiles = benchmark_charts.percentile_bars(
            [{"title": "Index", "percentile": 71.0}, {"title": "Talente", "percentile": 0.0}]
        ).to_dict()
    assert wide["layout"]["xaxis"]["title"]["text"] == "Wert (0–100)"
    assert list(wide["data"][0]["text"]) == [
        "59,4 · 88\u00a0% Abdeckung",
        "12,0 · 25\u00a0% Abdeckung · zu wenige Antworten",
    ]
    assert list(narrow["data"][0]["text"]) == ["59,4", "12,0"]
    assert "88\u00a0% Abdeckung" in narrow["layout"]["annotations"][0]["text"]
    assert list(percentiles["data"][0]["text"]) == [
        "71. Perzentil",
        "unter der gesamten Vergleichsgruppe",
    ]
    assert percentiles["layout"]["xaxis"]["title"]["text"] == "Perzentil"
    with translation.override("en"):
        english = assessment_charts.dimension_bars(dimensions).to_dict()
    assert english["layout"]["separators"] == ".,"
    assert english["data"][0]["text"][0] == "59.4 · 88% coverage"
