"""The benchmarks section of the results page: peer comparison, ROI against the bands,
the projection from baselines, the industry's case studies and the market figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from assessments.models import Assessment
from assessments.selectors import AssessmentScores
from benchmarks import charts, selectors
from benchmarks.peers import MIN_COHORT, PeerComparison
from benchmarks.projection import projection_view
from benchmarks.reference import BenchmarkReference
from common.charts import chart_data
from organizations.models import Industry
from roadmap.models import UseCase

# Market figures that speak to one dimension: the organization's score is shown beside them.
RELATED_DIMENSION = {
    "legacy_it_complicates": "legacy_integration",
    "kubernetes_faster_deployment": "scalable_infrastructure",
    "multicloud_scalability": "scalable_infrastructure",
    "skills_gap_cost": "talent",
    "ml_engineer_demand": "talent",
}


@dataclass(frozen=True)
class BenchmarksSection:
    """What templates/benchmarks/_results.html needs (and nothing about another
    organization beyond cohort statistics over at least `MIN_COHORT` organizations)."""

    min_cohort: int
    reference: BenchmarkReference | None
    peers: dict
    roi: dict
    projection: dict
    case_studies: list
    industry: str
    market: dict
    charts: dict  # wide figures (the page on a wide screen, the PDFs)
    narrow_charts: dict  # the same designed for a phone


def _charts(summary: dict, peers: dict, roi: dict, *, narrow: bool) -> dict:
    peered = not peers["suppressed"]
    return {
        "peer_radar": chart_data(
            charts.peer_radar, summary["dimensions"], peers["medians"], narrow=narrow
        )
        if peered
        else None,
        "percentiles": chart_data(charts.percentile_bars, peers["rows"], narrow=narrow)
        if peered
        else None,
        "quartiles": chart_data(charts.quartile_ranges, peers["rows"], narrow=narrow)
        if peered
        else None,
        "roi": chart_data(
            charts.roi_bands, roi["bands"], roi["points"], roi["portfolio"], narrow=narrow
        )
        if roi["bands"] and (roi["points"] or roi["portfolio"])
        else None,
    }


def benchmarks_section(assessment: Assessment, result: AssessmentScores) -> BenchmarksSection:
    data = selectors.assessment_benchmarks(assessment, result)
    summary = result.summary
    reference = data.reference
    peers = _peers(data.peers, summary)
    roi = _roi(data)
    return BenchmarksSection(
        min_cohort=MIN_COHORT,
        reference=reference,
        peers=peers,
        roi=roi,
        projection=_projection(data),
        case_studies=reference.case_studies_for(assessment.organization.industry)
        if reference
        else [],
        industry=assessment.organization.get_industry_display(),
        market=_market(reference, summary),
        charts=_charts(summary, peers, roi, narrow=False),
        narrow_charts=_charts(summary, peers, roi, narrow=True),
    )


def cohort_label(cohort: str) -> str:
    if cohort.startswith("industry:"):
        key = cohort.removeprefix("industry:")
        label = dict(Industry.choices).get(key, key)
        return _("%(industry)s organizations") % {"industry": label}
    return _("Organizations of all industries")


def _peers(comparison: PeerComparison, summary: dict) -> dict:
    """Table rows for the index and each dimension; when suppressed, only the reason."""
    base = {
        "suppressed": comparison.suppressed,
        "cohort": comparison.cohort,
        "label": cohort_label(comparison.cohort),
        "fallback": comparison.cohort == "all",
    }
    if comparison.suppressed:
        return base
    stats = {s.key: s for s in comparison.dimensions}
    if comparison.overall is not None:
        stats["index"] = comparison.overall
    entries = [("index", _("AI scaling index"), summary["overall"]["index"])] + [
        (d["key"], d["title"], d["score"]) for d in summary["dimensions"]
    ]
    rows = [
        {
            "key": key,
            "title": title,
            "score": score,
            "percentile": stats[key].percentile,
            "median": stats[key].median,
            "q1": stats[key].q1,
            "q3": stats[key].q3,
        }
        for key, title, score in entries
        if key in stats
    ]
    return {
        **base,
        "size": comparison.size,
        "rows": rows,
        "overall": stats.get("index"),
        "medians": {r["key"]: r["median"] for r in rows},
    }


def _roi(data: selectors.AssessmentBenchmarks) -> dict:
    """Bands, and per use case and for the portfolio one cell per band (None: no value)."""
    bands = [
        {"metric": b.metric, "title": b.title, "low": b.low, "high": b.high, "source": b.source}
        for b in (data.reference.roi_bands if data.reference else ())
    ]
    use_cases = []
    points = []
    for use_case, compared in data.use_cases:
        cells = {c.metric: {"basis": basis, "comparison": c} for basis, c in compared}
        use_cases.append(
            {
                "name": use_case.name,
                "stage": use_case.stage,
                # The stage's choice label, in the reader's language.
                "stage_label": str(dict(UseCase.Stage.choices).get(use_case.stage, use_case.stage)),
                "cells": [cells.get(b["metric"]) for b in bands],
            }
        )
        points += [
            {
                "name": use_case.name,
                "metric": m,
                "value": c["comparison"].value,
                "basis": c["basis"],
            }
            for m, c in cells.items()
        ]
    portfolio = {c.metric: c for c in data.portfolio}
    return {
        "bands": bands,
        "use_cases": use_cases,
        "portfolio_cells": [portfolio.get(b["metric"]) for b in bands],
        "points": points,
        "portfolio": [{"metric": c.metric, "value": c.value} for c in data.portfolio],
    }


def _projection(data: selectors.AssessmentBenchmarks) -> dict:
    return {
        "baseline": data.baseline,
        **projection_view(
            selectors.baselines_of(data.baseline),
            data.projection,
            data.payback,
            data.reference.roi_bands if data.reference else [],
        ),
    }


def _market(reference, summary: dict) -> dict:
    """The 87 % / 13 % split with where this maturity level falls, and the other market
    figures beside the organization's score on the dimension each speaks to."""
    if reference is None:
        return {"stuck": None, "core": None, "position": None, "figures": []}
    level = summary["overall"]["level"]
    position = None
    if level is not None:
        position = "stuck" if level <= 2 else "core" if level >= 4 else "between"
    scores = {d["key"]: d for d in summary["dimensions"]}
    split = {"stuck_in_poc", "ai_in_core_processes"}
    return {
        "stuck": reference.figure("stuck_in_poc"),
        "core": reference.figure("ai_in_core_processes"),
        "level": level,
        "level_name": summary["overall"]["level_name"],
        "position": position,
        "figures": [
            {"figure": f, "dimension": scores.get(RELATED_DIMENSION.get(f.key, ""))}
            for f in reference.market_figures
            if f.key not in split
        ],
    }
