"""The portfolio's small chart: how many client organizations are in each phase."""

import plotly.graph_objects as go

from common.charts import BRAND, MUTED, base_layout


def by_phase(counts: list[dict]) -> go.Figure:
    labels = [f"{c['phase']} {c['name']}" if c["phase"] else c["name"] for c in counts]
    figure = go.Figure(
        go.Bar(
            x=labels,
            y=[c["count"] for c in counts],
            text=[str(c["count"]) for c in counts],
            textposition="outside",
            marker={"color": [BRAND if c["phase"] else MUTED for c in counts]},
        )
    )
    top = max((c["count"] for c in counts), default=0)
    figure.update_layout(
        **base_layout(height=220, margin={"l": 40, "r": 20, "t": 20, "b": 40}),
        yaxis={
            "title": "Organizations",
            "range": [0, max(top * 1.25, 1)],
            "dtick": 1 if top < 10 else None,
        },
    )
    return figure
