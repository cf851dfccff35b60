"""What the results app adds to the spreadsheet exports: the roadmap placement, one row
per entry-gate criterion, beside the scores (assessments/exports.py cannot reach the
roadmap app, which sits above it)."""

from __future__ import annotations

import pandas as pd

from assessments.exports import YES_NO, rounded
from assessments.models import Assessment
from assessments.selectors import AssessmentScores
from roadmap import selectors as roadmap_selectors

PLACEMENT_COLUMNS = [
    "Phase",
    "Where you are",
    "Criterion",
    "Required",
    "Actual",
    "Gap",
    "Met",
]


def placement_sheet(assessment: Assessment, result: AssessmentScores) -> dict[str, pd.DataFrame]:
    """Each phase with where the organization is (reached, current, next, later) and its
    gate's criteria: required, actual as the API rounds it, the gap computed from those
    shown values (so the column adds up to what is shown), met or not."""
    reference = roadmap_selectors.reference_for_assessment(assessment)
    placement = roadmap_selectors.placement_from_scores(
        result, roadmap_selectors.live_use_cases(assessment.organization_id), reference
    )
    titles = {d["key"]: d["title"] for d in result.summary["dimensions"]}
    rows = []
    for phase in reference.phases:
        where = (
            "Reached"
            if phase.phase < placement.phase
            else "Current phase"
            if phase.phase == placement.phase
            else "Next phase"
            if phase.phase == placement.next_phase
            else "Later"
        )
        label = f"{phase.phase} {phase.name}"
        criteria = placement.criteria_of(phase.phase)
        if not criteria:
            rows.append({"Phase": label, "Where you are": where, "Criterion": "No entry gate"})
        for c in criteria:
            rows.append({"Phase": label, "Where you are": where, **_criterion(c, titles)})
    return {"Placement": pd.DataFrame(rows, columns=PLACEMENT_COLUMNS)}


def _criterion(c, titles: dict) -> dict:
    if c.kind == "use_cases":
        actual = int(c.actual or 0)
        required = int(c.required)
        return {
            "Criterion": f"Use cases in production or scaled: {actual} of {required}",
            "Required": required,
            "Actual": actual,
            "Gap": max(0, required - actual),
            "Met": YES_NO[c.met],
        }
    shown = rounded(c.actual)
    return {
        "Criterion": f"{titles.get(c.dimension, c.dimension)} at least {c.required:g}",
        "Required": c.required,
        "Actual": shown,
        "Gap": None if shown is None else rounded(max(0.0, c.required - shown)),
        "Met": "No: not enough answers to score"
        if c.insufficient
        else "No: no score"
        if shown is None
        else YES_NO[c.met],
    }
