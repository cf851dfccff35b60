"""The Gantt chart keeps to the roadmap's window: a milestone dated far beyond it is an
arrow at the edge, listed under the chart, instead of stretching the axis; every
milestone is named beside its marker; and saving a milestone due outside its phase's
planned window is allowed with a warning."""

from datetime import date

import pytest

from roadmap import charts
from roadmap.models import Milestone
from roadmap.tracking import MilestoneState, PhaseWindow, due_date_outside_window

from ..pages import find, page, text

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 1)
WINDOWS = (
    PhaseWindow(1, "Foundation", None, None),
    PhaseWindow(2, "Pilot Expansion", date(2026, 1, 1), date(2026, 6, 30)),
    PhaseWindow(3, "Enterprise Rollout", date(2026, 7, 1), date(2027, 3, 31)),
    PhaseWindow(4, "Continuous Optimization", date(2027, 4, 1), None),
)
IN_WINDOW = MilestoneState(2, "not_started", date(2026, 5, 1), title="Train stakeholders")
FAR_AWAY = MilestoneState(4, "not_started", date(2030, 6, 1), title="Retire the old platform")


def test_a_milestone_in_2030_does_not_stretch_the_axis_and_is_flagged_at_the_edge():
    figure = charts.roadmap_gantt(WINDOWS, [IN_WINDOW, FAR_AWAY], TODAY)

    start, end = (date.fromisoformat(d[:10]) for d in figure.layout.xaxis.range)
    # the window (ongoing phase 4 drawn for six months) plus a month, not 2030
    assert start == date(2026, 1, 1) and end < date(2028, 1, 1)
    assert charts.outside_range(WINDOWS, [IN_WINDOW, FAR_AWAY], TODAY) == [FAR_AWAY]
    beyond = next(t for t in figure.data if t.name.startswith("Milestone outside"))
    assert list(beyond.x) == [end.isoformat()]
    assert beyond.marker.symbol == ("triangle-right",)
    assert list(beyond.texttemplate) == ["Retire the old platform (2030)"]
    # within a quarter of the window, a milestone still widens the axis
    near = MilestoneState(4, "not_started", date(2027, 12, 15), title="Near")
    assert charts.outside_range(WINDOWS, [near], TODAY) == []


def test_every_milestone_is_named_beside_its_marker():
    long = MilestoneState(
        3, "done", date(2026, 8, 1), date(2026, 8, 3), "Integrate with business processes"
    )
    figure = charts.roadmap_gantt(WINDOWS, [IN_WINDOW, long], TODAY)
    open_, done = (t for t in figure.data if t.name.startswith("Milestone "))
    assert list(open_.texttemplate) == ["Train stakeholders"]
    assert list(done.texttemplate) == ["Integrate with business p…"]
    assert "outside" not in " ".join(t.name for t in figure.data)
    blocked = MilestoneState(2, "blocked", date(2026, 4, 1), title="Hire a lead")
    (open_, *_) = (
        t
        for t in charts.roadmap_gantt(WINDOWS, [blocked], TODAY).data
        if t.name.startswith("Milestone ")
    )
    assert list(open_.texttemplate) == ["✗ blocked: Hire a lead"]  # not by colour alone
    narrow = charts.roadmap_gantt(WINDOWS, [IN_WINDOW, long], TODAY, narrow=True)
    assert list(narrow.layout.yaxis.ticktext) == ["P1", "P2", "P3", "P4"]
    assert narrow.layout.margin.l < figure.layout.margin.l


@pytest.mark.parametrize(
    "phase, due, reason",
    [
        (2, date(2026, 6, 30), ""),
        (2, None, ""),
        (2, date(2026, 8, 1), "phase 2 ends on 30 Jun 2026"),
        (3, date(2026, 5, 1), "phase 3 starts on 1 Jul 2026"),
        (1, date(2026, 5, 1), "phase 1 passed before the roadmap started"),
        (4, date(2031, 1, 1), ""),  # the ongoing phase has no end
    ],
)
def test_why_a_due_date_is_outside_its_phase_window(phase, due, reason):
    assert due_date_outside_window(WINDOWS[phase - 1], due) == reason


def _messages(response) -> str:
    return text(find(page(response), "ul", class_="messages"))


def test_saving_a_milestone_due_outside_its_phase_window_warns(client, carol, roadmap):
    client.force_login(carol)
    base = f"/organizations/{roadmap.organization_id}/roadmap/milestones"
    data = {"title": "Hire an MLOps lead", "phase": "2", "status": "not_started"}

    inside = client.post(f"{base}/new/", {**data, "due_date": "2026-06-01"}, follow=True)
    assert "outside" not in _messages(inside)

    milestone = Milestone.objects.get(title="Hire an MLOps lead")
    outside = client.post(
        f"{base}/{milestone.pk}/edit/", {**data, "due_date": "2030-06-01"}, follow=True
    )
    warning = _messages(outside)
    assert "“Hire an MLOps lead” is due 1 Jun 2030, outside its phase's planned window" in warning
    assert "phase 2 ends on 30 Jun 2026" in warning
    milestone.refresh_from_db()
    assert milestone.due_date == date(2030, 6, 1)  # saved all the same
    # and the timeline lists it rather than stretching the chart's axis
    listed = text(find(page(outside), "div", id="outside-chart"))
    assert "Hire an MLOps lead (phase 2) — due June 1, 2030" in listed


def test_a_milestone_added_in_a_passed_phase_with_a_date_warns(client, carol, roadmap):
    client.force_login(carol)
    created = client.post(
        f"/organizations/{roadmap.organization_id}/roadmap/milestones/new/",
        {
            "title": "Late foundation work",
            "phase": "1",
            "status": "not_started",
            "due_date": "2026-02-01",
        },
        follow=True,
    )
    assert "phase 1 passed before the roadmap started" in _messages(created)
