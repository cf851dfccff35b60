"""Target charts (DESIGN §10): the gap of every target, and the organization's radar with
its target ring. Pure: target states and scores in, plotly figures out."""

from __future__ import annotations

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from common.charts import BRAND, MUTED, WARN, base_layout, label
from common.display import format_signed

from .targets import TargetState


def gap_chart(states: list[TargetState]) -> go.Figure:
    """One bar per target: points still missing (above 0) or beyond the target (below)."""
    labels = [f"{label(s.unit)}: {label(s.dimension_title)}" for s in states]
    gaps = [s.gap for s in states]
    figure = go.Figure(
        go.Bar(
            x=[g if g is not None else 0 for g in gaps],
            y=labels,
            orientation="h",
            text=[_("no score") if g is None else format_signed(g) for g in gaps],
            textposition="outside",
            marker={"color": [WARN if (g or 0) > 0 else BRAND for g in gaps]},
            hovertemplate=_("%(target)s: gap %(gap)s") % {"target": "%{y}", "gap": "%{text}"}
            + "<extra></extra>",
        )
    )
    figure.update_layout(
        **base_layout(height=120 + 36 * len(states), margin={"l": 300, "r": 60, "t": 20, "b": 50}),
        xaxis={"title": _("Gap: target − score (points)"), "zeroline": True},
        yaxis={"autorange": "reversed"},
    )
    return figure


def radar_with_targets(dimensions: list[dict], states: list[TargetState]) -> go.Figure:
    """The organization's dimension scores with its targets as a dashed ring (a dimension
    without a target sits on its score, so the ring shows only what is asked)."""
    titles = [label(d["title"]) for d in dimensions]
    scores = [d["score"] or 0 for d in dimensions]
    by_key = {s.dimension: s.target for s in states if s.for_organization}
    ring = [by_key.get(d["key"], d["score"] or 0) for d in dimensions]
    figure = go.Figure()
    figure.add_trace(
        go.Scatterpolar(
            r=[*ring, ring[0]],
            theta=[*titles, titles[0]],
            name=_("Target"),
            line={"color": MUTED, "dash": "dash", "width": 2},
        )
    )
    figure.add_trace(
        go.Scatterpolar(
            r=[*scores, scores[0]],
            theta=[*titles, titles[0]],
            name=_("Score now"),
            fill="toself",
            line={"color": BRAND},
            fillcolor="rgba(31, 78, 140, 0.2)",
        )
    )
    figure.update_layout(
        **base_layout(showlegend=True, height=440, margin={"l": 110, "r": 110, "t": 40, "b": 40}),
        polar={"radialaxis": {"range": [0, 100]}},
    )
    return figure
