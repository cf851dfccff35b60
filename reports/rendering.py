"""What each report shows, and the HTML → PDF pipeline.

The context of every report starts from the results page's own context
(`assessments.results.context`: scores, placement, benchmarks and the plotly figures),
so a PDF never says something the page does not. The roadmap report adds the CoE
tracking (`roadmap.selectors.roadmap_tracking`) and its Gantt chart. Charts are the
page's figures, exported to SVG by `chart_export` and embedded as data: URIs.

`render_report(assessment, kind, today)` returns the PDF and the time each step took.
"""

from __future__ import annotations

import base64
import re
import time
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.template.loader import render_to_string

from assessments import results as results_page
from assessments.models import Answer, Assessment, ExecutiveRole, Respondent
from assessments.scoring import MIN_COVERAGE, MISALIGNMENT_SPREAD

from . import chart_export, pdf
from .chart_export import Chart
from .fetcher import SafeFetcher
from .models import COLOR_RE, DEFAULT_COLOR, Branding, ReportKind

TEMPLATES = {
    ReportKind.EXECUTIVE_SUMMARY: "reports/pdf/executive_summary.html",
    ReportKind.FULL_ASSESSMENT: "reports/pdf/full_assessment.html",
    ReportKind.ROADMAP_PROGRESS: "reports/pdf/roadmap_progress.html",
}
STRENGTHS_SHOWN = 3


class ReportUnavailable(Exception):
    """This report cannot be made for this assessment (not retried)."""


@dataclass
class Timings:
    context: float = 0.0
    charts: float = 0.0
    html: float = 0.0
    weasyprint: float = 0.0
    chart_count: int = 0
    html_text: str = field(default="", repr=False)

    @property
    def total(self) -> float:
        return self.context + self.charts + self.html + self.weasyprint


def render_report(
    assessment: Assessment, kind: str, today: date, timings: Timings | None = None
) -> pdf.RenderedPdf:
    """1. Build the kind's context. 2. Export its charts. 3. Render the template.
    4. Lay out the PDF with WeasyPrint through the safe fetcher."""
    timings = timings if timings is not None else Timings()
    started = time.perf_counter()
    context = build_context(assessment, kind, today)
    timings.context = time.perf_counter() - started

    started = time.perf_counter()
    charts: dict[str, Chart] = context.pop("pdf_charts")
    svgs = chart_export.export_svgs(list(charts.values()))
    context["img"] = {name: _data_uri(svg) for name, svg in zip(charts, svgs, strict=True)}
    timings.charts, timings.chart_count = time.perf_counter() - started, len(charts)

    started = time.perf_counter()
    html = render_to_string(TEMPLATES[kind], context)
    timings.html, timings.html_text = time.perf_counter() - started, html

    started = time.perf_counter()
    rendered = pdf.render_pdf(html, SafeFetcher())
    timings.weasyprint = time.perf_counter() - started
    return rendered


def _data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


# --- contexts -------------------------------------------------------------------------


def build_context(assessment: Assessment, kind: str, today: date) -> dict:
    if kind not in TEMPLATES:
        raise ReportUnavailable(f"Unknown report kind {kind!r}.")
    base = results_page.context(assessment)
    base.update(_common(assessment, kind, today))
    roi = base["benchmarks"]["roi"]
    base["roi_rows"] = list(zip(roi["bands"], roi["portfolio_cells"], strict=True))
    builder = {
        ReportKind.EXECUTIVE_SUMMARY: _executive_summary,
        ReportKind.FULL_ASSESSMENT: _full_assessment,
        ReportKind.ROADMAP_PROGRESS: _roadmap_progress,
    }[ReportKind(kind)]
    return builder(base, today)


def _common(assessment: Assessment, kind: str, today: date) -> dict:
    branding = Branding.objects.filter(organization_id=assessment.organization_id).first()
    color = branding.color if branding and re.fullmatch(COLOR_RE, branding.color) else None
    return {
        "kind": kind,
        "kind_label": ReportKind(kind).label,
        "today": today,
        "bank_version": assessment.bank.version,
        "branding": {
            "firm_name": branding.firm_name if branding else "",
            "color": color or DEFAULT_COLOR,
            "logo_url": branding.logo.url if branding and branding.logo else "",
        },
    }


def _figure(data: dict | None, width: int = 900) -> Chart | None:
    return None if not data else Chart(figure=data, width=width)


def _charts(**charts: Chart | None) -> dict[str, Chart]:
    return {name: chart for name, chart in charts.items() if chart is not None}


def _headline(context: dict) -> dict:
    """Strongest and weakest dimensions, key findings and the ROI position."""
    summary = context["summary"]
    scored = [d for d in context["dimensions"] if d["score"] is not None]
    ranked = sorted(scored, key=lambda d: d["score"], reverse=True)
    peers = context["benchmarks"]["peers"]
    medians = peers.get("medians", {}) if not peers["suppressed"] else {}
    rows = [
        {**d, "median": medians.get(d["key"]), "status": _dimension_status(d)}
        for d in context["dimensions"]
    ]
    return {
        "strengths": ranked[:STRENGTHS_SHOWN],
        "gaps": list(reversed(ranked[-STRENGTHS_SHOWN:])),
        "dashboard": rows,
        "findings": _findings(context, ranked),
        "level_description": _level_description(context["assessment"], summary),
    }


def _dimension_status(d: dict) -> str:
    if d["insufficient"]:
        return "Insufficient evidence"
    if d["score"] is None:
        return "No answers"
    if d["score"] >= 60:
        return "Strength"
    if d["score"] >= 40:
        return "Developing"
    return "Gap"


def _findings(context: dict, ranked: list[dict]) -> list[str]:
    summary, placement = context["summary"], context["placement"]["placement"]
    overall = summary["overall"]
    findings = []
    if overall["index"] is not None:
        findings.append(
            f"AI scaling index {overall['index']:.1f} of 100: level {overall['level']}, "
            f"{overall['level_name']}; roadmap phase {placement.phase}, {placement.phase_name}."
        )
    peers = context["benchmarks"]["peers"]
    if not peers["suppressed"] and peers.get("overall") and peers["overall"].percentile is not None:
        findings.append(
            f"{peers['overall'].percentile:.0f}th percentile among {peers['label'].lower()} "
            f"(cohort of {peers['size']})."
        )
    if ranked:
        findings.append(
            f"Strongest dimension: {ranked[0]['title']} ({ranked[0]['score']:.1f}); "
            f"weakest: {ranked[-1]['title']} ({ranked[-1]['score']:.1f})."
        )
    if placement.next_phase:
        findings.append(
            f"{placement.points_missing:.1f} points are missing to enter phase "
            f"{placement.next_phase}, {placement.next_phase_name}."
        )
    if context["pitfalls"]:
        titles = ", ".join(p["title"].lower() for p in context["pitfalls"])
        findings.append(f"{len(context['pitfalls'])} pitfall(s) triggered: {titles}.")
    findings.append(
        f"{len(context['misalignments'])} question(s) where executives disagree by "
        f"{MISALIGNMENT_SPREAD} levels or more; {len(context['knowledge_gaps'])} knowledge gap(s)."
    )
    return findings[:5]


def _level_description(assessment: Assessment, summary: dict) -> str:
    level = summary["overall"]["level"]
    for band in assessment.bank.definition.get("maturity_levels", []):
        if band.get("level") == level:
            return band.get("description", "")
    return ""


def _next_gate(context: dict) -> list[dict]:
    placement = context["placement"]
    nxt = placement["placement"].next_phase
    gate = next((g for g in placement["gates"] if g["phase"] == nxt), None)
    return gate["criteria"] if gate else []


def _executive_summary(context: dict, today: date) -> dict:
    bench = context["benchmarks"]
    radar = bench["charts"]["peer_radar"] or context["charts"]["radar"]
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


def _full_assessment(context: dict, today: date) -> dict:
    assessment = context["assessment"]
    bench = context["benchmarks"]
    context.update(_headline(context))
    context.update(
        {
            "next_gate": _next_gate(context),
            "dimension_sections": _dimension_sections(context),
            "methodology": _methodology(assessment, context),
            "appendix": _answers_appendix(assessment),
            "levels": assessment.bank.definition.get("maturity_levels", []),
            "tracking": _tracking(assessment, today),
        }
    )
    tracking = context["tracking"]
    context["pdf_charts"] = _charts(
        radar=_figure(bench["charts"]["peer_radar"] or context["charts"]["radar"], 760),
        bars=_figure(context["charts"]["bars"]),
        roles=_figure(context["charts"]["roles"]) if context["role_rows"]["columns"] else None,
        trend=_figure(context["charts"]["trend"]),
        percentiles=_figure(bench["charts"]["percentiles"]),
        quartiles=_figure(bench["charts"]["quartiles"]),
        roi=_figure(bench["charts"]["roi"]),
        gantt=_figure(tracking["chart"], 1000) if tracking else None,
    )
    return context


def _roadmap_progress(context: dict, today: date) -> dict:
    tracking = _tracking(context["assessment"], today)
    if tracking is None:
        raise ReportUnavailable(
            "The roadmap progress report needs a roadmap: start one on the roadmap page."
        )
    trend = context["trend"]
    first = trend[0]["dimensions"] if trend else None
    context.update(
        {
            "tracking": tracking,
            "changes": [
                {
                    "title": d["title"],
                    "first": first[i]["score"] if first else None,
                    "now": d["score"],
                    "change": _change(first[i]["score"] if first else None, d["score"]),
                }
                for i, d in enumerate(context["dimensions"])
            ],
            "first_label": trend[0]["label"] if trend else "",
            "pdf_charts": _charts(
                gantt=_figure(tracking["chart"], 1000),
                roi=_figure(context["benchmarks"]["charts"]["roi"]),
                trend=_figure(context["charts"]["trend"]),
            ),
        }
    )
    return context


def _change(first: float | None, now: float | None) -> float | None:
    return None if first is None or now is None else now - first


def _tracking(assessment: Assessment, today: date) -> dict | None:
    """The organization's roadmap as the roadmap page shows it, or None without one."""
    from roadmap import charts as roadmap_charts
    from roadmap import selectors as roadmap_selectors
    from roadmap import tracking as roadmap_tracking
    from roadmap.models import MilestoneStatus, Roadmap

    roadmap = (
        Roadmap.objects.select_related("reference", "assessment")
        .filter(organization_id=assessment.organization_id)
        .first()
    )
    if roadmap is None:
        return None
    state = roadmap_selectors.roadmap_tracking(roadmap, today)
    figure = roadmap_charts.roadmap_gantt(state.windows, state.states, today)
    open_late = [
        m
        for m in state.milestones
        if m.status == MilestoneStatus.BLOCKED
        or (m.status != MilestoneStatus.DONE and m.due_date and m.due_date < today)
    ]
    upcoming = sorted(
        (m for m in state.milestones if m.status != MilestoneStatus.DONE and m.due_date),
        key=lambda m: m.due_date,
    )
    return {
        "state": state,
        "phases": [
            {"progress": p, "explanation": roadmap_tracking.explain(p, today)} for p in state.phases
        ],
        "phase_names": {p.phase: p.name for p in state.phases},
        "risks": open_late,
        "next": [m for m in upcoming if m not in open_late][:5],
        "done": [m for m in state.milestones if m.status == MilestoneStatus.DONE],
        "chart": results_page.figure_data(figure),
    }


def _dimension_sections(context: dict) -> list[dict]:
    """Per dimension: its questions with the organization's values, strengths and gaps,
    misalignments, knowledge gaps, peers, gate criteria and recommendations."""
    summary = context["summary"]
    questions = {q.key: q for q in _bank_questions(context["assessment"])}
    peers = context["benchmarks"]["peers"]
    peer_rows = {r["key"]: r for r in peers.get("rows", [])} if not peers["suppressed"] else {}
    recommendations = context["placement"]["placement"].recommendations
    sections = []
    for d in context["dimensions"]:
        rows = [
            {"question": questions[key], **q}
            for key, q in summary["questions"].items()
            if q["dimension"] == d["key"] and key in questions
        ]
        scored = sorted((r for r in rows if r["score"] is not None), key=lambda r: -r["score"])
        sections.append(
            {
                "dimension": d,
                "description": questions[rows[0]["question"].key].dimension.description
                if rows
                else "",
                "rows": rows,
                "strengths": scored[:2],
                "gaps": list(reversed(scored[-2:])) if len(scored) > 2 else [],
                "misalignments": [
                    m for m in context["misalignments"] if m["dimension"] == d["title"]
                ],
                "knowledge_gaps": [
                    g for g in context["knowledge_gaps"] if g["dimension"] == d["title"]
                ],
                "peer": peer_rows.get(d["key"]),
                "criteria": [
                    {"gate": g, "criterion": item["criterion"]}
                    for g in context["placement"]["gates"]
                    for item in g["criteria"]
                    if item["criterion"].dimension == d["key"]
                ],
                "recommendations": [r for r in recommendations if r.dimension == d["key"]][:3],
            }
        )
    return sections


def _bank_questions(assessment: Assessment):
    from assessments.models import Question

    return Question.objects.filter(bank=assessment.bank).select_related("dimension")


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
    peers = context["benchmarks"]["peers"]
    return {
        "respondents_by_role": [
            {"role": roles.get(c["role"], c["role"]), **c}
            for c in sorted(counts, key=lambda c: roles.get(c["role"], c["role"]))
        ],
        "min_coverage": f"{MIN_COVERAGE:.0%}",
        "spread": MISALIGNMENT_SPREAD,
        "peers": peers,
        "reference_version": context["benchmarks"]["reference"].version
        if context["benchmarks"]["reference"]
        else None,
    }


def _answers_appendix(assessment: Assessment) -> list[dict]:
    """Every answer, question by question (bank order), with comments and evidence."""
    answers = (
        Answer.objects.filter(respondent__assessment=assessment)
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
