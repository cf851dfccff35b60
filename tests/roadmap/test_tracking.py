"""DESIGN §6 on the pure tracking module: planned windows and phase status from a
fixed `today` (no database, no clock)."""

from datetime import date
from pathlib import Path

import pytest

from roadmap.reference import load_roadmap_file
from roadmap.tracking import (
    MilestoneState,
    PhaseStatus,
    PhaseWindow,
    add_months,
    explain,
    overall_status,
    phase_progress,
    phase_status,
    planned_windows,
    recommendation_plan,
    roadmap_progress,
    template_due_date,
)

ROOT = Path(__file__).resolve().parents[2]
PHASES = load_roadmap_file(ROOT / "roadmap" / "data" / "roadmap-2026.1.yaml").phases

# Phase 2 of a roadmap starting in phase 2 on 1 Apr 2026: six calendar months.
PILOT = PhaseWindow(2, "Pilot Expansion", date(2026, 4, 1), date(2026, 9, 30))  # 183 days
ONGOING = PhaseWindow(4, "Continuous Optimization", date(2027, 7, 1), None)
PASSED = PhaseWindow(1, "Foundation", None, None)


def milestones(done: int, open_: int, phase: int = 2, due: date | None = None):
    return [MilestoneState(phase, "done", completed_on=date(2026, 5, 1))] * done + [
        MilestoneState(phase, "in_progress", due_date=due)
    ] * open_


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2026, 1, 1), 3, date(2026, 4, 1)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # the month's last day
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year
        (date(2026, 11, 15), 3, date(2027, 2, 15)),  # across a year
        (date(2026, 5, 31), 18, date(2027, 11, 30)),
    ],
)
def test_add_months_counts_calendar_months(day, months, expected):
    assert add_months(day, months) == expected


def test_windows_from_phase_1_follow_the_month_spans():
    windows = planned_windows(PHASES, date(2026, 1, 1), 1)
    assert [(w.phase, w.start, w.end) for w in windows] == [
        (1, date(2026, 1, 1), date(2026, 3, 31)),  # months 1–3
        (2, date(2026, 4, 1), date(2026, 9, 30)),  # months 4–9
        (3, date(2026, 10, 1), date(2027, 6, 30)),  # months 10–18
        (4, date(2027, 7, 1), None),  # ongoing
    ]
    assert windows[3].ongoing and not any(w.passed for w in windows)


def test_windows_from_phase_2_begin_at_the_start_date_and_skip_the_passed_phase():
    windows = planned_windows(PHASES, date(2026, 3, 15), 2)
    assert windows[0].passed and windows[0].start is None and windows[0].end is None
    assert [(w.phase, w.start, w.end) for w in windows[1:]] == [
        (2, date(2026, 3, 15), date(2026, 9, 14)),  # 6 months
        (3, date(2026, 9, 15), date(2027, 6, 14)),  # 9 months
        (4, date(2027, 6, 15), None),
    ]


def test_windows_from_a_month_end_do_not_drift():
    windows = planned_windows(PHASES, date(2026, 1, 31), 1)
    assert [(w.start, w.end) for w in windows[:3]] == [
        (date(2026, 1, 31), date(2026, 4, 29)),  # 31 Jan + 3 months = 30 Apr
        (date(2026, 4, 30), date(2026, 10, 30)),  # 31 Jan + 9 months = 31 Oct
        (date(2026, 10, 31), date(2027, 7, 30)),  # 31 Jan + 18 months = 31 Jul
    ]
    assert windows[3].start == date(2027, 7, 31)


def test_a_roadmap_starting_in_phase_4_is_ongoing_from_the_start():
    windows = planned_windows(PHASES, date(2026, 1, 1), 4)
    assert [w.passed for w in windows] == [True, True, True, False]
    assert (windows[3].start, windows[3].end) == (date(2026, 1, 1), None)


def test_template_milestones_are_due_at_the_end_of_the_window():
    assert template_due_date(PILOT) == date(2026, 9, 30)
    assert template_due_date(ONGOING) == date(2027, 10, 1)  # start + 3 months
    assert template_due_date(PASSED) is None


@pytest.mark.parametrize(
    ("today", "done", "open_", "status"),
    [
        # before the window: not started, even with some work done early
        (date(2026, 3, 31), 0, 3, PhaseStatus.NOT_STARTED),
        (date(2026, 3, 31), 1, 2, PhaseStatus.NOT_STARTED),
        # first day: nothing elapsed yet, so nothing can be behind
        (date(2026, 4, 1), 0, 3, PhaseStatus.ON_TRACK),
        # half-way (92 of 183 days gone ≈ 50.3 %)
        (date(2026, 7, 2), 2, 2, PhaseStatus.AT_RISK),  # 50 % done < 50.3 %
        (date(2026, 7, 1), 2, 2, PhaseStatus.ON_TRACK),  # 91 days gone ≈ 49.7 % ≤ 50 %
        (date(2026, 7, 2), 3, 2, PhaseStatus.ON_TRACK),  # 60 % done
        (date(2026, 5, 1), 0, 3, PhaseStatus.AT_RISK),  # 30 days gone, nothing done
        # last day of the window, work open: at risk, not yet late
        (date(2026, 9, 30), 2, 1, PhaseStatus.AT_RISK),
        # past the window with work open: late
        (date(2026, 10, 1), 2, 1, PhaseStatus.LATE),
        (date(2027, 1, 1), 0, 1, PhaseStatus.LATE),
        # all done: done, whenever
        (date(2026, 5, 1), 3, 0, PhaseStatus.DONE),
        (date(2027, 1, 1), 3, 0, PhaseStatus.DONE),
        (date(2026, 3, 1), 1, 0, PhaseStatus.DONE),
        # nothing planned: never done, never late
        (date(2026, 5, 1), 0, 0, PhaseStatus.EMPTY),
        (date(2027, 1, 1), 0, 0, PhaseStatus.EMPTY),
    ],
)
def test_phase_status_from_a_fixed_today(today, done, open_, status):
    assert phase_status(PILOT, milestones(done, open_), today) == status


@pytest.mark.parametrize(
    ("today", "states", "status"),
    [
        (date(2027, 6, 30), milestones(0, 2, phase=4), PhaseStatus.NOT_STARTED),
        (date(2040, 1, 1), milestones(1, 2, phase=4), PhaseStatus.ON_TRACK),  # never late
        (date(2040, 1, 1), milestones(0, 1, phase=4, due=date(2039, 1, 1)), PhaseStatus.BLOCKED),
        (date(2028, 1, 1), milestones(0, 1, phase=4, due=date(2028, 1, 1)), PhaseStatus.ON_TRACK),
        (date(2040, 1, 1), milestones(2, 0, phase=4), PhaseStatus.DONE),
    ],
)
def test_the_ongoing_phase_is_never_late(today, states, status):
    assert phase_status(ONGOING, states, today) == status


@pytest.mark.parametrize(
    ("states", "status"),
    [
        ([], PhaseStatus.PASSED),
        (milestones(1, 0, phase=1), PhaseStatus.DONE),
        (milestones(1, 1, phase=1), PhaseStatus.LATE),  # open work in a phase left behind
    ],
)
def test_a_passed_phase_is_passed_done_or_late(states, status):
    assert phase_status(PASSED, states, date(2026, 5, 1)) == status


def test_progress_counts_the_phase_own_milestones_only():
    states = [*milestones(2, 1), *milestones(5, 5, phase=3)]
    progress = phase_progress(PILOT, states, date(2026, 5, 1))
    assert (progress.done, progress.total, progress.percent) == (2, 3, 67)
    assert progress.elapsed == pytest.approx(30 / 183)
    assert progress.status == PhaseStatus.ON_TRACK
    assert (progress.label, progress.symbol) == ("On track", "●")


def test_every_status_has_a_word_and_a_symbol():
    for status in PhaseStatus:
        progress = phase_progress(PILOT, [], date(2026, 5, 1))
        progress = type(progress)(progress.window, 0, 0, status, None)
        assert progress.label and progress.symbol
        assert explain(progress, date(2026, 5, 1))


def test_the_overall_status_is_the_worst_phase():
    windows = planned_windows(PHASES, date(2026, 1, 1), 1)
    states = [*milestones(1, 0, phase=1), *milestones(0, 2, phase=2)]
    phases = roadmap_progress(windows, states, date(2026, 6, 1))
    assert [p.status for p in phases] == [
        PhaseStatus.DONE,
        PhaseStatus.AT_RISK,
        PhaseStatus.NOT_STARTED,
        PhaseStatus.NOT_STARTED,
    ]
    assert overall_status(phases) == PhaseStatus.AT_RISK
    late = roadmap_progress(windows, states, date(2026, 10, 1))
    assert overall_status(late) == PhaseStatus.LATE


def test_explanations_name_the_numbers():
    at_risk = phase_progress(PILOT, milestones(0, 3), date(2026, 7, 2))
    assert explain(at_risk, date(2026, 7, 2)) == (
        "Behind plan: 0 % done with 50 % of the window gone."
    )
    late = phase_progress(PILOT, milestones(2, 1), date(2026, 10, 1))
    assert explain(late, date(2026, 10, 1)) == (
        "The window ended 30 Sep 2026 with 1 milestone open."
    )


WINDOWS = planned_windows(PHASES, date(2026, 1, 1), 1)  # phase 2: Apr–Sep 2026


@pytest.mark.parametrize(
    ("horizon", "today", "expected"),
    [
        # a quick win lands in the phase under way and is due 90 days on
        ("quick_win", date(2026, 2, 1), (1, date(2026, 2, 1), date(2026, 5, 2))),
        ("quick_win", date(2026, 5, 1), (2, date(2026, 5, 1), date(2026, 7, 30))),
        # before the roadmap starts: the next phase, still due within 90 days
        ("quick_win", date(2025, 12, 1), (2, date(2025, 12, 1), date(2026, 3, 1))),
        # a strategic move belongs to the next phase's window
        ("strategic", date(2026, 2, 1), (2, date(2026, 4, 1), date(2026, 9, 30))),
        # accepted late in that window: never due less than 90 days out
        ("strategic", date(2026, 9, 1), (2, date(2026, 9, 1), date(2026, 11, 30))),
    ],
)
def test_an_accepted_recommendation_is_planned_inside_its_horizon(horizon, today, expected):
    plan = recommendation_plan(horizon, WINDOWS, 2, today)
    assert (plan.phase, plan.start_date, plan.due_date) == expected


# --- the status rule: blocked or overdue is red whatever the progress, at risk amber -----

DAY = date(2026, 5, 1)  # 30 days into PILOT (16 % of the window gone)
DONE_ = MilestoneState(2, "done", completed_on=date(2026, 4, 20))
ON_TRACK_ = MilestoneState(2, "in_progress", due_date=date(2026, 9, 1))
BLOCKED_ = MilestoneState(2, "blocked", due_date=date(2026, 9, 1))
OVERDUE_ = MilestoneState(2, "in_progress", due_date=date(2026, 4, 30))
LATE_START = MilestoneState(
    2, "not_started", start_date=date(2026, 4, 15), due_date=date(2026, 9, 1)
)
DUE_SOON = MilestoneState(2, "not_started", due_date=date(2026, 5, 10))  # 9 days away


@pytest.mark.parametrize(
    ("states", "status"),
    [
        ([DONE_, DONE_, ON_TRACK_], PhaseStatus.ON_TRACK),
        # red whatever the progress: 9 of 10 done, one blocked or one overdue
        ([*[DONE_] * 9, BLOCKED_], PhaseStatus.BLOCKED),
        ([*[DONE_] * 9, OVERDUE_], PhaseStatus.BLOCKED),
        ([DONE_, BLOCKED_, OVERDUE_], PhaseStatus.BLOCKED),
        # red beats amber
        ([DONE_, BLOCKED_, LATE_START], PhaseStatus.BLOCKED),
        ([DONE_, OVERDUE_, DUE_SOON], PhaseStatus.BLOCKED),
        # amber: one milestone at risk, however far ahead the rest is
        ([*[DONE_] * 9, LATE_START], PhaseStatus.AT_RISK),
        ([*[DONE_] * 9, DUE_SOON], PhaseStatus.AT_RISK),
        # an in-progress milestone past its start date is not at risk
        (
            [DONE_, MilestoneState(2, "in_progress", start_date=date(2026, 4, 2))],
            PhaseStatus.ON_TRACK,
        ),
        # all done: nothing left to be blocked
        ([DONE_, DONE_], PhaseStatus.DONE),
    ],
)
def test_phase_status_table(states, status):
    assert phase_status(PILOT, states, DAY) == status


def test_a_blocked_milestone_makes_even_a_future_or_ongoing_phase_red():
    assert phase_status(PILOT, [BLOCKED_], date(2026, 3, 1)) == PhaseStatus.BLOCKED
    ongoing = [MilestoneState(4, "blocked")]
    assert phase_status(ONGOING, ongoing, date(2028, 1, 1)) == PhaseStatus.BLOCKED


def test_the_red_explanation_counts_the_problems_and_red_is_the_worst_overall():
    progress = phase_progress(PILOT, [*[DONE_] * 8, BLOCKED_, OVERDUE_], DAY)
    assert progress.label == "Blocked or overdue"
    assert explain(progress, DAY) == "Red whatever the progress: 1 milestone blocked, 1 overdue."
    amber = phase_progress(PILOT, [DONE_, DUE_SOON], DAY)
    assert explain(amber, DAY) == "Amber: 1 milestone at risk."
    late = phase_progress(
        PhaseWindow(1, "Foundation", date(2026, 1, 1), date(2026, 3, 31)),
        [MilestoneState(1, "in_progress")],
        DAY,
    )
    assert overall_status([late, progress]) == PhaseStatus.BLOCKED
