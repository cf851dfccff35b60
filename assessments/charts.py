"""Chart builders: results in, plotly figures out. Pure, shared by the page and the PDFs.

Conventions (shared/REPORTS.md): a fixed axis order and a common 0–100 scale, values
written on the marks, status never by colour alone.
"""

import plotly.graph_objects as go

from common.charts import BRAND, MUTED, base_layout, label


def wrap(text: str, width: int = 16) -> str:
    """Break a text into lines of about `width` characters (plotly uses <br>), as a
    label (`common.charts.label`)."""
    lines: list[str] = []
    for word in label(text).split():
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += f" {word}"
        else:
            lines.append(word)
    return "<br>".join(lines)


def radar(dimensions: list[dict], reference: list[dict] | None = None) -> go.Figure:
    """The seven dimensions on a common 0–100 scale, in bank order; a reference polygon
    (for example the peer median) when given."""
    titles = [label(d["title"]) for d in dimensions]
    scores = [d["score"] if d["score"] is not None else 0 for d in dimensions]
    figure = go.Figure()
    if reference:
        ref_scores = [r["score"] if r["score"] is not None else 0 for r in reference]
        figure.add_trace(
            go.Scatterpolar(
                r=[*ref_scores, ref_scores[0]],
                theta=[*titles, titles[0]],
                name="Peer median",
                line={"color": MUTED, "dash": "dash"},
            )
        )
    figure.add_trace(
        go.Scatterpolar(
            r=[*scores, scores[0]],
            theta=[*titles, titles[0]],
            name="Score",
            fill="toself",
            line={"color": BRAND},
            fillcolor="rgba(31, 78, 140, 0.2)",
        )
    )
    figure.update_layout(
        **base_layout(
            showlegend=bool(reference), height=440, margin={"l": 110, "r": 110, "t": 40, "b": 40}
        ),
        polar={
            "radialaxis": {"range": [0, 100], "tickvals": [20, 40, 60, 80, 100]},
            "angularaxis": {
                "direction": "clockwise",
                "rotation": 90,
                "tickmode": "array",
                "tickvals": titles,
                "ticktext": [wrap(d["title"]) for d in dimensions],
            },
        },
    )
    return figure


def dimension_bars(dimensions: list[dict]) -> go.Figure:
    """One bar per dimension, with its score and coverage written on it; dimensions
    with insufficient evidence are hatched and labelled."""
    titles = [label(d["title"]) for d in dimensions]
    labels = [
        (f"{d['score']:.1f}" if d["score"] is not None else "no answers")
        + f" · {d['coverage']:.0%} coverage"
        + (" · insufficient evidence" if d["insufficient"] else "")
        for d in dimensions
    ]
    figure = go.Figure(
        go.Bar(
            x=[d["score"] or 0 for d in dimensions],
            y=titles,
            orientation="h",
            text=labels,
            textposition="outside",
            marker={
                "color": [MUTED if d["insufficient"] else BRAND for d in dimensions],
                "pattern": {"shape": ["/" if d["insufficient"] else "" for d in dimensions]},
            },
        )
    )
    figure.update_layout(
        **base_layout(
            height=60 + 48 * len(dimensions), margin={"l": 240, "r": 30, "t": 20, "b": 30}
        ),
        xaxis={"range": [0, 140], "tickvals": [0, 20, 40, 60, 80, 100], "title": "Score (0–100)"},
        yaxis={"autorange": "reversed"},
    )
    return figure


def alignment_heatmap(rows: list[dict], dimensions: list[dict], group_labels: dict) -> go.Figure:
    """Dimension × respondent group, the score written in every cell."""
    groups = sorted({r["group"] for r in rows}, key=lambda g: group_labels.get(g, g))
    by_cell = {(r["group"], r["dimension"]): r["score"] for r in rows}
    z = [[by_cell.get((g, d["key"])) for g in groups] for d in dimensions]
    text = [["—" if v is None else f"{v:.0f}" for v in row] for row in z]
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=[label(group_labels.get(g, g) or "Not given") for g in groups],
            y=[label(d["title"]) for d in dimensions],
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=100,
            colorscale=[[0, "#f4f6fa"], [1, BRAND]],
            colorbar={"title": "Score"},
        )
    )
    figure.update_layout(
        **base_layout(
            height=80 + 44 * len(dimensions), margin={"l": 240, "r": 30, "t": 20, "b": 60}
        ),
        yaxis={"autorange": "reversed"},
    )
    return figure


def trend(points: list[dict]) -> go.Figure:
    """Index and each dimension across assessments, oldest first, on the 0–100 scale."""
    labels = [label(p["label"]) for p in points]
    figure = go.Figure()
    for position in range(len(points[0]["dimensions"]) if points else 0):
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=[p["dimensions"][position]["score"] for p in points],
                name=label(points[0]["dimensions"][position]["title"]),
                mode="lines+markers",
                line={"width": 1.5},
                opacity=0.6,
            )
        )
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=[p["index"] for p in points],
            name="Index",
            mode="lines+markers+text",
            text=[f"{v:.1f}" if v is not None else "" for v in (p["index"] for p in points)],
            textposition="top center",
            line={"color": BRAND, "width": 4},
        )
    )
    figure.update_layout(
        **base_layout(showlegend=True, height=380, margin={"l": 50, "r": 20, "t": 20, "b": 40}),
        yaxis={"range": [0, 105], "title": "Score (0–100)"},
        legend={"orientation": "h", "y": -0.2},
    )
    return figure
