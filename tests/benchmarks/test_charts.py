"""Benchmark charts are pure: plain data in, plotly figures out (REPORTS.md conventions:
the peer median as a reference polygon, values written on the marks, the ROI bands
labelled as benchmark ranges, not forecasts)."""

from benchmarks import charts

DIMENSIONS = [
    {"key": "talent", "title": "Talent", "score": 40.0},
    {"key": "governance_risk", "title": "Governance", "score": None},
]


def test_the_radar_overlays_the_cohort_median_in_dimension_order():
    figure = charts.peer_radar(DIMENSIONS, {"governance_risk": 55.0, "talent": 30.0})

    median, score = figure.data
    assert median.name == "Peer median"
    assert list(median.r) == [30.0, 55.0, 30.0]  # closed polygon, bank order
    assert list(score.r) == [40.0, 0, 40.0]


def test_the_percentile_bars_write_each_percentile():
    rows = [
        {"title": "AI scaling index", "percentile": 64.0},
        {"title": "Talent", "percentile": None},
    ]

    bar = charts.percentile_bars(rows).data[0]

    assert list(bar.x) == [64.0, 0]
    assert list(bar.text) == ["64th percentile", "no comparison"]


def test_the_quartile_chart_leaves_out_rows_without_cohort_figures():
    rows = [
        {"title": "Index", "score": 50.0, "q1": 20.0, "median": 30.0, "q3": 60.0},
        {"title": "Talent", "score": 10.0, "q1": None, "median": None, "q3": None},
    ]

    middle, median, you = charts.quartile_ranges(rows).data

    assert (list(middle.base), list(middle.x), list(middle.y)) == ([20.0], [40.0], ["Index"])
    assert list(median.x) == [30.0]
    assert (list(you.x), list(you.text)) == ([50.0], ["50"])


def test_the_roi_chart_shades_each_band_and_marks_use_cases_and_the_portfolio():
    bands = [
        {"metric": "cost_reduction", "title": "Cost reduction", "low": 15, "high": 30},
        {"metric": "revenue_increase", "title": "Revenue increase", "low": 10, "high": 20},
    ]
    use_cases = [
        {"name": "A", "metric": "cost_reduction", "value": 12.0, "basis": "actual"},
        {"name": "B", "metric": "revenue_increase", "value": 25.0, "basis": "target"},
    ]

    figure = charts.roi_bands(bands, use_cases, [{"metric": "cost_reduction", "value": 12.0}])

    band, realized, targeted, portfolio = figure.data
    assert band.name == "Benchmark range (published, not a forecast)"
    assert (list(band.base), list(band.x)) == ([15, 10], [15, 10])
    assert list(band.y) == [
        "Cost reduction<br>benchmark 15–30 %",
        "Revenue increase<br>benchmark 10–20 %",
    ]
    assert (list(realized.x), list(realized.text)) == ([12.0], ["A"])
    assert targeted.marker.symbol == "circle-open"
    assert (list(portfolio.x), portfolio.marker.symbol) == ([12.0], "diamond")
    assert figure.layout.xaxis.range == (0, 50)
