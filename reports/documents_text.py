"""Short texts the slides and the Word document share, so both say what the PDF says:
numbers rounded by `display_round`, statuses as a symbol and a word (never colour
alone), gaps computed from the values as shown, the use-case gate as a count."""

from __future__ import annotations

from common.display import display_round, format_score, percentile_short


def dimension_status(d: dict) -> str:
    if d["insufficient"] or d["score"] is None:
        return "Not enough answers to score"
    if d["score"] >= 60:
        return "✓ Strength"
    if d["score"] >= 40:
        return "▲ Developing"
    return "✗ Gap"


def criterion_status(criterion) -> list[str]:
    """Required, actual, gap and status of a gate criterion; the gap from the shown
    values, so that the column adds up; the use-case gate as a count."""
    if criterion.kind == "use_cases":
        required, actual = int(criterion.required), int(criterion.actual or 0)
        return [
            f"{required} use cases",
            f"{actual} of {required} use cases",
            str(max(0, required - actual)),
            "✓ Met" if criterion.met else "✗ Not met",
        ]
    shown = display_round(criterion.actual)
    required = display_round(criterion.required, 0)
    gap = None if shown is None else max(display_round(0), display_round(required - shown))
    if criterion.met:
        status = "✓ Met"
    elif criterion.insufficient or shown is None:
        status = "✗ Not enough answers to score"
    else:
        status = "✗ Not met"
    return [f"≥ {required}", format_score(shown), format_score(gap), status]


def percentile_text(peers: dict, min_cohort: int) -> tuple[str, str]:
    """The peer percentile KPI: value and label."""
    overall = peers.get("overall") if not peers["suppressed"] else None
    if overall is None or overall.percentile is None:
        return "—", f"Peer percentile: fewer than {min_cohort} comparable organizations"
    return (
        percentile_short(overall.percentile),
        f"percentile among {peers['label'].lower()} (n = {peers['size']})",
    )


def phase_position(phase: dict) -> str:
    return {
        "current": "● You are here",
        "done": "✓ Passed",
        "next": "→ Next",
    }.get(phase["state"], "Later")


def roi_position(comparison) -> str:
    """The portfolio against a band: value, then a symbol and the words."""
    if comparison is None:
        return "No realized value in production yet"
    value = f"{format_score(comparison.value)} %"
    if comparison.position == "within":
        return f"✓ {value}: within the band"
    if comparison.position == "below":
        return f"▼ {value}: below by {format_score(comparison.distance)} points"
    return f"▲ {value}: above by {format_score(comparison.distance)} points"
