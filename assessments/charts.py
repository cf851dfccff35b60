"""Chart builders: results in, plotly figures out. Pure, shared by the page and the PDFs.

Conventions (shared/REPORTS.md): a fixed axis order and a common 0–100 scale, values
written on the marks, status never by colour alone. `narrow=True` gives the variant
designed for a phone (the page embeds both and draws the one that fits); the PDFs use
the default, wide one.
"""

import plotly.graph_objects as go
from django.utils.translation import gettext as _

from common.charts import (
    BRAND,
    FONT,
    MUTED,
    NARROW_MARGIN,
    WARN,
    abbreviate,
    base_layout,
    label,
    label_bars_above,
)
from common.display import format_percent, format_score

from .confidentiality import OTHER, OTHER_MERGED, other_label


def score_axis() -> str:
    return _("Score (0–100)")


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


def radar(
    dimensions: list[dict], reference: list[dict] | None = None, *, narrow: bool = False
) -> go.Figure:
    """The seven dimensions on a common 0–100 scale, in bank order; a reference polygon
    (for example the peer median) when given. Narrow: abbreviated axis labels (the full
    title in the hover and the table) and the legend below."""
    titles = [label(d["title"]) for d in dimensions]
    scores = [d["score"] if d["score"] is not None else 0 for d in dimensions]
    figure = go.Figure()
    if reference:
        ref_scores = [r["score"] if r["score"] is not None else 0 for r in reference]
        figure.add_trace(
            go.Scatterpolar(
                r=[*ref_scores, ref_scores[0]],
                theta=[*titles, titles[0]],
                name=_("Peer median"),
                line={"color": MUTED, "dash": "dash"},
            )
        )
    figure.add_trace(
        go.Scatterpolar(
            r=[*scores, scores[0]],
            theta=[*titles, titles[0]],
            name=_("Score"),
            fill="toself",
            line={"color": BRAND},
            fillcolor="rgba(31, 78, 140, 0.2)",
        )
    )
    if narrow:
        layout = base_layout(
            showlegend=bool(reference),
            height=400 if reference else 340,
            margin={"l": 72, "r": 72, "t": 30, "b": 20},
            font={**FONT, "size": 11},
            legend={"orientation": "h", "x": 0, "y": -0.08, "yanchor": "top"},
        )
    else:
        layout = base_layout(
            showlegend=bool(reference), height=440, margin={"l": 110, "r": 110, "t": 40, "b": 40}
        )
    figure.update_layout(
        **layout,
        polar={
            "radialaxis": {
                "range": [0, 100],
                "tickvals": [20, 40, 60, 80, 100],
                **({"tickvals": [50, 100], "angle": 90, "tickangle": 90} if narrow else {}),
            },
            "angularaxis": {
                "direction": "clockwise",
                "rotation": 90,
                "tickmode": "array",
                "tickvals": titles,
                "ticktext": abbreviate(titles)
                if narrow
                else [wrap(d["title"]) for d in dimensions],
            },
        },
    )
    return figure


def dimension_bars(dimensions: list[dict], *, narrow: bool = False) -> go.Figure:
    """One bar per dimension, with its score and coverage written on it; dimensions
    with insufficient evidence are hatched and labelled. Narrow: the dimension's title
    and its coverage above the bar, the score beside it."""
    if narrow:
        return _narrow_dimension_bars(dimensions)
    titles = [label(d["title"]) for d in dimensions]
    labels = [
        (format_score(d["score"]) if d["score"] is not None else _("no answers"))
        + " · "
        + _coverage(d)
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
        xaxis={"range": [0, 140], "tickvals": [0, 20, 40, 60, 80, 100], "title": score_axis()},
        yaxis={"autorange": "reversed"},
    )
    return figure


def _coverage(dimension: dict) -> str:
    """ "45% coverage", with " · insufficient evidence" when it is."""
    text = _("%(coverage)s coverage") % {"coverage": format_percent(dimension["coverage"])}
    return text + (" · " + _("insufficient evidence") if dimension["insufficient"] else "")


def _narrow_dimension_bars(dimensions: list[dict]) -> go.Figure:
    titles = [label(d["title"]) for d in dimensions]
    above = [f"<b>{label(d['title'])}</b><br>{_coverage(d)}" for d in dimensions]
    figure = go.Figure(
        go.Bar(
            x=[d["score"] or 0 for d in dimensions],
            y=titles,
            orientation="h",
            text=[format_score(d["score"]) for d in dimensions],
            textposition="outside",
            cliponaxis=False,
            marker={
                "color": [MUTED if d["insufficient"] else BRAND for d in dimensions],
                "pattern": {"shape": ["/" if d["insufficient"] else "" for d in dimensions]},
            },
        )
    )
    figure.update_layout(
        xaxis={"range": [0, 112], "tickvals": [0, 25, 50, 75, 100], "title": score_axis()}
    )
    return label_bars_above(figure, titles, above, row_height=80)


def alignment_heatmap(
    rows: list[dict], dimensions: list[dict], group_labels: dict, *, narrow: bool = False
) -> go.Figure:
    """Dimension × respondent group, the score written in every cell. Narrow:
    abbreviated dimension labels and no colour bar (every cell has its number)."""
    groups = sorted({r["group"] for r in rows}, key=lambda g: group_labels.get(g, g))
    by_cell = {(r["group"], r["dimension"]): r["score"] for r in rows}
    z = [[by_cell.get((g, d["key"])) for g in groups] for d in dimensions]
    text = [[format_score(v, 0) for v in row] for row in z]
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=[label(_group_label(g, group_labels)) for g in groups],
            y=[label(d["title"]) for d in dimensions],
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=100,
            colorscale=[[0, "#f4f6fa"], [1, BRAND]],
            colorbar={"title": _("Score")},
            showscale=not narrow,
        )
    )
    if narrow:
        titles = [label(d["title"]) for d in dimensions]
        figure.update_layout(
            **base_layout(height=80 + 40 * len(dimensions), margin={**NARROW_MARGIN, "l": 90}),
            yaxis={
                "autorange": "reversed",
                "tickmode": "array",
                "tickvals": titles,
                "ticktext": abbreviate(titles),
            },
            xaxis={"tickangle": -30},
        )
        return figure
    figure.update_layout(
        **base_layout(
            height=80 + 44 * len(dimensions), margin={"l": 240, "r": 30, "t": 20, "b": 60}
        ),
        yaxis={"autorange": "reversed"},
    )
    return figure


def _group_label(group, labels: dict) -> str:
    if group in (OTHER, OTHER_MERGED) and group not in labels:
        return other_label(group)
    return str(labels.get(group, group) or _("Not given"))


def unit_label(unit) -> str:
    """A unit as a heatmap row: indented by depth, its respondents, and why it is blank."""
    note = " · " + _("hidden: too few") if unit.suppressed else ""
    return f"{'· ' * unit.depth}{label(unit.unit.name)} ({unit.respondents}{note})"


def unit_heatmap(units: list, dimensions: list[dict], *, narrow: bool = False) -> go.Figure:
    """Business unit × dimension (`units.UnitScores`, tree order), the score in each cell;
    a suppressed unit or one nobody answered in shows a dash."""
    z = [[score for _key, score in u.dimensions] for u in units]
    text = [[format_score(v, 0) for v in row] for row in z]
    figure = go.Figure(
        go.Heatmap(
            z=z,
            x=(abbreviate if narrow else list)([label(d["title"]) for d in dimensions]),
            y=[unit_label(u) for u in units],
            text=text,
            texttemplate="%{text}",
            zmin=0,
            zmax=100,
            colorscale=[[0, "#f4f6fa"], [1, BRAND]],
            colorbar={"title": _("Score")},
        )
    )
    figure.update_layout(
        **base_layout(
            height=120 + 36 * len(units),
            margin={"l": 130, "r": 10, "t": 20, "b": 90}
            if narrow
            else {"l": 260, "r": 30, "t": 20, "b": 120},
        ),
        yaxis={"autorange": "reversed"},
        xaxis={"tickangle": -30},
    )
    return figure


def trend(points: list[dict], *, narrow: bool = False) -> go.Figure:
    """Index and each dimension across assessments, oldest first, on the 0–100 scale.
    Narrow: small margins and the legend below, one short name a line."""
    labels = [label(p["label"]) for p in points]
    figure = go.Figure()
    for position in range(len(points[0]["dimensions"]) if points else 0):
        figure.add_trace(
            go.Scatter(
                x=labels,
                y=[p["dimensions"][position]["score"] for p in points],
                name=(abbreviate if narrow else list)(
                    [label(d["title"]) for d in points[0]["dimensions"]]
                )[position],
                mode="lines+markers",
                line={"width": 1.5},
                opacity=0.6,
            )
        )
    figure.add_trace(
        go.Scatter(
            x=labels,
            y=[p["index"] for p in points],
            name=_("Index"),
            mode="lines+markers+text",
            text=[format_score(v) if v is not None else "" for v in (p["index"] for p in points)],
            textposition="top center",
            line={"color": BRAND, "width": 4},
        )
    )
    figure.update_layout(
        **base_layout(
            showlegend=True,
            height=460 if narrow else 380,
            margin={"l": 50, "r": 12 if narrow else 20, "t": 20, "b": 40},
        ),
        yaxis={"range": [0, 105], "title": score_axis()},
        legend={"orientation": "h", "y": -0.2, **({"yanchor": "top"} if narrow else {})},
    )
    return figure


def side_by_side(
    rows: list[dict],
    first: str,
    second: str,
    labels: tuple[str, str],
    flag: str = "",
    *,
    narrow: bool = False,
) -> go.Figure:
    """Two scores per dimension as paired horizontal bars, each value written on its bar:
    the perception gap (client vs assessor) and the evidence-backed layer (claimed vs
    evidence-backed). Rows with `flag` true get "⚑" on their label (status never by
    colour alone)."""
    titles = [("⚑ " if flag and r[flag] else "") + label(r["title"]) for r in rows]
    figure = go.Figure()
    for key, name, colour in ((first, labels[0], BRAND), (second, labels[1], WARN)):
        values = [r[key] for r in rows]
        figure.add_trace(
            go.Bar(
                x=[v or 0 for v in values],
                y=titles,
                name=name,
                orientation="h",
                text=[format_score(v) for v in values],
                textposition="outside",
                marker={"color": colour},
            )
        )
    axis = {"range": [0, 115], "tickvals": [0, 20, 40, 60, 80, 100], "title": score_axis()}
    if narrow:
        # On a phone each dimension's name above its pair of bars, the legend below.
        figure.update_layout(barmode="group", xaxis=axis)
        return label_bars_above(
            figure,
            titles,
            row_height=84,
            showlegend=True,
            legend={"orientation": "h", "y": -0.12},
            margin={**NARROW_MARGIN, "b": 70},
        )
    figure.update_layout(
        **base_layout(
            showlegend=True,
            height=80 + 64 * len(rows),
            margin={"l": 240, "r": 30, "t": 20, "b": 60},
        ),
        barmode="group",
        xaxis=axis,
        yaxis={"autorange": "reversed"},
        legend={"orientation": "h", "y": -0.15},
    )
    return figure
