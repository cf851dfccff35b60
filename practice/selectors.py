"""The portfolio's reads: every client organization a consultant consults, one row each,
in a fixed number of queries however many clients there are (perf/portfolio_benchmark.py).
"""

from __future__ import annotations

import hashlib
from collections import defaultdict

import pandas as pd
from django.core.cache import cache
from django.db.models import Count, Max, Q, Sum
from django.utils import timezone, translation

from assessments.models import Answer, Assessment, QuestionBank, Respondent, ScoreSnapshot
from assessments.scoring import score
from assessments.selectors import scoring_model
from audit.models import AuditEntry
from organizations.models import Industry, Membership, Role
from reports.models import ReportRequest, ReportStatus
from roadmap.models import Milestone, MilestoneStatus, UseCase
from roadmap.placement import DimensionState, place
from roadmap.selectors import current_reference

from .portfolio import Row


def consulted_organizations(user):
    """The organizations the user consults (a consultant membership), by name."""
    return [
        m.organization
        for m in Membership.objects.filter(user=user, role=Role.CONSULTANT)
        .select_related("organization")
        .order_by("organization__name", "organization_id")
    ]


def _latest_and_previous(assessments: list[Assessment]):
    """Per organization: the latest assessment and the closed one before it."""
    latest: dict[int, Assessment] = {}
    previous: dict[int, Assessment] = {}
    for a in assessments:  # newest first
        if a.organization_id not in latest:
            latest[a.organization_id] = a
        elif a.organization_id not in previous and not a.is_open:
            previous[a.organization_id] = a
    return latest, previous


def _submitted_answers(assessment_ids: list[int]) -> pd.DataFrame:
    """The client's submitted answers as `scoring.score` reads them, lean: no dates and
    no breakdown columns (the portfolio needs the index and the dimensions only)."""
    rows = (
        Answer.objects.of_clients()
        .filter(
            respondent__assessment_id__in=assessment_ids, respondent__submitted_at__isnull=False
        )
        .values_list("respondent__assessment_id", "respondent_id", "question__key", "kind", "level")
    )
    frame = pd.DataFrame.from_records(
        list(rows), columns=["assessment", "respondent", "question", "kind", "level"]
    )
    frame["level"] = frame["level"].astype("float64")
    return frame


SCORES_CACHE_SECONDS = 3600  # a change to the answers changes the key: this only frees memory


def _fingerprint(assessment: Assessment, counts: dict) -> str:
    """A digest of what the open assessment's scores read: its bank and its submitted
    respondents (how many, which, the latest submission). A submitted respondent's
    answers no longer change, so equal digests mean equal scores."""
    facts = (counts.get("submitted", 0), counts.get("submitted_ids"), counts.get("last_submitted"))
    return hashlib.sha256(repr((assessment.pk, assessment.bank_id, facts)).encode()).hexdigest()


def _open_scores(assessments: list[Assessment], counts: dict[int, dict]) -> dict[int, dict]:
    """Index, level and dimension states of open assessments. Scores computed before for
    the same answers come from the cache; the others are scored together: one answers
    query, then one scoring run per question bank."""
    if not assessments:
        return {}
    # The scores hold words (the level's name): one entry per language.
    language = translation.get_language() or "en"
    keys = {
        a.pk: f"portfolio-scores:{language}:{_fingerprint(a, counts.get(a.pk, {}))}"
        for a in assessments
    }
    cached = cache.get_many(list(keys.values()))
    found = {pk: cached[key] for pk, key in keys.items() if key in cached}
    missing = [a for a in assessments if a.pk not in found]
    if missing:
        fresh = _score_open(missing)
        cache.set_many({keys[pk]: data for pk, data in fresh.items()}, SCORES_CACHE_SECONDS)
        found.update(fresh)
    return found


def _score_open(assessments: list[Assessment]) -> dict[int, dict]:
    # No submission yet: no scores (and nothing to score).
    found: dict[int, dict] = {
        a.pk: {"index": None, "level": None, "level_name": None, "dimensions": []}
        for a in assessments
    }
    frame = _submitted_answers([a.pk for a in assessments])
    answered = set(frame["assessment"].unique())
    by_bank: dict[int, list[Assessment]] = defaultdict(list)
    for a in assessments:
        if a.pk in answered:
            by_bank[a.bank_id].append(a)
    for group in by_bank.values():
        ids = [a.pk for a in group]
        scores = score(frame[frame["assessment"].isin(ids)], scoring_model(group[0].bank), ids)
        dims: dict[int, list[DimensionState]] = defaultdict(list)
        for d in scores.dimensions.itertuples():
            value = None if d.score != d.score else float(d.score)  # NaN: no score
            dims[int(d.assessment)].append(DimensionState(d.dimension, value, bool(d.insufficient)))
        for o in scores.overall.itertuples():
            index = None if o.index != o.index else float(o.index)
            found[int(o.assessment)] = {
                "index": index,
                "level": int(o.level) or None,
                "level_name": o.level_name,
                "dimensions": dims[int(o.assessment)],
            }
    return found


def _snapshot_scores(assessment_ids: list[int]) -> dict[int, dict]:
    found = {}
    for s in ScoreSnapshot.objects.filter(assessment_id__in=assessment_ids):
        keys = [
            "data_infrastructure",
            "talent",
            "legacy_integration",
            "ethics_compliance",
            "scalable_infrastructure",
            "organizational_readiness",
            "governance_risk",
        ]
        found[s.assessment_id] = {
            "index": s.index,
            "level": s.level or None,
            "level_name": None,
            "dimensions": [
                DimensionState(k, getattr(s, k), k in (s.insufficient or [])) for k in keys
            ],
        }
    return found


def portfolio_rows(user) -> list[Row]:
    """One row per organization the user consults (about ten queries in all)."""
    organizations = consulted_organizations(user)
    ids = [o.pk for o in organizations]
    assessments = list(
        Assessment.objects.filter(organization_id__in=ids)
        .only("organization_id", "bank_id", "title", "status", "created_at", "closed_at")
        .order_by("-created_at", "-id")
    )
    # Each bank once (its definition is large), not once per assessment.
    banks = QuestionBank.objects.in_bulk({a.bank_id for a in assessments})
    for a in assessments:
        a.bank = banks[a.bank_id]
    latest, previous = _latest_and_previous(assessments)
    open_latest = [a for a in latest.values() if a.is_open]
    counts = {
        row["assessment_id"]: row
        for row in Respondent.objects.filter(assessment_id__in=[a.pk for a in latest.values()])
        .values("assessment_id")
        .annotate(
            added=Count("pk"),
            submitted=Count("pk", filter=Q(submitted_at__isnull=False)),
            submitted_ids=Sum("pk", filter=Q(submitted_at__isnull=False)),
            last_submitted=Max("submitted_at"),
        )
    }
    scored = _open_scores(open_latest, counts)
    scored.update(
        _snapshot_scores(
            [a.pk for a in latest.values() if not a.is_open] + [a.pk for a in previous.values()]
        )
    )
    live = dict(
        UseCase.objects.filter(organization_id__in=ids, stage__in=UseCase.LIVE_STAGES)
        .values("organization_id")
        .annotate(n=Count("pk"))
        .values_list("organization_id", "n")
    )
    today = timezone.localdate()
    overdue = dict(
        Milestone.objects.filter(roadmap__organization_id__in=ids, due_date__lt=today)
        .exclude(status=MilestoneStatus.DONE)
        .values("roadmap__organization_id")
        .annotate(n=Count("pk"))
        .values_list("roadmap__organization_id", "n")
    )
    ready = dict(
        ReportRequest.objects.filter(
            assessment_id__in=[a.pk for a in latest.values()], status=ReportStatus.READY
        )
        .values("assessment_id")
        .annotate(n=Count("pk"))
        .values_list("assessment_id", "n")
    )
    activity = dict(
        AuditEntry.objects.filter(organization_id__in=ids)
        .exclude(action="access.denied")
        .values("organization_id")
        .annotate(last=Max("created_at"))
        .values_list("organization_id", "last")
    )
    reference = current_reference() if assessments else None
    labels = dict(Industry.choices)

    def placed(assessment: Assessment | None, org_id: int):
        data = scored.get(assessment.pk) if assessment else None
        if not data or data["index"] is None:
            return data, None
        return data, place(reference, data["dimensions"], [], live.get(org_id, 0))

    rows = []
    for organization in organizations:
        current = latest.get(organization.pk)
        data, placement = placed(current, organization.pk)
        before, before_placement = placed(previous.get(organization.pk), organization.pk)
        count = counts.get(current.pk, {}) if current else {}
        comparable = data and before and data["index"] is not None and before["index"] is not None
        rows.append(
            Row(
                organization_id=organization.pk,
                organization=organization.name,
                industry=organization.industry,
                industry_label=labels.get(organization.industry, organization.industry),
                is_demo=organization.is_demo,
                assessment_id=current.pk if current else None,
                assessment=current.title if current else None,
                status=current.status if current else "none",
                submitted=count.get("submitted", 0),
                invited=count.get("added", 0),
                index=data["index"] if data else None,
                level=data["level"] if data else None,
                level_name=_level_name(current, data),
                phase=placement.phase if placement else None,
                phase_name=placement.phase_name if placement else None,
                index_change=data["index"] - before["index"] if comparable else None,
                level_change=data["level"] - before["level"] if comparable else None,
                phase_change=placement.phase - before_placement.phase
                if placement and before_placement
                else None,
                overdue_milestones=overdue.get(organization.pk, 0),
                reports_ready=ready.get(current.pk, 0) if current else 0,
                last_activity=activity.get(organization.pk),
            )
        )
    return rows


def _level_name(assessment: Assessment | None, data) -> str | None:
    """The band's name from the assessment's bank (a snapshot stores the level only)."""
    if not data or data["level"] is None:
        return None
    if data["level_name"]:
        return data["level_name"]
    bands = assessment.bank.definition.get("maturity_levels", [])
    return next((b["name"] for b in bands if b["level"] == data["level"]), None)


def phase_names() -> dict[int, str]:
    return {p.phase: p.name for p in current_reference().phases}
