"""The trend across assessments on the roadmap page: the index and the seven dimensions,
each point named by its assessment's title and close date (two re-assessments in one
month stay two points). Pure: points in, a plotly figure out."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from common.charts import BRAND, base_layout, label
from common.display import format_score

from .tracking import day_label

# Distinct hues and dashes, so seven lines stay apart without relying on colour alone.
DIMENSION_STYLES = (
    ("#1b9e77", "solid"),
    ("#d95f02", "dash"),
    ("#7570b3", "dot"),
    ("#e7298a", "dashdot"),
    ("#66a61e", "longdash"),
    ("#a6761d", "longdashdot"),
    ("#555555", "solid"),
)


@dataclass(frozen=True)
class TrendPoint:
    title: str
    closed_on: date | None  # None: still open (provisional)
    index: float | None
    dimensions: tuple[tuple[str, float | None], ...]  # (dimension title, score)

    @property
    def label(self) -> str:
        if self.closed_on:
            return _("%(title)s (closed %(date)s)") % {
                "title": self.title,
                "date": day_label(self.closed_on),
            }
        return _("%(title)s (open, provisional)") % {"title": self.title}


def trend_figure(points: list[TrendPoint]) -> go.Figure:
    positions = list(range(1, len(points) + 1))
    labels = [label(p.label) for p in points]
    figure = go.Figure()
    for number, (color, dash) in enumerate(DIMENSION_STYLES):
        if not points or number >= len(points[0].dimensions):
            break
        figure.add_trace(
            go.Scatter(
                x=positions,
                y=[p.dimensions[number][1] for p in points],
                customdata=labels,
                name=label(points[0].dimensions[number][0]),
                mode="lines+markers",
                line={"color": color, "width": 2, "dash": dash},
                hovertemplate="%{customdata}<br>%{fullData.name}: %{y:.1f}<extra></extra>",
            )
        )
    figure.add_trace(
        go.Scatter(
            x=positions,
            y=[p.index for p in points],
            customdata=labels,
            name="Index",
            mode="lines+markers+text",
            text=[format_score(p.index) if p.index is not None else "" for p in points],
            textposition="top center",
            line={"color": BRAND, "width": 4},
            hovertemplate="%{customdata}<br>Index: %{y:.1f}<extra></extra>",
        )
    )
    figure.update_layout(
        **base_layout(showlegend=True, height=420, margin={"l": 50, "r": 20, "t": 20, "b": 40}),
        xaxis={
            "tickvals": positions,
            "ticktext": [
                f"{label(p.title)}<br>{p.label.removeprefix(p.title).strip(' ()')}" for p in points
            ],
            "range": [0.5, len(points) + 0.5],
        },
        yaxis={"range": [0, 105], "title": "Score (0–100)"},
        legend={"orientation": "h", "y": -0.25},
    )
    return figure
