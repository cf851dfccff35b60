"""What each report shows, composed from the results page (`ResultsPage`) and the
roadmap's `TrackingView`, so a PDF never says something the pages do not. Each kind's
builder adds its sections to the page's context and names the figures to draw
(`pdf_charts`: name → (figure data, width in CSS pixels)); `reports.rendering` turns
those into SVG and the whole into a PDF.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from assessments import charts, selectors
from assessments.models import Answer, Assessment, ExecutiveRole, Question, Respondent
from assessments.scoring import MIN_COVERAGE, MISALIGNMENT_SPREAD
from common.charts import figure_data
from common.display import display_round
from roadmap import selectors as roadmap_selectors
from roadmap.models import Roadmap
from roadmap.presentation import TrackingView, tracking_view

from . import narrative
from .page import Audience, results_page, trend_point

STRENGTHS_SHOWN = 3


class ReportUnavailable(Exception):
    """This report cannot be made for this assessment (not retried)."""


def report_context(assessment: Assessment, today: date, audience: Audience) -> dict:
    """The results page's context (for that audience) plus what every report shows."""
    context = results_page(assessment, audience).as_context()
    roi = context["benchmarks"].roi
    context["roi_rows"] = list(zip(roi["bands"], roi["portfolio_cells"], strict=True))
    context["today"] = today
    context["bank_version"] = assessment.bank.version
    return context


def _figure(data: dict | None, width: int = 900) -> tuple[dict, int] | None:
    return None if not data else (data, width)


def _charts(**charts: tuple[dict, int] | None) -> dict[str, tuple[dict, int]]:
    return {name: chart for name, chart in charts.items() if chart is not None}


def _headline(context: dict) -> dict:
    """The dashboard, the strongest and weakest questions and the findings (the page's
    narrative)."""
    peers = context["benchmarks"].peers
    medians = peers.get("medians", {}) if not peers["suppressed"] else {}
    rows = [
        {**d, "median": medians.get(d["key"]), "status": _dimension_status(d)}
        for d in context["dimensions"]
    ]
    highlights = narrative.question_highlights(_question_rows(context), STRENGTHS_SHOWN)
    return {
        "strengths": highlights.strengths,
        "gaps": highlights.gaps,
        "dashboard": rows,
        "findings": context["narrative"],
        "level_description": _level_description(context["assessment"], context["summary"]),
    }


def _question_rows(context: dict) -> list[dict]:
    """Every question with a score, of the dimensions with enough evidence to rank."""
    ranked = {d["key"]: d["title"] for d in narrative.scored_dimensions(context["dimensions"])}
    questions = selectors.questions_by_key(context["assessment"].bank)
    return [
        {"question": questions[key], "dimension": ranked[q["dimension"]], "score": q["score"]}
        for key, q in context["summary"]["questions"].items()
        if q["dimension"] in ranked and key in questions
    ]


def _dimension_status(d: dict) -> str:
    if d["insufficient"] or d["score"] is None:
        return "Not enough answers to score"
    if d["score"] >= narrative.STRENGTH_AT_LEAST:
        return "Strength"
    if d["score"] >= narrative.GAP_BELOW:
        return "Developing"
    return "Gap"


def _level_description(assessment: Assessment, summary: dict) -> str:
    level = summary["overall"]["level"]
    for band in assessment.bank.definition_in().get("maturity_levels", []):
        if band.get("level") == level:
            return band.get("description", "")
    return ""


def _next_gate(context: dict) -> list[dict]:
    placement = context["placement"]
    nxt = placement["placement"].next_phase
    gate = next((g for g in placement["gates"] if g["phase"] == nxt), None)
    return gate["criteria"] if gate else []


def executive_summary(context: dict, today: date) -> dict:
    bench = context["benchmarks"]
    radar = bench.charts["peer_radar"] or context["charts"]["radar"]
    context.update(_headline(context))
    recommendations = context["placement"]["recommendations"]
    context.update(
        {
            "next_gate": _next_gate(context),
            "quick_wins": [
                r for r in recommendations if r["recommendation"].horizon == "quick_win"
            ][:3],
            "strategic": [r for r in recommendations if r["recommendation"].horizon != "quick_win"][
                :3
            ],
            "pdf_charts": _charts(radar=_figure(radar, 760)),
        }
    )
    return context


def full_assessment(context: dict, today: date) -> dict:
    assessment = context["assessment"]
    bench = context["benchmarks"]
    context.update(_headline(context))
    context.update(
        {
            "next_gate": _next_gate(context),
            "dimension_sections": _dimension_sections(context),
            "methodology": _methodology(assessment, context),
            "appendix": _answers_appendix(assessment)
            if context["audience"] == Audience.CONSULTANT
            else _answers_unattributed(assessment),
            "levels": assessment.bank.definition_in().get("maturity_levels", []),
            "tracking": _tracking(assessment, today),
        }
    )
    tracking = context["tracking"]
    # The full report shows the assessor's view to every edition (scores only, nobody
    # named); the results page keeps it for consultants.
    perception = context["perception"] or selectors.perception_gap(assessment, context["summary"])
    context["perception"] = perception
    context["pdf_charts"] = _charts(
        evidence_backed=_figure(context["charts"]["evidence_backed"]),
        perception=_figure(
            figure_data(
                charts.side_by_side(
                    perception["rows"],
                    "client",
                    "assessor",
                    (_("Executives"), _("Assessor")),
                    "flagged",
                )
            )
        )
        if perception
        else None,
        radar=_figure(bench.charts["peer_radar"] or context["charts"]["radar"], 760),
        bars=_figure(context["charts"]["bars"]),
        roles=_figure(context["charts"]["roles"]) if context["role_rows"]["columns"] else None,
        trend=_figure(context["charts"]["trend"]),
        percentiles=_figure(bench.charts["percentiles"]),
        quartiles=_figure(bench.charts["quartiles"]),
        roi=_figure(bench.charts["roi"]),
        gantt=_figure(tracking.chart, 1000) if tracking else None,
    )
    return context


def roadmap_progress(context: dict, today: date) -> dict:
    roadmap = _roadmap(context["assessment"])
    tracking = _tracking(context["assessment"], today)
    if roadmap is None or tracking is None:
        raise ReportUnavailable(
            "The roadmap progress report needs a roadmap: start one on the roadmap page."
        )
    # "First" is the assessment the roadmap started from, whatever was closed before or
    # after it: the change is the roadmap's.
    baseline = trend_point(context["trend"], roadmap.assessment)
    first = {d["key"]: d["score"] for d in baseline["dimensions"]}
    context.update(
        {
            "tracking": tracking,
            "changes": [
                {
                    "title": d["title"],
                    "first": first.get(d["key"]),
                    "now": d["score"],
                    "change": _change(first.get(d["key"]), d["score"]),
                }
                for d in context["dimensions"]
            ],
            "first_label": baseline["label"],
            "pdf_charts": _charts(
                gantt=_figure(tracking.chart, 1000),
                roi=_figure(context["benchmarks"].charts["roi"]),
                trend=_figure(context["charts"]["trend"]),
            ),
        }
    )
    return context


def _change(first: float | None, now: float | None) -> Decimal | None:
    """Now − First as the two are displayed, so the three columns agree."""
    if first is None or now is None:
        return None
    return display_round(now) - display_round(first)


def _roadmap(assessment: Assessment) -> Roadmap | None:
    return (
        Roadmap.objects.select_related("reference", "assessment__bank", "assessment__organization")
        .filter(organization_id=assessment.organization_id)
        .first()
    )


def _tracking(assessment: Assessment, today: date) -> TrackingView | None:
    """The organization's roadmap as the roadmap page shows it, or None without one."""
    roadmap = _roadmap(assessment)
    if roadmap is None:
        return None
    return tracking_view(roadmap_selectors.roadmap_tracking(roadmap, today))


def _dimension_sections(context: dict) -> list[dict]:
    """Per dimension: its questions with the organization's values, strengths and gaps,
    misalignments, knowledge gaps, peers, gate criteria and recommendations."""
    summary = context["summary"]
    questions = {q.key: q for q in _bank_questions(context["assessment"])}
    peers = context["benchmarks"].peers
    peer_rows = {r["key"]: r for r in peers.get("rows", [])} if not peers["suppressed"] else {}
    recommendations = context["placement"]["placement"].recommendations
    sections = []
    for d in context["dimensions"]:
        rows = [
            {"question": questions[key], **q}
            for key, q in summary["questions"].items()
            if q["dimension"] == d["key"] and key in questions
        ]
        highlights = (
            narrative.Highlights([], [])
            if d["insufficient"] or d["score"] is None
            else narrative.question_highlights(rows, 2)
        )
        sections.append(
            {
                "dimension": d,
                "description": questions[rows[0]["question"].key].dimension.description
                if rows
                else "",
                "rows": rows,
                "strengths": highlights.strengths,
                "gaps": highlights.gaps,
                "misalignments": [
                    m for m in context["misalignments"] if m["dimension"] == d["title"]
                ],
                "knowledge_gaps": [
                    g for g in context["knowledge_gaps"] if g["dimension"] == d["title"]
                ],
                "peer": peer_rows.get(d["key"]),
                "criteria": [
                    {"gate": g, "criterion": item["criterion"], "gap": item["gap"]}
                    for g in context["placement"]["gates"]
                    for item in g["criteria"]
                    if item["criterion"].dimension == d["key"]
                ],
                "recommendations": [r for r in recommendations if r.dimension == d["key"]][:3],
            }
        )
    return sections


def _bank_questions(assessment: Assessment):
    """The bank's questions, their texts in the active language."""
    questions = list(Question.objects.filter(bank=assessment.bank).select_related("dimension"))
    assessment.bank.localize([*questions, *(question.dimension for question in questions)])
    return questions


def _methodology(assessment: Assessment, context: dict) -> dict:
    roles = dict(ExecutiveRole.choices)
    counts = (
        Respondent.objects.filter(assessment=assessment)
        .values("role")
        .annotate(
            invited=Count("id"),
            submitted=Count("id", filter=Q(submitted_at__isnull=False)),
        )
        .order_by("role")
    )
    peers = context["benchmarks"].peers
    return {
        "respondents_by_role": [
            {**c, "role": roles.get(c["role"], c["role"])}
            for c in sorted(counts, key=lambda c: roles.get(c["role"], c["role"]))
        ],
        "min_coverage": f"{MIN_COVERAGE:.0%}",
        "spread": MISALIGNMENT_SPREAD,
        "peers": peers,
        "reference_version": context["benchmarks"].reference.version
        if context["benchmarks"].reference
        else None,
    }


def _answers_appendix(assessment: Assessment) -> list[dict]:
    """Every answer, question by question (bank order), with comments and evidence, each
    under its respondent's name: the consultant edition's named appendix."""
    answers = (
        Answer.objects.of_clients()
        .filter(respondent__assessment=assessment)
        .exclude(kind="", comment="", evidence="")
        .select_related("respondent", "question__dimension")
        .order_by("question__position", "respondent__name", "respondent_id")
    )
    groups: list[dict] = []
    for answer in answers:
        if not groups or groups[-1]["question"].pk != answer.question_id:
            groups.append({"question": answer.question, "answers": []})
        groups[-1]["answers"].append(answer)
    return groups


def _answers_unattributed(assessment: Assessment) -> list[dict]:
    """The client edition's appendix: for each question (bank order), how many submitted
    respondents chose each level (and "Not applicable", "Don't know"), and their comments
    and evidence without name or title. Comments and evidence are sorted by their text,
    so their order does not tell who wrote them either."""
    answers = (
        Answer.objects.of_clients()
        .filter(respondent__assessment=assessment, respondent__submitted_at__isnull=False)
        .exclude(kind="", comment="", evidence="")
        .select_related("question")
        .order_by("question__position", "question_id")
    )
    groups: list[dict] = []
    for answer in answers:
        if not groups or groups[-1]["question"].pk != answer.question_id:
            groups.append(
                {"question": answer.question, "counts": Counter(), "comments": [], "evidence": []}
            )
        group = groups[-1]
        if answer.kind:
            group["counts"][answer.level if answer.kind == Answer.Kind.LEVEL else answer.kind] += 1
        if answer.comment.strip():
            group["comments"].append(answer.comment.strip())
        if answer.evidence.strip():
            group["evidence"].append(answer.evidence.strip())
    return [
        {
            "question": g["question"],
            "answered": sum(g["counts"].values()),
            "counts": _choice_counts(g["counts"]),
            "comments": sorted(g["comments"], key=str.casefold),
            "evidence": sorted(g["evidence"], key=str.casefold),
        }
        for g in groups
    ]


def _choice_counts(counts: Counter) -> list[dict]:
    """Levels 1–5 (those chosen), then "Not applicable" and "Don't know"."""
    labels = dict(Answer.Kind.choices)
    rows = [
        {"label": f"level {level}", "count": counts[level]}
        for level in range(1, 6)
        if counts[level]
    ]
    rows += [
        {"label": labels[kind], "count": counts[kind]}
        for kind in (Answer.Kind.NOT_APPLICABLE, Answer.Kind.DONT_KNOW)
        if counts[kind]
    ]
    return rows
