"""Benchmark charts: peer comparison and ROI against the bands. Pure: plain data in,
plotly figures out, shared by the results page and (later) the PDF reports.

Conventions (shared/REPORTS.md): a common 0–100 scale for scores, the peer median as
a reference polygon on the radar, values written on the marks, and the ROI bands
labelled as benchmark ranges, not forecasts. `narrow=True` gives the variant designed
for a phone (labels above the bars, the ROI bands as a list of bullet charts); the PDFs
use the default, wide one.
"""

import plotly.graph_objects as go
from django.utils.translation import gettext as _
from plotly.subplots import make_subplots

from assessments.charts import radar, score_axis
from common.charts import (
    BRAND,
    MUTED,
    NARROW_MARGIN,
    NARROW_ROW_HEIGHT,
    WARN,
    base_layout,
    label,
    label_bars_above,
)
from common.display import format_score, localize_number, percentile_phrase

BAND_FILL = "rgba(29, 122, 70, 0.18)"
BAND_LINE = "#1d7a46"
POSITION_SYMBOLS = {"actual": "circle", "target": "circle-open"}


def _band_range(band: dict) -> str:
    """ "benchmark 20–30 %" (German "Benchmark 20–30 %", decimals with a comma)."""
    return _("benchmark %(low)s–%(high)s %%") % {
        "low": localize_number(f"{band['low']:g}"),
        "high": localize_number(f"{band['high']:g}"),
    }


def _names() -> dict:
    return {
        "band": _("Benchmark range (published, not a forecast)"),
        "actual": _("Use case, realized"),
        "target": _("Use case, targeted"),
        "portfolio": _("Portfolio (mean realized, live use cases)"),
    }


def peer_radar(
    dimensions: list[dict], medians: dict[str, float | None], *, narrow: bool = False
) -> go.Figure:
    """The organization's seven scores with the cohort median overlaid."""
    return radar(
        dimensions, reference=[{"score": medians.get(d["key"])} for d in dimensions], narrow=narrow
    )


def percentile_bars(rows: list[dict], *, narrow: bool = False) -> go.Figure:
    """One bar per row (`title`, `percentile`), 0–100, the percentile written on it and
    a line at the cohort median (50th percentile). Narrow: the title above each bar."""
    titles = [label(r["title"]) for r in rows]
    figure = go.Figure(
        go.Bar(
            x=[r["percentile"] or 0 for r in rows],
            y=titles,
            orientation="h",
            text=[
                _("no comparison")
                if r["percentile"] is None
                else percentile_phrase(r["percentile"])
                for r in rows
            ],
            textposition="outside",
            marker={"color": [MUTED if r["percentile"] is None else BRAND for r in rows]},
            hovertemplate="%{y}: %{x:.1f}<extra></extra>",
        )
    )
    figure.add_vline(
        x=50,
        line={"color": WARN, "dash": "dash"},
        annotation_text=_("cohort median (50th)"),
        annotation_position="top",
        annotation_yshift=8,
    )
    if narrow:
        figure.update_layout(
            xaxis={"range": [0, 135], "tickvals": [0, 25, 50, 75, 100], "title": _("Percentile")}
        )
        figure.update_traces(textfont={"size": 11}, cliponaxis=False)
        return label_bars_above(figure, titles, margin={**NARROW_MARGIN, "t": 40})
    figure.update_layout(
        **base_layout(height=90 + 44 * len(rows), margin={"l": 240, "r": 30, "t": 50, "b": 40}),
        xaxis={"range": [0, 130], "tickvals": [0, 25, 50, 75, 100], "title": _("Percentile")},
        yaxis={"autorange": "reversed"},
    )
    return figure


def quartile_ranges(rows: list[dict], *, narrow: bool = False) -> go.Figure:
    """Per row (`title`, `score`, `q1`, `median`, `q3`): the cohort's middle half as a
    bar from q1 to q3, its median as a tick and the organization as a dot. Narrow: the
    title above each row, the legend below."""
    shown = [r for r in rows if r["median"] is not None]
    titles = [label(r["title"]) for r in shown]
    figure = go.Figure()
    figure.add_trace(
        go.Bar(
            x=[r["q3"] - r["q1"] for r in shown],
            base=[r["q1"] for r in shown],
            y=titles,
            orientation="h",
            name=_("Cohort middle half (q1–q3)"),
            marker={"color": "rgba(154, 163, 178, 0.45)"},
            customdata=[r["q3"] for r in shown],
            hovertemplate="%{y}: %{base:.1f}–%{customdata:.1f}<extra>" + _("q1 to q3") + "</extra>",
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[r["median"] for r in shown],
            y=titles,
            mode="markers",
            name=_("Cohort median"),
            marker={"symbol": "line-ns-open", "size": 22, "color": "#1d2433", "line": {"width": 3}},
        )
    )
    figure.add_trace(
        go.Scatter(
            x=[r["score"] for r in shown],
            y=titles,
            mode="markers+text",
            name=_("You"),
            text=["" if r["score"] is None else format_score(r["score"], 0) for r in shown],
            textposition="top center",
            marker={"symbol": "circle", "size": 13, "color": BRAND},
        )
    )
    if narrow:
        figure.update_layout(xaxis={"range": [0, 100], "title": score_axis()}, barmode="overlay")
        return label_bars_above(
            figure,
            titles,
            height=120 + NARROW_ROW_HEIGHT * len(titles),
            showlegend=True,
            legend={"orientation": "h", "y": -0.12, "yanchor": "top", "x": 0},
        )
    figure.update_layout(
        **base_layout(
            showlegend=True,
            height=110 + 44 * len(shown),
            margin={"l": 240, "r": 30, "t": 20, "b": 40},
        ),
        xaxis={"range": [0, 100], "title": score_axis()},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": -0.25},
        barmode="overlay",
    )
    return figure


def roi_bands(
    bands: list[dict], use_cases: list[dict], portfolio: list[dict], *, narrow: bool = False
) -> go.Figure:
    """Each metric's benchmark range as a shaded band, each use case as a dot (filled:
    realized, open: targeted) and the portfolio as a diamond.

    bands: `metric`, `title`, `low`, `high`; use_cases: `name`, `metric`, `value`,
    `basis`; portfolio: `metric`, `value`. Narrow: a vertical list of bullet charts,
    one per metric (`roi_bullets`).
    """
    if narrow:
        return roi_bullets(bands, use_cases, portfolio)
    names = _names()
    titles = {b["metric"]: f"{label(b['title'])}<br>{_band_range(b)}" for b in bands}
    y = [titles[b["metric"]] for b in bands]
    figure = go.Figure(
        go.Bar(
            x=[b["high"] - b["low"] for b in bands],
            base=[b["low"] for b in bands],
            y=y,
            orientation="h",
            name=names["band"],
            marker={"color": BAND_FILL, "line": {"color": BAND_LINE, "width": 1}},
            hovertemplate=_("benchmark range %(range)s") % {"range": "%{base}–%{customdata} %"}
            + "<extra></extra>",
            customdata=[b["high"] for b in bands],
        )
    )
    for basis in ("actual", "target"):
        points = [u for u in use_cases if u["basis"] == basis and u["metric"] in titles]
        if points:
            figure.add_trace(
                go.Scatter(
                    x=[u["value"] for u in points],
                    y=[titles[u["metric"]] for u in points],
                    mode="markers",
                    name=names[basis],
                    text=[label(u["name"]) for u in points],
                    hovertemplate="%{text}: %{x:.1f} %<extra></extra>",
                    marker={
                        "symbol": POSITION_SYMBOLS[basis],
                        "size": 11,
                        "color": MUTED,
                        "line": {"color": "#1d2433", "width": 1},
                    },
                )
            )
    live = [p for p in portfolio if p["metric"] in titles]
    if live:
        figure.add_trace(
            go.Scatter(
                x=[p["value"] for p in live],
                y=[titles[p["metric"]] for p in live],
                mode="markers+text",
                name=names["portfolio"],
                text=[f"{format_score(p['value'])} %" for p in live],
                textposition="top center",
                marker={"symbol": "diamond", "size": 16, "color": BRAND},
            )
        )
    low, top = _roi_range(bands, [u["value"] for u in use_cases] + [p["value"] for p in live])
    figure.update_layout(
        **base_layout(
            showlegend=True,
            height=150 + 70 * len(bands),
            margin={"l": 260, "r": 30, "t": 20, "b": 40},
        ),
        xaxis={"range": [low, top], "title": _("Percent"), "ticksuffix": " %"},
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": -0.3},
    )
    return figure


def _roi_range(bands: list[dict], values: list[float]) -> list[float]:
    top = max([50.0, *[b["high"] for b in bands], *[v + 5 for v in values]])
    low = min([0.0, *[v - 5 for v in values]])
    return [low, top]


def roi_bullets(bands: list[dict], use_cases: list[dict], portfolio: list[dict]) -> go.Figure:
    """The ROI bands for a phone: one bullet chart per metric, stacked, each titled with
    its metric and benchmark range, on a common percent scale; the legend below."""
    metrics = [b["metric"] for b in bands]
    live = [p for p in portfolio if p["metric"] in metrics]
    shown = [u for u in use_cases if u["metric"] in metrics]
    figure = make_subplots(
        rows=len(bands),
        cols=1,
        vertical_spacing=0.5 / max(len(bands), 1),
        subplot_titles=[f"<b>{label(b['title'])}</b><br>{_band_range(b)}" for b in bands],
    )
    names = _names()
    legend_shown: set[str] = set()

    def first(kind: str) -> bool:
        new = kind not in legend_shown
        legend_shown.add(kind)
        return new

    for row, band in enumerate(bands, start=1):
        figure.add_trace(
            go.Bar(
                x=[band["high"] - band["low"]],
                base=[band["low"]],
                y=[""],
                orientation="h",
                name=names["band"],
                legendgroup="band",
                showlegend=first("band"),
                marker={"color": BAND_FILL, "line": {"color": BAND_LINE, "width": 1}},
                hovertemplate=_("benchmark range %(range)s")
                % {
                    "range": f"{localize_number(format(band['low'], 'g'))}–"
                    f"{localize_number(format(band['high'], 'g'))} %"
                }
                + "<extra></extra>",
                width=0.6,
            ),
            row=row,
            col=1,
        )
        for basis in ("actual", "target"):
            points = [u for u in shown if u["basis"] == basis and u["metric"] == band["metric"]]
            if points:
                figure.add_trace(
                    go.Scatter(
                        x=[u["value"] for u in points],
                        y=[""] * len(points),
                        mode="markers",
                        name=names[basis],
                        legendgroup=basis,
                        showlegend=first(basis),
                        text=[label(u["name"]) for u in points],
                        hovertemplate="%{text}: %{x:.1f} %<extra></extra>",
                        marker={
                            "symbol": POSITION_SYMBOLS[basis],
                            "size": 11,
                            "color": MUTED,
                            "line": {"color": "#1d2433", "width": 1},
                        },
                    ),
                    row=row,
                    col=1,
                )
        mine = [p for p in live if p["metric"] == band["metric"]]
        if mine:
            figure.add_trace(
                go.Scatter(
                    x=[p["value"] for p in mine],
                    y=[""] * len(mine),
                    mode="markers+text",
                    name=names["portfolio"],
                    legendgroup="portfolio",
                    showlegend=first("portfolio"),
                    text=[f"{format_score(p['value'])} %" for p in mine],
                    textposition="top center",
                    marker={"symbol": "diamond", "size": 15, "color": BRAND},
                    cliponaxis=False,
                ),
                row=row,
                col=1,
            )
    x_range = _roi_range(bands, [u["value"] for u in shown] + [p["value"] for p in live])
    figure.update_xaxes(range=x_range, ticksuffix=" %", showgrid=True, gridcolor="#e6e9ef")
    figure.update_yaxes(showticklabels=False, fixedrange=True)
    figure.update_annotations(xanchor="left", x=0, align="left", font={"size": 13})
    figure.update_layout(
        **base_layout(
            showlegend=True,
            height=170 + 130 * len(bands),
            margin={**NARROW_MARGIN, "t": 50},
        ),
        legend={"orientation": "h", "y": -0.08, "yanchor": "top", "x": 0},
        barmode="overlay",
    )
    return figure
