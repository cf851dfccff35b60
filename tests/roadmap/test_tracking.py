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
        (date(2040, 1, 1), milestones(0, 1, phase=4, due=date(2039, 1, 1)), PhaseStatus.AT_RISK),
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
