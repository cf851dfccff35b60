"""The charts' phone variants (narrow=True), which the pages embed beside the wide ones
(the PDFs keep the wide): each label above its bar instead of a left margin that would
squeeze the bars, the radar's axis labels abbreviated with its legend below, and the
ROI bands as one bullet chart per metric."""

from assessments import charts as assessment_charts
from benchmarks import charts as benchmark_charts
from common.charts import abbreviate

TITLES = [
    "Data infrastructure",
    "Talent acquisition and retention",
    "Integration with legacy systems",
    "Ethical and regulatory compliance",
    "Scalable infrastructure",
    "Talent and organizational readiness",
    "Governance and risk management",
]
DIMENSIONS = [
    {"key": f"d{i}", "title": t, "score": 40.0 + i, "coverage": 1.0, "insufficient": i == 6}
    for i, t in enumerate(TITLES)
]
BANDS = [
    {"metric": "cost_reduction", "title": "Cost reduction", "low": 15, "high": 30},
    {"metric": "revenue_increase", "title": "Revenue increase", "low": 10, "high": 20},
    {"metric": "efficiency_gain", "title": "Efficiency gain", "low": 20, "high": 40},
]
USE_CASES = [
    {"name": "A", "metric": "cost_reduction", "value": 12.0, "basis": "actual"},
    {"name": "B", "metric": "revenue_increase", "value": 25.0, "basis": "target"},
    {"name": "C", "metric": "cost_reduction", "value": 22.0, "basis": "target"},
]


def test_abbreviated_labels_are_short_and_tell_every_dimension_apart():
    short = abbreviate(TITLES)
    assert short[0] == "Data"
    assert len(set(short)) == len(TITLES)
    assert {"Talent acq.", "Talent org."} <= set(short)
    assert all(len(s) <= 12 for s in short)


def test_narrow_bars_write_each_title_above_its_bar_across_the_full_width():
    wide = assessment_charts.dimension_bars(DIMENSIONS)
    narrow = assessment_charts.dimension_bars(DIMENSIONS, narrow=True)

    assert wide.layout.margin.l == 240  # the PDFs keep the labelled left axis
    assert narrow.layout.margin.l < 20
    assert narrow.layout.yaxis.showticklabels is False
    above = narrow.layout.annotations
    assert [a.y for a in above] == TITLES
    assert all(a.yanchor == "bottom" and a.yshift > 0 and a.x == 0 for a in above)
    assert "coverage" in above[0].text and "insufficient evidence" in above[6].text
    assert list(narrow.data[0].text[:2]) == ["40.0", "41.0"]  # the score beside the bar


def test_narrow_percentile_and_quartile_bars_label_above_too():
    rows = [
        {"title": t, "percentile": 50.0, "score": 50.0, "q1": 40.0, "median": 50.0, "q3": 60.0}
        for t in ["Index", *TITLES]
    ]
    for figure in (
        benchmark_charts.percentile_bars(rows, narrow=True),
        benchmark_charts.quartile_ranges(rows, narrow=True),
    ):
        assert figure.layout.yaxis.showticklabels is False
        labels = [a.text for a in figure.layout.annotations if a.xref == "paper"]
        assert labels == ["Index", *TITLES]


def test_the_narrow_radar_abbreviates_its_axes_and_puts_the_legend_below():
    medians = {d["key"]: 50.0 for d in DIMENSIONS}
    narrow = benchmark_charts.peer_radar(DIMENSIONS, medians, narrow=True)
    wide = benchmark_charts.peer_radar(DIMENSIONS, medians)

    assert list(narrow.layout.polar.angularaxis.ticktext) == abbreviate(TITLES)
    assert list(narrow.layout.polar.angularaxis.tickvals) == TITLES  # hover: full titles
    assert narrow.layout.legend.y < 0 and narrow.layout.legend.orientation == "h"
    assert wide.layout.polar.angularaxis.ticktext[0] == "Data<br>infrastructure"
    assert narrow.layout.margin.l < wide.layout.margin.l


def test_the_narrow_roi_chart_is_one_bullet_chart_per_metric():
    portfolio = [{"metric": "cost_reduction", "value": 18.0}]
    figure = benchmark_charts.roi_bands(BANDS, USE_CASES, portfolio, narrow=True)

    # one x axis (row) per band, stacked, each titled with its metric and range
    axes = [name for name in figure.layout if name.startswith("xaxis")]
    assert len(axes) == len(BANDS)
    titles = [a.text for a in figure.layout.annotations]
    assert titles == [
        "<b>Cost reduction</b><br>benchmark 15–30 %",
        "<b>Revenue increase</b><br>benchmark 10–20 %",
        "<b>Efficiency gain</b><br>benchmark 20–40 %",
    ]
    bands = [t for t in figure.data if t.type == "bar"]
    assert [(list(b.base), list(b.x)) for b in bands] == [([15], [15]), ([10], [10]), ([20], [20])]
    # every row on the same scale, each kind of mark named once in the legend
    assert {figure.layout[a].range for a in axes} == {(0.0, 50.0)}
    named = [t.name for t in figure.data if t.showlegend is not False]
    assert len(named) == len(set(named)) == 4
    diamond = next(t for t in figure.data if t.name.startswith("Portfolio"))
    assert (list(diamond.x), diamond.xaxis) == ([18.0], "x")  # the cost reduction row
