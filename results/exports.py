"""What the results app adds to the spreadsheet exports: the roadmap placement, one row
per entry-gate criterion, beside the scores (assessments/exports.py cannot reach the
roadmap app, which sits above it)."""

from __future__ import annotations

import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from assessments.exports import YES_NO, rounded
from assessments.models import Assessment
from assessments.selectors import AssessmentScores
from roadmap import selectors as roadmap_selectors

PLACEMENT_COLUMNS = ["phase", "where", "criterion", "required", "actual", "gap", "met"]


def _headers() -> dict[str, str]:
    """The sheet's column headers in the active language."""
    return {
        "phase": pgettext("placement sheet", "Phase"),
        "where": pgettext("placement sheet", "Where you are"),
        "criterion": pgettext("placement sheet", "Criterion"),
        "required": pgettext("placement sheet", "Required"),
        "actual": pgettext("placement sheet", "Actual"),
        "gap": pgettext("placement sheet", "Gap"),
        "met": pgettext("placement sheet", "Met"),
    }


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
            pgettext("placement sheet", "Reached")
            if phase.phase < placement.phase
            else pgettext("placement sheet", "Current phase")
            if phase.phase == placement.phase
            else pgettext("placement sheet", "Next phase")
            if phase.phase == placement.next_phase
            else pgettext("placement sheet", "Later")
        )
        label = f"{phase.phase} {phase.name}"
        criteria = placement.criteria_of(phase.phase)
        if not criteria:
            rows.append({"phase": label, "where": where, "criterion": _("No entry gate")})
        for c in criteria:
            rows.append({"phase": label, "where": where, **_criterion(c, titles)})
    sheet = pd.DataFrame(rows, columns=PLACEMENT_COLUMNS).rename(columns=_headers())
    return {pgettext("sheet name", "Placement"): sheet}


def _criterion(c, titles: dict) -> dict:
    if c.kind == "use_cases":
        actual = int(c.actual or 0)
        required = int(c.required)
        return {
            "criterion": _("Use cases in production or scaled: %(actual)s of %(required)s")
            % {"actual": actual, "required": required},
            "required": required,
            "actual": actual,
            "gap": max(0, required - actual),
            "met": YES_NO[c.met],
        }
    shown = rounded(c.actual)
    return {
        "criterion": _("%(dimension)s at least %(required)s")
        % {"dimension": titles.get(c.dimension, c.dimension), "required": f"{c.required:g}"},
        "required": c.required,
        "actual": shown,
        "gap": None if shown is None else rounded(max(0.0, c.required - shown)),
        "met": _("No: not enough answers to score")
        if c.insufficient
        else _("No: no score")
        if shown is None
        else YES_NO[c.met],
    }
