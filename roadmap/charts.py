"""The roadmap timeline: a Gantt chart of planned phase windows against milestones.
Pure (windows and milestones in, a plotly figure out), shared by the page and the PDFs.

Conventions (shared/REPORTS.md): one lane per phase, quarters across, milestones as
diamonds (filled: done, at the completion date; hollow: open, at the due date) with
their name beside them, a dashed "Today" line, and the legend names every mark, so
nothing is told by colour alone. The axis covers the roadmap's window plus a margin: a
milestone dated beyond it is drawn as an arrow at the edge and listed under the chart
(`outside_range`) instead of stretching the axis. `narrow=True` is the variant for a
phone; the PDFs use the wide one.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta

import plotly.graph_objects as go
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common.charts import BRAND, FONT, MUTED, WARN, label, separators
from common.display import is_german

from .tracking import MilestoneState, PhaseWindow, add_months, day_label

OK = "#1d7a46"
BAD = "#b3261e"
LANE_SPREAD = 0.5  # milestones of one lane spread over half the lane height
DAY_MS = 86_400_000
MARGIN_MONTHS = 3  # milestones up to a quarter beyond the roadmap's window still widen it
LABEL_CHARACTERS = {False: 26, True: 16}  # a milestone's name beside its marker (wide, narrow)


def _day(day: date) -> str:
    """A date in a chart: "1 Apr 2027"; German "01.04.2027" (the locale's short date)."""
    return date_format(day, "SHORT_DATE_FORMAT") if is_german() else day_label(day)


def _status(status: str) -> str:
    """A milestone's status in words, lower case as inside a sentence."""
    words = {
        "not_started": pgettext("milestone status", "not started"),
        "in_progress": pgettext("milestone status", "in progress"),
        "done": pgettext("milestone status", "done"),
        "blocked": pgettext("milestone status", "blocked"),
    }
    return words.get(status, status.replace("_", " "))


def _lane_label(window: PhaseWindow) -> str:
    return f"{window.phase} {label(window.name)}"


def _quarter_start(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


def _shown_date(milestone: MilestoneState) -> date | None:
    return milestone.completed_on if milestone.is_done else milestone.due_date


def chart_range(
    windows: Sequence[PhaseWindow], milestones: Sequence[MilestoneState], today: date
) -> tuple[date, date]:
    """From the quarter of the first date to a little after the last one. The roadmap's
    window (its planned phases, the ongoing one for six months, and today) sets the
    range; a milestone widens it only within MARGIN_MONTHS of that window, so one due
    in 2030 does not squash everything else."""
    days = [today]
    for w in windows:
        if w.start is not None:
            days += [w.start, w.end or add_months(w.start, 6)]
    earliest, latest = add_months(min(days), -MARGIN_MONTHS), add_months(max(days), MARGIN_MONTHS)
    for m in milestones:
        days += [
            d for d in (m.due_date, m.completed_on) if d is not None and earliest <= d <= latest
        ]
    return _quarter_start(min(days)), max(days) + timedelta(days=31)


def outside_range(
    windows: Sequence[PhaseWindow], milestones: Sequence[MilestoneState], today: date
) -> list[MilestoneState]:
    """The milestones whose marker (completion date when done, else due date) falls
    outside the chart's range: flagged at its edge and listed beside the chart."""
    first, last = chart_range(windows, milestones, today)
    return [m for m in milestones if (d := _shown_date(m)) is not None and not first <= d <= last]


def _short(title: str, narrow: bool) -> str:
    """The milestone's name beside its marker, shortened, as text (`label`)."""
    return label(_shortened(title, narrow))


def _shortened(title: str, narrow: bool) -> str:
    limit = LABEL_CHARACTERS[narrow]
    return title if len(title) <= limit else title[: limit - 1].rstrip() + "…"


def _bars(windows: Sequence[PhaseWindow], end: date) -> go.Bar:
    planned = [w for w in windows if w.start is not None]
    finish = [w.end or end for w in planned]
    return go.Bar(
        name=_("Planned window"),
        orientation="h",
        y=[w.phase for w in planned],
        base=[w.start.isoformat() for w in planned],
        x=[((f - w.start).days + 1) * DAY_MS for w, f in zip(planned, finish, strict=True)],
        width=0.6,
        marker={
            "color": ["rgba(31, 78, 140, 0.18)" for _window in planned],
            "line": {"color": BRAND, "width": 1.5},
            "pattern": {"shape": ["/" if w.end is None else "" for w in planned]},
        },
        text=[f"{_day(w.start)} – " + (_day(w.end) if w.end else _("ongoing")) for w in planned],
        textposition="inside",
        insidetextanchor="start",
        textfont={"color": FONT["color"], "size": 11},
        hovertemplate="%{text}<extra>" + _("Phase %(phase)s") % {"phase": "%{y}"} + "</extra>",
    )


def _offsets(milestones: Sequence[MilestoneState]) -> list[float]:
    """Spread the milestones of a lane vertically so that they do not hide each other."""
    counts: dict[int, int] = {}
    for m in milestones:
        counts[m.phase] = counts.get(m.phase, 0) + 1
    seen: dict[int, int] = {}
    offsets = []
    for m in milestones:
        n, i = counts[m.phase], seen.get(m.phase, 0)
        seen[m.phase] = i + 1
        offsets.append(0.0 if n == 1 else LANE_SPREAD * (i / (n - 1) - 0.5))
    return offsets


def _hover(milestone: MilestoneState, day: date, done: bool) -> str:
    title = label(milestone.title)
    if done:
        return _("%(title)s — done %(day)s") % {"title": title, "day": _day(day)}
    return _("%(title)s — due %(day)s (%(status)s)") % {
        "title": title,
        "day": _day(day),
        "status": _status(milestone.status),
    }


def _diamonds(
    milestones: Sequence[MilestoneState],
    done: bool,
    shown: tuple[date, date],
    narrow: bool = False,
) -> go.Scatter:
    chosen = [
        (m, y)
        for m, y in zip(milestones, _offsets(milestones), strict=True)
        if m.is_done == done and (d := _shown_date(m)) and shown[0] <= d <= shown[1]
    ]
    dates = [(m.completed_on if done else m.due_date) for m, _offset in chosen]
    return go.Scatter(
        name=_("Milestone done (completion date)") if done else _("Milestone open (due date)"),
        mode="markers+text",
        x=[d.isoformat() for d in dates],
        y=[m.phase + offset for m, offset in chosen],
        # Blocked is said in words too, not only by the marker's colour.
        texttemplate=[
            (_("✗ blocked: ") if m.status == "blocked" else "") + _short(m.title, narrow)
            for m, _offset in chosen
        ],
        textposition="middle right",
        textfont={"size": 10, "color": FONT["color"]},
        cliponaxis=False,
        marker={
            "symbol": "diamond" if done else "diamond-open",
            "size": 13,
            "color": OK if done else [BAD if m.status == "blocked" else WARN for m, _o in chosen],
            "line": {"width": 2, "color": OK if done else WARN},
        },
        text=[_hover(m, d, done) for (m, _o), d in zip(chosen, dates, strict=True)],
        hovertemplate="%{text}<extra></extra>",
    )


def _beyond(
    milestones: Sequence[MilestoneState], shown: tuple[date, date], narrow: bool
) -> go.Scatter:
    """Milestones dated outside the chart: an arrow at the edge they lie beyond."""
    chosen = [
        (m, y, d)
        for m, y in zip(milestones, _offsets(milestones), strict=True)
        if (d := _shown_date(m)) and not shown[0] <= d <= shown[1]
    ]
    return go.Scatter(
        name=_("Milestone outside the chart (listed below it)"),
        mode="markers+text",
        x=[(shown[1] if d > shown[1] else shown[0]).isoformat() for *_rest, d in chosen],
        y=[m.phase + offset for m, offset, _d in chosen],
        marker={
            "symbol": ["triangle-right" if d > shown[1] else "triangle-left" for *_, d in chosen],
            "size": 13,
            "color": WARN,
        },
        texttemplate=[f"{_short(m.title, narrow)} ({d.year})" for m, _o, d in chosen],
        textposition=["middle left" if d > shown[1] else "middle right" for *_, d in chosen],
        textfont={"size": 10, "color": FONT["color"]},
        cliponaxis=False,
        text=[_hover(m, d, m.is_done) for m, _o, d in chosen],
        hovertemplate="%{text}<extra></extra>",
    )


def _slips(milestones: Sequence[MilestoneState], shown: tuple[date, date]) -> go.Scatter:
    """Done milestones: a thin line from the planned due date to the actual completion."""
    xs: list[str | None] = []
    ys: list[float | None] = []
    for m, offset in zip(milestones, _offsets(milestones), strict=True):
        inside = all(shown[0] <= d <= shown[1] for d in (m.due_date, m.completed_on) if d)
        if m.is_done and m.due_date and m.completed_on and inside:
            xs += [m.due_date.isoformat(), m.completed_on.isoformat(), None]
            ys += [m.phase + offset, m.phase + offset, None]
    return go.Scatter(
        name=_("Due date → completion"),
        mode="lines",
        x=xs,
        y=ys,
        line={"color": MUTED, "width": 1.5, "dash": "dot"},
        hoverinfo="skip",
    )


def roadmap_gantt(
    windows: Sequence[PhaseWindow],
    milestones: Sequence[MilestoneState],
    today: date,
    *,
    narrow: bool = False,
) -> go.Figure:
    first, last = chart_range(windows, milestones, today)
    shown = (first, last)
    traces = [_bars(windows, last), _slips(milestones, shown)]
    traces += [
        _diamonds(milestones, False, shown, narrow),
        _diamonds(milestones, True, shown, narrow),
    ]
    if any(not first <= d <= last for m in milestones if (d := _shown_date(m))):
        traces.append(_beyond(milestones, shown, narrow))
    figure = go.Figure(traces)
    passed = [w for w in windows if w.start is None]
    for w in passed:
        figure.add_annotation(
            x=first.isoformat(), y=w.phase, text=_("passed before the roadmap started"),
            showarrow=False, xanchor="left", font={"color": MUTED, "size": 11},
        )  # fmt: skip
    figure.add_shape(
        type="line", x0=today.isoformat(), x1=today.isoformat(), yref="paper", y0=0, y1=1,
        line={"color": BAD, "width": 2, "dash": "dash"},
    )  # fmt: skip
    figure.add_annotation(
        x=today.isoformat(), y=1, yref="paper", yanchor="bottom", showarrow=False,
        text=_("Today %(day)s") % {"day": _day(today)}, font={"color": BAD, "size": 12},
    )  # fmt: skip
    figure.update_layout(
        font={**FONT, "size": 11} if narrow else FONT,
        separators=separators(),
        paper_bgcolor="white",
        plot_bgcolor="white",
        height=(170 + 90 * len(windows)) if narrow else (130 + 70 * len(windows)),
        margin={"l": 34, "r": 12, "t": 40, "b": 40}
        if narrow
        else {"l": 190, "r": 30, "t": 40, "b": 40},
        barmode="overlay",
        showlegend=True,
        legend={"orientation": "h", "y": -0.15, "x": 0, **({"yanchor": "top"} if narrow else {})},
        xaxis={
            "type": "date",
            "range": [first.isoformat(), last.isoformat()],
            "tick0": first.isoformat(),
            "dtick": "M6" if narrow else "M3",
            "tickformat": "Q%q<br>%Y" if narrow else "Q%q %Y",
            "showgrid": True,
            "gridcolor": "#e6e9ef",
        },
        yaxis={
            "tickvals": [w.phase for w in windows],
            # On a phone the lanes are numbered; the phase cards above name them.
            "ticktext": [
                _("P%(phase)s") % {"phase": w.phase} if narrow else _lane_label(w) for w in windows
            ],
            "range": [len(windows) + 0.6, 0.4],
            "showgrid": False,
            "zeroline": False,
        },
    )
    return figure
