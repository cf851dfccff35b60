"""The portfolio's small chart: how many client organizations are in each phase."""

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from common.charts import BRAND, MUTED, base_layout, label


def by_phase(counts: list[dict]) -> go.Figure:
    """One horizontal bar per phase (labels stay readable on a phone), the count
    written on each."""
    labels = [label(f"{c['phase']} {c['name']}" if c["phase"] else c["name"]) for c in counts]
    figure = go.Figure(
        go.Bar(
            x=[c["count"] for c in counts],
            y=labels,
            orientation="h",
            text=[str(c["count"]) for c in counts],
            textposition="outside",
            marker={"color": [BRAND if c["phase"] else MUTED for c in counts]},
        )
    )
    top = max((c["count"] for c in counts), default=0)
    figure.update_layout(
        **base_layout(height=60 + 36 * len(counts), margin={"l": 190, "r": 30, "t": 10, "b": 30}),
        xaxis={"title": _("Organizations"), "range": [0, max(top * 1.3, 1)], "rangemode": "tozero"},
        yaxis={"autorange": "reversed"},
    )
    return figure
