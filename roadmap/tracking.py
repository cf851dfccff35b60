"""Phase tracking (DESIGN §6). Pure: dates and dataclasses in, dataclasses out; `today`
is always passed in, never read from the clock.

Planned windows follow the month spans of the reference phases (§4), beginning at the
phase the organization was placed in: that phase starts on the roadmap's start date,
each later phase follows the day after the previous one ends, the last phase is ongoing,
and the phases before the starting phase are *passed* (no window).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext, pgettext_lazy

from common.display import display_round

DONE = "done"
EARLIEST_DATE = date(2000, 1, 1)
LATEST_DATE = date(2100, 12, 31)
ONGOING_DUE_MONTHS = 3  # template milestones of the ongoing phase are due 3 months in
AT_RISK_DAYS = 14  # a milestone not started this close to its due date is at risk
QUICK_WIN_DAYS = 90  # the "Quick win (0–90 days)" horizon of a recommendation


class PhaseSpan(Protocol):
    """What a window needs from a reference phase (`reference.Phase` fits)."""

    phase: int
    name: str
    start_month: int
    end_month: int | None


class PhaseStatus(StrEnum):
    PASSED = "passed"
    BLOCKED = "blocked"
    NOT_STARTED = "not_started"
    EMPTY = "empty"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    LATE = "late"
    DONE = "done"


# Status is never shown by colour alone: every status has a word and a symbol.
STATUS_LABELS = {
    PhaseStatus.PASSED: pgettext_lazy("phase status", "Passed"),
    PhaseStatus.BLOCKED: pgettext_lazy("phase status", "Blocked or overdue"),
    PhaseStatus.NOT_STARTED: pgettext_lazy("phase status", "Not started"),
    PhaseStatus.EMPTY: pgettext_lazy("phase status", "No milestones"),
    PhaseStatus.ON_TRACK: pgettext_lazy("phase status", "On track"),
    PhaseStatus.AT_RISK: pgettext_lazy("phase status", "At risk"),
    PhaseStatus.LATE: pgettext_lazy("phase status", "Late"),
    PhaseStatus.DONE: pgettext_lazy("phase status", "Done"),
}
STATUS_SYMBOLS = {
    PhaseStatus.PASSED: "–",
    PhaseStatus.BLOCKED: "■",
    PhaseStatus.NOT_STARTED: "○",
    PhaseStatus.EMPTY: "–",
    PhaseStatus.ON_TRACK: "●",
    PhaseStatus.AT_RISK: "▲",
    PhaseStatus.LATE: "✗",
    PhaseStatus.DONE: "✓",
}
# Worst first: the overall status of a roadmap is its worst phase.
SEVERITY = (
    PhaseStatus.BLOCKED,
    PhaseStatus.LATE,
    PhaseStatus.AT_RISK,
    PhaseStatus.ON_TRACK,
    PhaseStatus.EMPTY,
    PhaseStatus.NOT_STARTED,
    PhaseStatus.DONE,
    PhaseStatus.PASSED,
)


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later (the 31st becomes the month's last day)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@dataclass(frozen=True)
class PhaseWindow:
    phase: int
    name: str
    start: date | None  # None: passed before the roadmap started
    end: date | None  # None with a start: ongoing

    @property
    def passed(self) -> bool:
        return self.start is None

    @property
    def ongoing(self) -> bool:
        return self.start is not None and self.end is None

    @property
    def days(self) -> int | None:
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).days + 1


def planned_windows(
    phases: Sequence[PhaseSpan], start_date: date, starting_phase: int
) -> tuple[PhaseWindow, ...]:
    """The planned window of every phase. Boundaries are counted in whole calendar months
    from the start date (start + n months − 1 day), so that month-end starts do not drift."""
    windows = []
    months = 0
    for phase in phases:
        if phase.phase < starting_phase:
            windows.append(PhaseWindow(phase.phase, phase.name, None, None))
            continue
        start = add_months(start_date, months)
        if phase.end_month is None:
            windows.append(PhaseWindow(phase.phase, phase.name, start, None))
            continue
        months += phase.end_month - phase.start_month + 1
        end = add_months(start_date, months) - timedelta(days=1)
        windows.append(PhaseWindow(phase.phase, phase.name, start, end))
    return tuple(windows)


def template_due_date(window: PhaseWindow) -> date | None:
    """Due date of a phase's template milestones: the end of its window; for the ongoing
    phase, three months after it starts; none for a passed phase."""
    if window.start is None:
        return None
    return window.end or add_months(window.start, ONGOING_DUE_MONTHS)


@dataclass(frozen=True)
class MilestonePlan:
    phase: int
    start_date: date
    due_date: date


def recommendation_plan(
    horizon: str, windows: Sequence[PhaseWindow], next_phase: int, today: date
) -> MilestonePlan:
    """Where an accepted recommendation lands, inside its horizon. A quick win (0–90 days)
    starts today in the phase under way (the next phase when none is) and is due
    `QUICK_WIN_DAYS` later. A strategic move belongs to the next phase: it starts with
    that phase's window (or today, if later) and is due with its template milestones,
    never earlier than a quick win would be."""
    if horizon == "quick_win":
        current = next((w for w in windows if window_contains(w, today)), None)
        phase = current.phase if current is not None else next_phase
        return MilestonePlan(phase, today, today + timedelta(days=QUICK_WIN_DAYS))
    window = next(w for w in windows if w.phase == next_phase)
    start = max(window.start or today, today)
    due = template_due_date(window)
    earliest = today + timedelta(days=QUICK_WIN_DAYS)
    return MilestonePlan(next_phase, start, max(due, earliest) if due else earliest)


@dataclass(frozen=True)
class MilestoneState:
    phase: int
    status: str
    due_date: date | None = None
    completed_on: date | None = None
    title: str = ""
    start_date: date | None = None

    @property
    def is_done(self) -> bool:
        return self.status == DONE


class MilestoneProblem(StrEnum):
    BLOCKED = "blocked"
    OVERDUE = "overdue"
    AT_RISK = "at_risk"

    @property
    def label(self) -> str:
        return MILESTONE_PROBLEM_LABELS[self]


MILESTONE_PROBLEM_LABELS = {
    MilestoneProblem.BLOCKED: pgettext_lazy("milestone problem", "Blocked"),
    MilestoneProblem.OVERDUE: pgettext_lazy("milestone problem", "Overdue"),
    MilestoneProblem.AT_RISK: pgettext_lazy("milestone problem", "At risk"),
}


def status_rule() -> tuple[tuple[str, str], ...]:
    """The status rule in words, in the active language; `phase_status` is its code."""
    return (
        (pgettext("phase status", "Done"), _("every milestone of the phase is done.")),
        (
            _("Blocked or overdue (red)"),
            _(
                "a milestone of the phase is blocked, or open past its due date, whatever "
                "the phase's progress."
            ),
        ),
        (_("Late (red)"), _("the phase's window has ended with milestones open.")),
        (
            _("At risk (amber)"),
            _(
                "a milestone is at risk (not started although its start date has passed, or "
                "due within %(days)s days), or the share of milestones done is below the "
                "share of the window gone."
            )
            % {"days": AT_RISK_DAYS},
        ),
        (pgettext("phase status", "On track"), _("none of the above.")),
    )


def milestone_problem(milestone: MilestoneState, today: date) -> MilestoneProblem | None:
    """Blocked: its status. Overdue: open past its due date. At risk: not started although
    its start date has passed or its due date is less than `AT_RISK_DAYS` away."""
    if milestone.is_done:
        return None
    if milestone.status == "blocked":
        return MilestoneProblem.BLOCKED
    if milestone.due_date is not None and milestone.due_date < today:
        return MilestoneProblem.OVERDUE
    if milestone.status == "not_started" and (
        (milestone.start_date is not None and milestone.start_date <= today)
        or (milestone.due_date is not None and (milestone.due_date - today).days < AT_RISK_DAYS)
    ):
        return MilestoneProblem.AT_RISK
    return None


@dataclass(frozen=True)
class PhaseProgress:
    window: PhaseWindow
    done: int
    total: int
    status: PhaseStatus
    elapsed: float | None  # share of the window behind us (0–1); None without a window
    milestones: tuple[MilestoneState, ...] = ()

    @property
    def phase(self) -> int:
        return self.window.phase

    @property
    def name(self) -> str:
        return self.window.name

    @property
    def share_done(self) -> float | None:
        return self.done / self.total if self.total else None

    @property
    def percent(self) -> int:
        return int(display_round(100 * self.done / self.total, 0)) if self.total else 0

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]

    @property
    def symbol(self) -> str:
        return STATUS_SYMBOLS[self.status]


def elapsed_share(window: PhaseWindow, today: date) -> float | None:
    """Whole days of the window gone before `today`, as a share of its length (0–1)."""
    if window.start is None or window.end is None:
        return None
    gone = (today - window.start).days
    return min(1.0, max(0.0, gone / window.days))


def phase_status(
    window: PhaseWindow, milestones: Sequence[MilestoneState], today: date
) -> PhaseStatus:
    """`status_rule()` in code. 1. Done: at least one milestone and all done. 2. Blocked or
    overdue: a milestone is blocked or open past its due date, whatever the progress.
    3. A passed phase with work open is late, else passed. 4. Not started before the
    window. 5. No milestones. 6. Late: past the window end with work open (never for the
    ongoing phase). 7. At risk: a milestone is at risk, or the done share is below the
    elapsed share of the window. 8. On track."""
    total = len(milestones)
    done = sum(m.is_done for m in milestones)
    if total and done == total:
        return PhaseStatus.DONE
    problems = {milestone_problem(m, today) for m in milestones}
    if problems & {MilestoneProblem.BLOCKED, MilestoneProblem.OVERDUE}:
        return PhaseStatus.BLOCKED
    if window.start is None:
        return PhaseStatus.LATE if total else PhaseStatus.PASSED
    if today < window.start:
        return PhaseStatus.NOT_STARTED
    if not total:
        return PhaseStatus.EMPTY
    if window.end is not None and today > window.end:
        return PhaseStatus.LATE
    if MilestoneProblem.AT_RISK in problems:
        return PhaseStatus.AT_RISK
    if window.end is not None and done / total < elapsed_share(window, today):
        return PhaseStatus.AT_RISK
    return PhaseStatus.ON_TRACK


def phase_progress(
    window: PhaseWindow, milestones: Iterable[MilestoneState], today: date
) -> PhaseProgress:
    """Progress of one phase from the milestones in it (others are ignored)."""
    mine = [m for m in milestones if m.phase == window.phase]
    return PhaseProgress(
        window=window,
        done=sum(m.is_done for m in mine),
        total=len(mine),
        status=phase_status(window, mine, today),
        elapsed=elapsed_share(window, today),
        milestones=tuple(mine),
    )


def roadmap_progress(
    windows: Sequence[PhaseWindow], milestones: Sequence[MilestoneState], today: date
) -> tuple[PhaseProgress, ...]:
    return tuple(phase_progress(w, milestones, today) for w in windows)


def overall_status(phases: Sequence[PhaseProgress]) -> PhaseStatus:
    """The worst status among the phases (late before at risk before on track...)."""
    statuses = {p.status for p in phases}
    return next((s for s in SEVERITY if s in statuses), PhaseStatus.NOT_STARTED)


def window_contains(window: PhaseWindow, day: date) -> bool:
    if window.start is None or day < window.start:
        return False
    return window.end is None or day <= window.end


def day_label(day: date) -> str:
    """1 Apr 2027 in English, 1. April 2027 in German (the language's month names)."""
    return pgettext("day label: day, month, year", "%(day)s %(month)s %(year)s") % {
        "day": day.day,
        "month": _month(day.month),
        "year": day.year,
    }


def _month(number: int) -> str:
    return (
        pgettext("month in a date", "Jan"),
        pgettext("month in a date", "Feb"),
        pgettext("month in a date", "Mar"),
        pgettext("month in a date", "Apr"),
        pgettext("month in a date", "May"),
        pgettext("month in a date", "Jun"),
        pgettext("month in a date", "Jul"),
        pgettext("month in a date", "Aug"),
        pgettext("month in a date", "Sep"),
        pgettext("month in a date", "Oct"),
        pgettext("month in a date", "Nov"),
        pgettext("month in a date", "Dec"),
    )[number - 1]


def _problem_counts(progress: PhaseProgress, today: date) -> str:
    """ "1 milestone blocked, 1 overdue" for the milestones of the phase."""
    counts = {problem: 0 for problem in MilestoneProblem}
    for milestone in progress.milestones:
        problem = milestone_problem(milestone, today)
        if problem is not None:
            counts[problem] += 1
    words = [_problem_count(problem, count) for problem, count in counts.items() if count]
    if not words:
        return ""
    first = next(problem for problem, count in counts.items() if count)
    words[0] = _problem_count(first, counts[first], named=True)
    return ", ".join(words)


def _problem_count(problem: MilestoneProblem, count: int, *, named: bool = False) -> str:
    """ "1 milestone blocked" (named, the first of a list) or "1 overdue"."""
    if problem == MilestoneProblem.BLOCKED:
        text = (
            ngettext("%(count)s milestone blocked", "%(count)s milestones blocked", count)
            if named
            else ngettext("%(count)s blocked", "%(count)s blocked", count)
        )
    elif problem == MilestoneProblem.OVERDUE:
        text = (
            ngettext("%(count)s milestone overdue", "%(count)s milestones overdue", count)
            if named
            else ngettext("%(count)s overdue", "%(count)s overdue", count)
        )
    else:
        text = (
            ngettext("%(count)s milestone at risk", "%(count)s milestones at risk", count)
            if named
            else ngettext("%(count)s at risk", "%(count)s at risk", count)
        )
    return text % {"count": count}


def _milestones(count: int) -> str:
    return ngettext("%(count)s milestone", "%(count)s milestones", count) % {"count": count}


def explain(progress: PhaseProgress, today: date) -> str:
    """One sentence saying why the phase has its status."""
    window, status = progress.window, progress.status
    open_count = progress.total - progress.done
    if status == PhaseStatus.DONE:
        return _("Every milestone is done.")
    if status == PhaseStatus.PASSED:
        return _("Already passed when the roadmap started.")
    if status == PhaseStatus.BLOCKED:
        return _("Red whatever the progress: %(problems)s.") % {
            "problems": _problem_counts(progress, today)
        }
    if window.start is None:
        return _("Passed before the roadmap started, with %(milestones)s open.") % {
            "milestones": _milestones(open_count)
        }
    if status == PhaseStatus.NOT_STARTED:
        return _("Starts %(date)s.") % {"date": day_label(window.start)}
    if status == PhaseStatus.EMPTY:
        return _("No milestone is planned in this phase.")
    if status == PhaseStatus.LATE:
        return _("The window ended %(date)s with %(milestones)s open.") % {
            "date": day_label(window.end),
            "milestones": _milestones(open_count),
        }
    if status == PhaseStatus.AT_RISK and _problem_counts(progress, today):
        return _("Amber: %(problems)s.") % {"problems": _problem_counts(progress, today)}
    if window.end is None:
        return _("Ongoing: no milestone is blocked, overdue or at risk.")
    elapsed = int(display_round(100 * (progress.elapsed or 0), 0))
    if status == PhaseStatus.AT_RISK:
        return _("Behind plan: %(done)s %% done with %(elapsed)s %% of the window gone.") % {
            "done": progress.percent,
            "elapsed": elapsed,
        }
    return _("%(done)s %% done with %(elapsed)s %% of the window gone.") % {
        "done": progress.percent,
        "elapsed": elapsed,
    }


class Attention(StrEnum):
    """Why an open milestone is in the weekly digest (DESIGN §12)."""

    OVERDUE = "overdue"
    AT_RISK = "at_risk"


ATTENTION_LABELS = {
    Attention.OVERDUE: pgettext_lazy("milestone problem", "Overdue"),
    Attention.AT_RISK: pgettext_lazy("milestone problem", "At risk"),
}
ATTENTION_PHASES = (PhaseStatus.AT_RISK, PhaseStatus.LATE, PhaseStatus.BLOCKED)


def milestone_attention(
    milestone: MilestoneState, phase: PhaseStatus, today: date
) -> Attention | None:
    """Overdue: open and past its due date. At risk: open, in a phase that is at risk or
    late (the tracking's own status: behind plan, or its window ended with work open).
    A done milestone, or an open one in a phase on track, needs no attention."""
    if milestone.is_done:
        return None
    if milestone.due_date is not None and milestone.due_date < today:
        return Attention.OVERDUE
    if phase in ATTENTION_PHASES or milestone_problem(milestone, today) is not None:
        return Attention.AT_RISK
    return None


def due_date_outside_window(window: PhaseWindow, due: date | None) -> str:
    """Why a milestone's due date does not fall in its phase's planned window ("" when
    it does, or has no due date): saved anyway, with this as a warning."""
    if due is None or window_contains(window, due):
        return ""
    if window.start is None:
        return _("phase %(phase)s passed before the roadmap started") % {"phase": window.phase}
    if due < window.start:
        return _("phase %(phase)s starts on %(date)s") % {
            "phase": window.phase,
            "date": day_label(window.start),
        }
    return _("phase %(phase)s ends on %(date)s") % {
        "phase": window.phase,
        "date": day_label(window.end),
    }
