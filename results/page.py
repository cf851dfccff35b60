"""What the results page shows, and what every PDF report starts from: scores, charts
and the lists to discuss, built from one assessment's scores, its place on the roadmap
and its benchmarks. The page and the reports read the same `ResultsPage`, so a PDF
never says something the page does not."""

from __future__ import annotations

from dataclasses import dataclass, fields
from enum import StrEnum

from django.conf import settings
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from assessments import charts, selectors
from assessments.confidentiality import OTHER, OTHER_MERGED, level_counts, other_label
from assessments.models import Assessment, ExecutiveRole
from assessments.scoring import MISALIGNMENT_SPREAD
from common.charts import chart_data
from roadmap import selectors as roadmap_selectors
from roadmap.placement import displayed_gap

from . import narrative
from .benchmarks_section import BenchmarksSection, benchmarks_section


class Audience(StrEnum):
    """Who reads the page or the document (shared/DESIGN.md §9): the client's members see
    aggregates only, groups below CONFIDENTIALITY_MIN_GROUP merged or left out; the
    organization's consultants see everything, named."""

    CLIENT = "client"
    CONSULTANT = "consultant"


@dataclass(frozen=True)
class ResultsPage:
    assessment: Assessment
    organization: object
    provisional: bool
    summary: dict
    dimensions: list[dict]
    misalignments: list[dict]
    knowledge_gaps: list[dict]
    pitfalls: list[dict]
    placement: dict
    pitfall_questions: dict
    role_rows: dict
    unit_rows: dict
    # Client audience: the smallest group shown, and what each breakdown merged or left
    # out ("" when nothing); consultants: None and "".
    min_group: int | None
    role_note: str
    unit_note: str
    trend: list[dict]
    # Across bank versions: what the trend compares on, in words ("" on one version).
    trend_note: str
    business_units: list  # `assessments.units.UnitScores`, tree order (DESIGN §10)
    benchmarks: BenchmarksSection
    lead: str  # the summary card's one sentence: where the organization stands
    charts: dict  # figure data, wide: the page on a wide screen and the PDFs
    narrow_charts: dict  # the same charts designed for a phone (the page picks by width)
    audience: Audience
    # The findings as sentences (results.narrative), and the dimensions with not enough
    # answers to score, which are never ranked.
    narrative: list[str]
    unscored: list[dict]
    # Consultants only (DESIGN §11): the assessor's view beside the client's (None when
    # no assessor has answered, and always for client members).
    perception: dict | None = None
    # Claimed and evidence-backed scores side by side (DESIGN §11), for every audience.
    evidence_backed: dict | None = None

    def as_context(self) -> dict:
        """The fields as template variables (shallow: the objects themselves)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def results_page(assessment: Assessment, audience: Audience) -> ResultsPage:
    """The page for its audience (DESIGN §9): consultants see who answered what; client
    members see breakdowns of groups of at least CONFIDENTIALITY_MIN_GROUP submitted
    respondents (smaller ones merged into "Other" or left out, with a note) and, for
    misalignments, how many chose each level, never who."""
    consultant = audience == Audience.CONSULTANT
    min_group = None if consultant else settings.CONFIDENTIALITY_MIN_GROUP
    result = selectors.assessment_scores(assessment, min_group=min_group)
    summary = result.summary
    reference = roadmap_selectors.reference_for_assessment(assessment)
    placement = roadmap_selectors.placement_from_scores(
        result, roadmap_selectors.live_use_cases(assessment.organization_id), reference
    )
    questions = selectors.questions_by_key(assessment.bank)
    dimensions = summary["dimensions"]
    misaligned_keys = [k for d in dimensions for k in d["misaligned_questions"]]
    titles = {d["key"]: d["title"] for d in dimensions}
    role_labels = dict(ExecutiveRole.choices)
    trend, trend_note = _trend(assessment)
    business_units = selectors.business_unit_scores(assessment, min_group=min_group)
    groups = result.groups
    misalignments = [
        {
            "question": questions[key],
            "dimension": titles[summary["questions"][key]["dimension"]],
            "spread": summary["questions"][key]["spread"],
            "value": summary["questions"][key]["value"],
            **spread,
        }
        for key, spread in _misalignment_levels(assessment, misaligned_keys, consultant)
    ]
    knowledge_gaps = [
        {"question": questions[key], "dimension": titles[q["dimension"]], "count": q["dont_know"]}
        for key, q in summary["questions"].items()
        if q["dont_know"]
    ]
    pitfalls = [p for p in summary["pitfalls"] if p["triggered"]]
    bench = benchmarks_section(assessment, result)
    perception = selectors.perception_gap(assessment, summary) if consultant else None
    backed = selectors.evidence_backed(assessment, result.model, summary)
    findings = narrative.findings(
        overall=summary["overall"],
        dimensions=dimensions,
        placement=placement,
        next_criteria=placement.criteria_of(placement.next_phase) if placement.next_phase else (),
        peers=_peer_position(bench.peers),
        pitfalls=pitfalls,
        misaligned=len(misalignments),
        knowledge_gaps=len(knowledge_gaps),
        misalignment_spread=MISALIGNMENT_SPREAD,
    )

    def practice_charts(narrow: bool) -> dict:
        """Consultant practice (DESIGN §11) and business units (§10)."""
        return {
            "units": chart_data(charts.unit_heatmap, business_units, dimensions, narrow=narrow)
            if business_units
            else None,
            "evidence_backed": chart_data(
                charts.side_by_side,
                backed["rows"],
                "claimed",
                "evidence_backed",
                (_("Claimed"), _("Evidence-backed")),
                narrow=narrow,
            ),
            "perception": chart_data(
                charts.side_by_side,
                perception["rows"],
                "client",
                "assessor",
                (_("Client"), _("Assessor")),
                "flagged",
                narrow=narrow,
            )
            if perception
            else None,
        }

    return ResultsPage(
        assessment=assessment,
        organization=assessment.organization,
        provisional=result.provisional,
        summary=summary,
        dimensions=dimensions,
        misalignments=misalignments,
        knowledge_gaps=knowledge_gaps,
        pitfalls=pitfalls,
        placement=_placement_context(placement, reference, titles, questions),
        pitfall_questions={
            p["key"]: [questions[k] for k in p["questions"]] for p in summary["pitfalls"]
        },
        role_rows=_heatmap_rows(summary["by_role"], dimensions, role_labels),
        unit_rows=_heatmap_rows(summary["by_business_unit"], dimensions, {}),
        min_group=min_group,
        role_note=groups["by_role"].note() if "by_role" in groups else "",
        unit_note=groups["by_business_unit"].note() if "by_business_unit" in groups else "",
        trend=trend,
        trend_note=trend_note,
        business_units=business_units,
        benchmarks=bench,
        audience=audience,
        narrative=findings,
        lead=findings[0] if findings else _no_findings(assessment),
        unscored=narrative.unscored_dimensions(dimensions),
        perception=perception,
        evidence_backed=backed,
        charts={
            **_charts(trend, dimensions, summary["by_role"], role_labels, narrow=False),
            **practice_charts(narrow=False),
        },
        narrow_charts={
            **_charts(trend, dimensions, summary["by_role"], role_labels, narrow=True),
            **practice_charts(narrow=True),
        },
    )


def _peer_position(peers: dict) -> dict | None:
    if peers["suppressed"] or not peers.get("overall") or peers["overall"].percentile is None:
        return None
    return {
        "percentile": peers["overall"].percentile,
        "label": peers["label"],
        "size": peers["size"],
    }


def _no_findings(assessment: Assessment) -> str:
    return _("%(organization)s has no scored answers yet.") % {
        "organization": assessment.organization.name
    }


def _charts(trend, dimensions, by_role, role_labels, *, narrow: bool) -> dict:
    return {
        "trend": chart_data(charts.trend, trend, narrow=narrow) if len(trend) > 1 else None,
        "radar": chart_data(charts.radar, dimensions, narrow=narrow),
        "bars": chart_data(charts.dimension_bars, dimensions, narrow=narrow),
        "roles": chart_data(
            charts.alignment_heatmap, by_role, dimensions, role_labels, narrow=narrow
        ),
    }


def _misalignment_levels(assessment: Assessment, keys: list[str], consultant: bool):
    """(question key, what its misalignment shows), in `keys` order.

    `level_counts`: (level, how many chose it), for everyone. `levels`: the pairs to
    show after the question: (role or title, level) for consultants; for client members
    ("Level n", how many), never who.
    """
    if consultant:
        named = selectors.submitted_levels(assessment, keys)
        for key in keys:
            pairs = named.get(key, [])
            yield key, {"levels": pairs, "level_counts": level_counts(lv for _who, lv in pairs)}
    else:
        counts = selectors.level_counts_by_question(assessment, keys)
        for key in keys:
            spread = counts.get(key, [])
            yield (
                key,
                {
                    "levels": [(_("Level %(level)s") % {"level": lv}, n) for lv, n in spread],
                    "level_counts": spread,
                },
            )


def _heatmap_rows(rows: list[dict], dimensions: list[dict], labels: dict) -> dict:
    """Table form of a heatmap: column headers and one row of scores per dimension."""
    # "Other" (small groups merged, client members' view) comes last.
    groups = sorted(
        {r["group"] for r in rows}, key=lambda g: (g in (OTHER, OTHER_MERGED), labels.get(g, g))
    )
    cells = {(r["group"], r["dimension"]): r["score"] for r in rows}
    sizes = {r["group"]: r["respondents"] for r in rows}
    return {
        "columns": [{"label": _group_label(g, labels), "respondents": sizes[g]} for g in groups],
        "rows": [
            {"title": d["title"], "scores": [cells.get((g, d["key"])) for g in groups]}
            for d in dimensions
        ],
    }


def _group_label(group, labels: dict) -> str:
    """A column of a breakdown: its label; the merged group in the reader's language."""
    if group in (OTHER, OTHER_MERGED) and group not in labels:
        return other_label(group)
    return labels.get(group, group) or _("Not given")


def _phase_months(phase) -> str:
    if phase.end_month:
        return _("months %(start)s–%(end)s") % {"start": phase.start_month, "end": phase.end_month}
    return _("from month %(start)s, ongoing") % {"start": phase.start_month}


def _placement_context(placement, reference, titles: dict, questions: dict) -> dict:
    return {
        "placement": placement,
        "points_missing": placement.points_missing_shown,
        "phases": [
            {
                "number": p.phase,
                "name": p.name,
                "months": _("months %(start)s–%(end)s")
                % {"start": p.start_month, "end": p.end_month}
                if p.end_month
                else _("from month %(start)s, ongoing") % {"start": p.start_month},
                "state": "done"
                if p.phase < placement.phase
                else "current"
                if p.phase == placement.phase
                else "next"
                if p.phase == placement.next_phase
                else "later",
            }
            for p in reference.phases
        ],
        "gates": [
            {
                "phase": gate.phase,
                "name": reference.phase(gate.phase).name,
                "criteria": [
                    {
                        "criterion": c,
                        "label": titles.get(c.dimension, c.dimension)
                        if c.kind == "dimension"
                        else _("Use cases in production or scaled"),
                        "gap": displayed_gap(c),
                        "count": narrative.use_cases_phrase(c.actual, c.required)
                        if c.kind == "use_cases"
                        else None,
                    }
                    for c in placement.criteria_of(gate.phase)
                ],
            }
            for gate in reference.gates
        ],
        "recommendations": [
            {
                "recommendation": r,
                "dimension": titles.get(r.dimension, r.dimension),
                "questions": [questions[k] for k in r.questions if k in questions],
            }
            for r in placement.recommendations[:6]
        ],
    }


def trend_point(trend: list[dict], assessment: Assessment) -> dict:
    """`assessment`'s point of the trend, scored on its own when the trend (closed
    assessments and the one viewed) does not hold it."""
    found = next((p for p in trend if p["pk"] == assessment.pk), None)
    return found or next(p for p in _trend(assessment)[0] if p["pk"] == assessment.pk)


def _trend(assessment: Assessment) -> tuple[list[dict], str]:
    points, comparison = selectors.organization_trend_compared(
        assessment.organization_id, include=assessment
    )
    rows = [
        {
            "pk": p["assessment"].pk,
            "label": _trend_label(p["assessment"]),
            "current": p["assessment"].pk == assessment.pk,
            "final": not p["assessment"].is_open,
            "index": p["summary"]["overall"]["index"],
            "dimensions": p["summary"]["dimensions"],
        }
        for p in points
    ]
    return rows, _comparison_note(comparison)


def _comparison_note(comparison) -> str:
    if comparison is None:
        return ""
    older = ", ".join(sorted(comparison.retired))
    new = len(comparison.new)
    left_out = ngettext(
        "%(count)s question new in %(version)s", "%(count)s questions new in %(version)s", new
    ) % {"count": new, "version": comparison.version}
    retired = sum(len(keys) for keys in comparison.retired.values())
    if retired:
        left_out = _("%(first)s and %(last)s") % {
            "first": left_out,
            "last": ngettext(
                "%(count)s question retired from %(versions)s",
                "%(count)s questions retired from %(versions)s",
                retired,
            )
            % {"count": retired, "versions": older},
        }
    return _(
        "The assessments use different question bank versions, so every score in this trend "
        "is computed on the %(shared)s questions of %(version)s that %(older)s also asked "
        "(earlier answers carried over through the version mapping). Left out: %(left_out)s; "
        "the trend's latest point can therefore differ from the headline scores."
    ) % {
        "shared": len(comparison.shared),
        "version": comparison.version,
        "older": older,
        "left_out": left_out,
    }


def _trend_label(assessment: Assessment) -> str:
    when = assessment.closed_at or assessment.created_at
    return f"{assessment.title} ({date_format(when, 'M Y')})"
