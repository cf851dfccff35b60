"""Short texts the slides and the Word document share, so both say what the PDF says:
numbers rounded by `display_round`, statuses as a symbol and a word (never colour
alone), gaps computed from the values as shown, the use-case gate as a count. In the
active language (the report's)."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from common.display import display_round, format_score, percentile_short

from .templatetags.report_i18n import mid_sentence


def long_date(day) -> str:
    """A date as the reader's language writes it in full: "2 December 2026" (with the
    project's English formats), "2. Dezember 2026"."""
    return formats.date_format(day, "DATE_FORMAT")


def short_date(day) -> str:
    return formats.date_format(day, "SHORT_DATE_FORMAT")


def dimension_status(d: dict) -> str:
    if d["insufficient"] or d["score"] is None:
        return _("Not enough answers to score")
    if d["score"] >= 60:
        return "✓ " + pgettext("dimension status", "Strength")
    if d["score"] >= 40:
        return "▲ " + pgettext("dimension status", "Developing")
    return "✗ " + pgettext("dimension status", "Gap")


def criterion_status(criterion) -> list[str]:
    """Required, actual, gap and status of a gate criterion; the gap from the shown
    values, so that the column adds up; the use-case gate as a count."""
    met, not_met = pgettext("gate criterion", "Met"), pgettext("gate criterion", "Not met")
    if criterion.kind == "use_cases":
        required, actual = int(criterion.required), int(criterion.actual or 0)
        return [
            ngettext("%(n)s use case", "%(n)s use cases", required) % {"n": required},
            ngettext(
                "%(actual)s of %(required)s use case",
                "%(actual)s of %(required)s use cases",
                required,
            )
            % {"actual": actual, "required": required},
            str(max(0, required - actual)),
            f"✓ {met}" if criterion.met else f"✗ {not_met}",
        ]
    shown = display_round(criterion.actual)
    required = display_round(criterion.required, 0)
    gap = None if shown is None else max(display_round(0), display_round(required - shown))
    if criterion.met:
        status = f"✓ {met}"
    elif criterion.insufficient or shown is None:
        status = "✗ " + _("Not enough answers to score")
    else:
        status = f"✗ {not_met}"
    return [f"≥ {format_score(required, 0)}", format_score(shown), format_score(gap), status]


def percentile_text(peers: dict, min_cohort: int) -> tuple[str, str]:
    """The peer percentile KPI: value and label."""
    overall = peers.get("overall") if not peers["suppressed"] else None
    if overall is None or overall.percentile is None:
        return "—", _("Peer percentile: fewer than %(n)s comparable organizations") % {
            "n": min_cohort
        }
    return (
        percentile_short(overall.percentile),
        _("percentile among %(cohort)s (n = %(size)s)")
        % {"cohort": mid_sentence(peers["label"]), "size": peers["size"]},
    )


def phase_position(phase: dict) -> str:
    return {
        "current": "● " + _("You are here"),
        "done": "✓ " + pgettext("roadmap phase", "Passed"),
        "next": "→ " + pgettext("roadmap phase", "Next"),
    }.get(phase["state"], pgettext("roadmap phase", "Later"))


def roi_position(comparison) -> str:
    """The portfolio against a band: value, then a symbol and the words."""
    if comparison is None:
        return _("No realized value in production yet")
    value = f"{format_score(comparison.value)} %"
    points = format_score(comparison.distance)
    if comparison.position == "within":
        return _("✓ %(value)s: within the band") % {"value": value}
    if comparison.position == "below":
        return _("▼ %(value)s: below by %(points)s points") % {"value": value, "points": points}
    return _("▲ %(value)s: above by %(points)s points") % {"value": value, "points": points}
