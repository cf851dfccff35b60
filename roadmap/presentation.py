"""The roadmap as people read it: phase cards with the reason for each status, the
Gantt chart, and the milestones at risk, next and done. The roadmap page and the PDF
reports both show this one view, so they never disagree."""

from __future__ import annotations

from dataclasses import dataclass

from common.charts import figure_data

from . import charts, tracking
from .models import MilestoneStatus
from .selectors import RoadmapTracking

NEXT_SHOWN = 5


@dataclass(frozen=True)
class TrackingView:
    state: RoadmapTracking
    phases: list[dict]  # one card per phase: {"progress", "explanation"}
    phase_names: dict[int, str]
    status_rule: tuple[tuple[str, str], ...]  # how a phase gets its status, in words
    chart: dict  # the Gantt chart as figure data (wide: the page and the PDFs)
    narrow_chart: dict  # the same designed for a phone
    outside_chart: list  # milestones dated beyond the chart's range, listed under it
    risks: list  # open milestones that are blocked, overdue or at risk
    next: list  # the next open milestones by due date, risks excluded
    done: list

    @property
    def today(self):
        return self.state.today


def tracking_view(state: RoadmapTracking) -> TrackingView:
    today = state.today
    risks = [m for m in state.milestones if getattr(m, "problem", None) is not None]
    upcoming = sorted(
        (m for m in state.milestones if m.status != MilestoneStatus.DONE and m.due_date),
        key=lambda m: m.due_date,
    )
    beyond = charts.outside_range(state.windows, state.states, today)
    return TrackingView(
        state=state,
        phases=[{"progress": p, "explanation": tracking.explain(p, today)} for p in state.phases],
        phase_names={p.phase: p.name for p in state.phases},
        status_rule=tracking.status_rule(),
        chart=figure_data(charts.roadmap_gantt(state.windows, state.states, today)),
        narrow_chart=figure_data(
            charts.roadmap_gantt(state.windows, state.states, today, narrow=True)
        ),
        outside_chart=[
            m for m, s in zip(state.milestones, state.states, strict=True) if s in beyond
        ],
        risks=risks,
        next=[m for m in upcoming if m not in risks][:NEXT_SHOWN],
        done=[m for m in state.milestones if m.status == MilestoneStatus.DONE],
    )
