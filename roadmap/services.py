"""Writes for the roadmap: reference data loading, roadmaps, milestones, use cases and
re-assessments. Every change is recorded in the organization's audit log (who, what,
old → new; `audit.services.record`) in the same transaction, which is also the
roadmap's history; invalid input raises `InputError` naming every field, and an
impossible action `ConflictError`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from assessments import services as assessment_services
from assessments.bank import DIMENSION_KEYS
from assessments.models import Assessment
from audit.services import record
from common import outbox
from common.errors import ConflictError, FieldError, InputError
from common.reference_store import reference_data_publish
from common.validation import full_clean
from organizations.language import language_of
from organizations.models import Membership, Organization
from organizations.services import unit_named

from . import selectors, tracking
from .emails import digest_email
from .models import (
    DigestSend,
    Milestone,
    MilestoneStatus,
    Roadmap,
    RoadmapReferenceData,
    Target,
    UseCase,
    WhatIfScenario,
)
from .portfolio import percent_problem
from .reference import RoadmapDataError, RoadmapReference, translate_roadmap
from .whatif import WhatIfBase, change_problems

__all__ = ["ConflictError"]

MILESTONE_FIELDS = (
    "title", "phase", "owner_user", "owner", "start_date", "due_date", "depends_on", "status",
    "notes", "completed_on",
)  # fmt: skip
MILESTONE_DATES = ("start_date", "due_date", "completed_on")
METRICS = ("cost_reduction", "revenue_increase", "efficiency_gain")
PERCENT_FIELDS = tuple(f"{m}_{k}" for m in METRICS for k in ("baseline", "target", "actual"))
VALUE_FIELDS = tuple(f"{m}_{k}" for m in METRICS for k in ("baseline_value", "actual_value"))
UNIT_FIELDS = tuple(f"{m}_unit" for m in METRICS)
USE_CASE_FIELDS = (
    "name", "business_unit", "stage", "owner", *PERCENT_FIELDS, *UNIT_FIELDS, *VALUE_FIELDS,
)  # fmt: skip
TEXT_FIELDS = ("title", "owner", "notes", "name", "business_unit", *UNIT_FIELDS)
VALUE_LIMIT = 1e15  # values in units: finite and of a sane size
MAX_NOTES_LENGTH = 5000


# --- reference data --------------------------------------------------------------------


@transaction.atomic
def roadmap_reference_load(
    reference: RoadmapReference, raw: dict, *, source: str, translations: dict | None = None
) -> tuple[RoadmapReferenceData, bool]:
    """Store a validated roadmap file once (see `reference_data_publish`), with its
    translations (language code → translation document), each checked against it first:
    every problem of every translation is listed and nothing is stored."""
    return reference_data_publish(
        RoadmapReferenceData,
        version=reference.version,
        checksum=reference.checksum,
        source=source,
        definition=raw,
        translations=translations,
        translate=translate_roadmap,
        error=RoadmapDataError,
        label="roadmap reference data",
    )


# --- history ---------------------------------------------------------------------------


def _json_value(value):
    return value.isoformat() if isinstance(value, date) else value


def _snapshot(instance, fields) -> dict:
    return {f: _snapshot_value(instance, f) for f in fields}


def _snapshot_value(instance, field: str):
    if field == "depends_on":  # the titles, as a history reads them
        if instance.pk is None:
            return []
        return sorted(instance.depends_on.values_list("title", flat=True))
    if field == "owner_user":  # the member, by user name (a history reads it)
        user = instance.owner_user if instance.owner_user_id else None
        return user.get_username() if user else None
    return _json_value(getattr(instance, field))


def _diff(before: dict, after: dict) -> dict:
    return {f: [before.get(f), after[f]] for f in after if before.get(f) != after[f]}


def _created_changes(obj, fields) -> dict:
    """A creation in the history: every field given a value, as none → value."""
    after = _snapshot(obj, fields)
    return _diff({}, {k: v for k, v in after.items() if v not in ("", None, [])})


# --- validation ------------------------------------------------------------------------


def _check_date(value, field: str) -> str | None:
    if isinstance(value, date) and not tracking.EARLIEST_DATE <= value <= tracking.LATEST_DATE:
        return _("Enter a date from %(first)s to %(last)s.") % {
            "first": tracking.day_label(tracking.EARLIEST_DATE),
            "last": tracking.day_label(tracking.LATEST_DATE),
        }
    return None


def _check_extra(instance, field: str) -> FieldError | None:
    """What the model fields do not check: NUL characters (PostgreSQL refuses them), the
    notes length, finite percentages and dates in a sensible range."""
    if field == "depends_on":  # checked by `_dependencies`
        return None
    value = getattr(instance, field)
    if field in TEXT_FIELDS and isinstance(value, str):
        if "\x00" in value:
            return FieldError(field, "null_characters", _("Remove the NUL characters."))
        if field == "notes" and len(value) > MAX_NOTES_LENGTH:
            return FieldError(
                field,
                "max_length",
                _("Keep notes to %(limit)s characters (%(given)s given).")
                % {"limit": MAX_NOTES_LENGTH, "given": len(value)},
            )
    if field in PERCENT_FIELDS and value is not None:
        problem = percent_problem(value)
        if problem is not None:
            return FieldError(field, *problem)
    if (
        field in VALUE_FIELDS
        and value is not None
        and (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or abs(value) > VALUE_LIMIT
        )
    ):
        return FieldError(field, "invalid", _("Enter a finite number, e.g. 1200 (hours) or 0.04."))
    if field in (*MILESTONE_DATES, "start_date"):
        message = _check_date(value, field)
        if message:
            return FieldError(field, "out_of_range", message)
    return None


def _validate(instance, fields, *, exclude=()) -> None:
    """Model validation plus `_check_extra`, all errors at once, keyed by field."""
    errors: list[FieldError] = []
    try:
        full_clean(instance, exclude=list(exclude), validate_unique=False)
    except InputError as exc:
        errors.extend(exc.errors)
    named = {e.field for e in errors}
    for field in fields:
        if field not in named:
            problem = _check_extra(instance, field)
            if problem is not None:
                errors.append(problem)
    if errors:
        raise InputError.many(errors)


def _unknown(data: dict, allowed) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise InputError(unknown[0], "unknown", _("Unknown field."))


# --- roadmaps --------------------------------------------------------------------------


def _today() -> date:
    return timezone.localdate()


@transaction.atomic
def roadmap_create(*, assessment: Assessment, start_date: date, user) -> Roadmap:
    """1. Lock the organization and refuse a second roadmap. 2. Refuse an assessment
    without submissions. 3. Place the assessment (its phase is the starting phase).
    4. Plan the windows from the start date. 5. Add the template milestones of the
    starting phase and the later ones, due at the end of their window."""
    organization = Organization.objects.select_for_update().get(pk=assessment.organization_id)
    if Roadmap.objects.filter(organization=organization).exists():
        raise ConflictError(_("%(name)s already has a roadmap.") % {"name": organization.name})
    if not assessment.respondents.filter(submitted_at__isnull=False).exists():
        raise ConflictError(_("A roadmap can start only from an assessment with a submission."))
    message = _check_date(start_date, "start_date")
    if message:
        raise InputError("start_date", "out_of_range", message)
    stored = selectors.stored_reference_for_bank(assessment.bank.version)
    if stored is None:
        raise LookupError("No roadmap reference data: run `manage.py load_reference_data`.")
    placement = selectors.assessment_placement(assessment)
    try:
        with transaction.atomic():
            roadmap = Roadmap.objects.create(
                organization=organization,
                assessment=assessment,
                reference=stored,
                start_date=start_date,
                starting_phase=placement.phase,
                created_by=user if user is not None and user.is_authenticated else None,
            )
    except IntegrityError as exc:  # a concurrent create on a database without row locks
        raise ConflictError(
            _("%(name)s already has a roadmap.") % {"name": organization.name}
        ) from exc
    count = _template_milestones(roadmap)
    with translation.override("en"):  # the history is written in English, like the log
        phase_name = selectors.reference_of(stored).phase(placement.phase).name
    record(
        action="roadmap.created",
        user=user,
        organization_id=organization.pk,
        obj=roadmap,
        summary=(
            f"Started the roadmap on {tracking.day_label(start_date)} from "
            f"“{assessment.title}” in phase {placement.phase} ({phase_name}) "
            f"with {count} template milestones"
        ),
        changes={
            "assessment": [None, assessment.pk],
            "start_date": [None, start_date.isoformat()],
            "starting_phase": [None, placement.phase],
        },
    )
    return roadmap


def _template_milestones(roadmap: Roadmap) -> int:
    reference = selectors.reference_of(roadmap.reference)
    windows = {w.phase: w for w in selectors.roadmap_windows(roadmap)}
    rows = [
        Milestone(
            roadmap=roadmap,
            phase=phase.phase,
            title=template.title,
            notes=template.description,
            due_date=tracking.template_due_date(windows[phase.phase]),
            position=position,
            source=Milestone.Source.TEMPLATE,
        )
        for phase in reference.phases
        if phase.phase >= roadmap.starting_phase
        for position, template in enumerate(phase.milestones)
    ]
    Milestone.objects.bulk_create(rows)
    return len(rows)


@transaction.atomic
def roadmap_delete(*, roadmap: Roadmap, user) -> None:
    # The milestone writers' lock: a milestone being added commits before the delete
    # collects the milestones (else its row would break the foreign key at COMMIT), and
    # one that waits for the lock finds the roadmap gone.
    roadmap = _lock(roadmap)
    record(
        action="roadmap.deleted",
        user=user,
        organization_id=roadmap.organization_id,
        obj=roadmap,
        summary=f"Deleted the roadmap that started on {tracking.day_label(roadmap.start_date)}",
        changes={"start_date": [roadmap.start_date.isoformat(), None]},
    )
    roadmap.delete()


# --- milestones ------------------------------------------------------------------------


GONE = gettext_noop("This roadmap has just been deleted.")
MILESTONE_GONE = gettext_noop("This milestone has just been deleted.")


def _lock(roadmap: Roadmap) -> Roadmap:
    """Serialize the writes to one roadmap's milestones (positions stay consistent) and
    its deletion. A roadmap deleted by the writer that held the lock is a conflict."""
    locked = Roadmap.objects.select_for_update().filter(pk=roadmap.pk).first()
    if locked is None:
        raise ConflictError(_(GONE))
    return locked


def _locked_milestone(milestone: Milestone) -> Milestone:
    """`milestone` read again under its roadmap's lock (it may have been deleted, with
    its roadmap or alone, while this request waited)."""
    _lock(milestone.roadmap)
    fresh = Milestone.objects.select_related("roadmap", "owner_user").filter(pk=milestone.pk)
    fresh = fresh.first()
    if fresh is None:
        raise ConflictError(_(MILESTONE_GONE))
    return fresh


def _next_position(roadmap: Roadmap, phase: int, exclude: int | None = None) -> int:
    positions = roadmap.milestones.filter(phase=phase).exclude(pk=exclude)
    last = positions.order_by("-position").values_list("position", flat=True).first()
    return 0 if last is None else last + 1


def _apply_completion(milestone: Milestone, today: date) -> None:
    """Done sets the completion date (today unless given); any other status clears it."""
    if milestone.status == MilestoneStatus.DONE:
        milestone.completed_on = milestone.completed_on or today
    else:
        milestone.completed_on = None


def _owner_member(organization_id: int, value):
    """The member a milestone's `owner_user` names (a user or a user id), or None; anyone
    who is not a member of the organization is refused alike, known user or not."""
    if value in (None, ""):
        return None
    user_id = getattr(value, "pk", value)
    membership = (
        Membership.objects.select_related("user")
        .filter(organization_id=organization_id, user_id=user_id)
        .first()
        if isinstance(user_id, int)
        else None
    )
    if membership is None:
        raise InputError("owner_user", "not_a_member", _("Choose a member of the organization."))
    return membership.user


def _with_owner(data: dict, organization_id: int) -> dict:
    if "owner_user" in data:
        data = {**data, "owner_user": _owner_member(organization_id, data["owner_user"])}
    return data


def _check_completion(milestone: Milestone, today: date) -> None:
    if milestone.completed_on and milestone.completed_on > today:
        raise InputError(
            "completed_on", "future", _("The completion date cannot be in the future.")
        )
    if milestone.start_date and milestone.due_date and milestone.start_date > milestone.due_date:
        raise InputError(
            "start_date", "after_due_date", _("The start date must be on or before the due date.")
        )


def _dependencies(roadmap: Roadmap, milestone: Milestone | None, values) -> list[Milestone]:
    """The milestones `values` (milestones or ids) names: of the same roadmap, never the
    milestone itself nor one that already depends on it (no cycle)."""
    ids = sorted({getattr(v, "pk", v) for v in values or ()})
    if any(not isinstance(pk, int) or isinstance(pk, bool) for pk in ids):
        raise InputError("depends_on", "invalid", _("Give milestone ids of this roadmap."))
    found = list(roadmap.milestones.filter(pk__in=ids))
    if len(found) != len(ids):
        raise InputError("depends_on", "unknown", _("Choose milestones of this roadmap."))
    if milestone is not None and milestone.pk is not None:
        if milestone.pk in ids:
            raise InputError("depends_on", "itself", _("A milestone cannot depend on itself."))
        edges = dict.fromkeys(roadmap.milestones.values_list("pk", flat=True), ())
        for source, target in Milestone.depends_on.through.objects.filter(
            from_milestone__roadmap=roadmap
        ).values_list("from_milestone_id", "to_milestone_id"):
            edges[source] = (*edges[source], target)
        edges[milestone.pk] = tuple(ids)
        if _reaches(edges, ids, milestone.pk):
            raise InputError(
                "depends_on", "cycle", _("These dependencies would make a circle of milestones.")
            )
    return found


def _reaches(edges: dict, starts, goal: int) -> bool:
    seen, stack = set(), list(starts)
    while stack:
        node = stack.pop()
        if node == goal:
            return True
        if node not in seen:
            seen.add(node)
            stack.extend(edges.get(node, ()))
    return False


@transaction.atomic
def milestone_create(*, roadmap: Roadmap, user, data: dict, today: date | None = None):
    """A milestone added by hand, at the end of its phase."""
    _unknown(data, MILESTONE_FIELDS)
    data = _with_owner(data, roadmap.organization_id)
    depends_on = data.pop("depends_on", None)
    today = today or _today()
    _lock(roadmap)
    dependencies = _dependencies(roadmap, None, depends_on)
    milestone = Milestone(roadmap=roadmap, source=Milestone.Source.CUSTOM, **data)
    _apply_completion(milestone, today)
    _validate(milestone, MILESTONE_FIELDS, exclude=["position"])
    _check_completion(milestone, today)
    milestone.position = _next_position(roadmap, milestone.phase)
    milestone.save()
    milestone.depends_on.set(dependencies)
    record(
        action="milestone.created",
        user=user,
        organization_id=roadmap.organization_id,
        obj=milestone,
        summary=f"Added milestone “{milestone.title}” to phase {milestone.phase}",
        changes=_created_changes(milestone, MILESTONE_FIELDS),
    )
    return milestone


def _shown(field: str, value) -> str:
    """A stored value as people read it: choice labels, dates as 1 Apr 2026, — for none."""
    if value in (None, ""):
        return "—"
    if field in MILESTONE_DATES:
        return tracking.day_label(date.fromisoformat(value))
    labels = dict(MilestoneStatus.choices) | dict(UseCase.Stage.choices)
    return str(labels.get(value, value))


def _describe(field: str, old, new) -> str:
    if field == "depends_on":
        return f"depends on {', '.join(old) or '—'} → {', '.join(new) or '—'}"
    label = {"completed_on": "completion date", "owner_user": "owner (member)"}.get(
        field, field.replace("_", " ")
    )
    return f"{label} {_shown(field, old)} → {_shown(field, new)}"


@transaction.atomic
def milestone_update(*, milestone: Milestone, user, data: dict, today: date | None = None):
    """Change any of the milestone's fields; moving it to another phase puts it last there."""
    _unknown(data, MILESTONE_FIELDS)
    data = _with_owner(data, milestone.roadmap.organization_id)
    depends_on = data.pop("depends_on", None)
    today = today or _today()
    milestone = _locked_milestone(milestone)
    before = _snapshot(milestone, MILESTONE_FIELDS)
    dependencies = (
        None if depends_on is None else _dependencies(milestone.roadmap, milestone, depends_on)
    )
    old_phase = milestone.phase
    for field, value in data.items():
        setattr(milestone, field, value)
    _apply_completion(milestone, today)
    _validate(milestone, MILESTONE_FIELDS)
    _check_completion(milestone, today)
    if milestone.phase != old_phase:
        milestone.position = _next_position(milestone.roadmap, milestone.phase, milestone.pk)
    after = _snapshot(milestone, MILESTONE_FIELDS)
    if dependencies is not None:
        after["depends_on"] = sorted(m.title for m in dependencies)
    changes = _diff(before, after)
    if not changes:
        return milestone
    milestone.save()
    if dependencies is not None:
        milestone.depends_on.set(dependencies)
    details = "; ".join(_describe(f, *changes[f]) for f in changes if f not in ("notes",))
    if "notes" in changes:
        details = "; ".join(filter(None, [details, "notes edited"]))
    record(
        action="milestone.updated",
        user=user,
        organization_id=milestone.roadmap.organization_id,
        obj=milestone,
        summary=f"Milestone “{milestone.title}”: {details}",
        changes=changes,
    )
    return milestone


@transaction.atomic
def milestone_delete(*, milestone: Milestone, user) -> None:
    milestone = _locked_milestone(milestone)
    record(
        action="milestone.deleted",
        user=user,
        organization_id=milestone.roadmap.organization_id,
        obj=milestone,
        summary=f"Deleted milestone “{milestone.title}” from phase {milestone.phase}",
        changes={"title": [milestone.title, None], "status": [milestone.status, None]},
    )
    milestone.delete()


@transaction.atomic
def milestone_reorder(*, milestone: Milestone, direction: str, user) -> Milestone:
    """Move a milestone one place up or down within its phase (positions are renumbered
    0, 1, 2… on the way). At the top or bottom already, nothing changes."""
    if direction not in ("up", "down"):
        raise InputError("direction", "invalid", _("Use up or down."))
    milestone = _locked_milestone(milestone)
    roadmap = milestone.roadmap
    siblings = list(roadmap.milestones.filter(phase=milestone.phase).order_by("position", "id"))
    index = next(i for i, m in enumerate(siblings) if m.pk == milestone.pk)
    target = index - 1 if direction == "up" else index + 1
    if not 0 <= target < len(siblings):
        return siblings[index]
    siblings[index], siblings[target] = siblings[target], siblings[index]
    for position, sibling in enumerate(siblings):
        sibling.position = position
    Milestone.objects.bulk_update(siblings, ["position"])
    moved = siblings[target]
    record(
        action="milestone.reordered",
        user=user,
        organization_id=roadmap.organization_id,
        obj=moved,
        summary=(
            f"Moved milestone “{moved.title}” {direction} in phase {moved.phase} "
            f"(place {index + 1} → {target + 1})"
        ),
        changes={"position": [index + 1, target + 1]},
    )
    return moved


@transaction.atomic
def recommendation_accept(
    *, roadmap: Roadmap, recommendation_key: str, user, today: date | None = None
) -> Milestone:
    """Turn one of the current placement's recommendations into a milestone inside its
    horizon (`tracking.recommendation_plan`): a quick win in the phase under way, due
    within 90 days; a strategic move in the next phase (the last when there is none)."""
    placement, _reference = selectors.roadmap_placement(roadmap)
    recommendation = next(
        (r for r in placement.recommendations if r.key == recommendation_key), None
    )
    if recommendation is None:
        raise InputError(
            "recommendation", "unknown", _("This is not one of the current recommendations.")
        )
    roadmap = _lock(roadmap)
    if roadmap.milestones.filter(recommendation_key=recommendation.key).exists():
        raise ConflictError(
            _("“%(action)s” is already on the roadmap.") % {"action": recommendation.action}
        )
    plan = tracking.recommendation_plan(
        recommendation.horizon,
        selectors.roadmap_windows(roadmap),
        placement.next_phase or placement.phase,
        today or _today(),
    )
    phase = plan.phase
    milestone = Milestone.objects.create(
        roadmap=roadmap,
        phase=phase,
        title=recommendation.action[:200],
        notes=recommendation.detail,
        start_date=plan.start_date,
        due_date=plan.due_date,
        position=_next_position(roadmap, phase),
        source=Milestone.Source.RECOMMENDATION,
        recommendation_key=recommendation.key,
    )
    record(
        action="milestone.created",
        user=user,
        organization_id=roadmap.organization_id,
        obj=milestone,
        summary=f"Accepted recommendation “{milestone.title}” as a milestone of phase {phase}",
        changes={
            "recommendation": [None, recommendation.key],
            "phase": [None, phase],
            "due_date": [None, plan.due_date.isoformat()],
        },
    )
    return milestone


# --- use cases -------------------------------------------------------------------------


@transaction.atomic
def use_case_create(*, organization: Organization, user, data: dict) -> UseCase:
    _unknown(data, USE_CASE_FIELDS)
    use_case = UseCase(organization=organization, **data)
    _validate(use_case, USE_CASE_FIELDS)
    use_case.unit = unit_named(organization.pk, use_case.business_unit, user)
    use_case.save()
    record(
        action="use_case.created",
        user=user,
        organization_id=organization.pk,
        obj=use_case,
        object_type="use_case",
        summary=f"Added use case “{use_case.name}” ({use_case.get_stage_display()})",
        changes=_created_changes(use_case, USE_CASE_FIELDS),
    )
    return use_case


@transaction.atomic
def use_case_update(*, use_case: UseCase, user, data: dict) -> UseCase:
    _unknown(data, USE_CASE_FIELDS)
    use_case = UseCase.objects.select_for_update().get(pk=use_case.pk)
    before = _snapshot(use_case, USE_CASE_FIELDS)
    for field, value in data.items():
        setattr(use_case, field, value)
    _validate(use_case, USE_CASE_FIELDS)
    changes = _diff(before, _snapshot(use_case, USE_CASE_FIELDS))
    if not changes:
        return use_case
    if "business_unit" in changes:
        use_case.unit = unit_named(use_case.organization_id, use_case.business_unit, user)
    use_case.save()
    record(
        action="use_case.updated",
        user=user,
        organization_id=use_case.organization_id,
        obj=use_case,
        object_type="use_case",
        summary=f"Use case “{use_case.name}”: "
        + "; ".join(_describe(f, *changes[f]) for f in changes),
        changes=changes,
    )
    return use_case


@transaction.atomic
def use_case_delete(*, use_case: UseCase, user) -> None:
    record(
        action="use_case.deleted",
        user=user,
        organization_id=use_case.organization_id,
        obj=use_case,
        object_type="use_case",
        summary=f"Deleted use case “{use_case.name}”",
        changes={"name": [use_case.name, None], "stage": [use_case.stage, None]},
    )
    use_case.delete()


# --- re-assessment ---------------------------------------------------------------------


@transaction.atomic
def reassessment_start(*, roadmap: Roadmap, user, today: date | None = None) -> Assessment:
    """1. Refuse while a newer assessment than the one the roadmap is placed from is still
    open (a re-assessment is under way). 2. Create an assessment of the same question bank.
    3. Re-add the same respondents (revoked ones left out), each with a fresh link."""
    today = today or _today()
    Organization.objects.select_for_update().get(pk=roadmap.organization_id)
    source = selectors.placement_source(roadmap)
    under_way = (
        Assessment.objects.filter(
            organization_id=roadmap.organization_id,
            status=Assessment.Status.OPEN,
            created_at__gt=source.created_at,
        )
        .order_by("-created_at")
        .first()
    )
    if under_way is not None:
        raise ConflictError(
            _("A re-assessment is already under way: “%(title)s”. Close it first.")
            % {"title": under_way.title}
        )
    assessment = assessment_services.assessment_create(
        organization=roadmap.organization,
        bank=source.bank,
        title=_("Re-assessment %(date)s") % {"date": tracking.day_label(today)},
        user=user if user is not None and user.is_authenticated else None,
    )
    respondents = source.respondents.filter(revoked_at__isnull=True).order_by("name", "id")
    for respondent in respondents:
        assessment_services.respondent_add(
            assessment=assessment,
            name=respondent.name,
            email=respondent.email,
            role=respondent.role,
            title=respondent.title,
            business_unit=respondent.business_unit,
        )
    count = assessment.respondents.count()
    record(
        action="roadmap.reassessed",
        user=user,
        organization_id=roadmap.organization_id,
        obj=roadmap,
        summary=(
            f"Started “{assessment.title}” with {count} respondent{'s' if count != 1 else ''} "
            f"of “{source.title}”"
        ),
        changes={"assessment": [source.pk, assessment.pk]},
    )
    return assessment


# --- what-if scenarios (DESIGN §10) ----------------------------------------------------

SCENARIO_NAME_LENGTH = 120


def what_if_changes(base: WhatIfBase, changes) -> dict[str, int]:
    """The changes when every key is a question of the bank and every level a whole 1–5;
    else an InputError naming each bad one (`changes.<question key>`)."""
    if not isinstance(changes, dict):
        raise InputError("changes", "invalid", _("Give an object of question key → level (1–5)."))
    problems = change_problems(base, changes)
    if problems:
        raise InputError.many(FieldError(*p) for p in problems)
    return dict(changes)


@transaction.atomic
def scenario_save(
    *, assessment: Assessment, base: WhatIfBase, name: str, changes, user
) -> WhatIfScenario:
    """Save the changes under a name (saving a name again replaces its changes)."""
    name = (name or "").strip()
    if not name:
        raise InputError("name", "required", _("Name the scenario."))
    if len(name) > SCENARIO_NAME_LENGTH or "\x00" in name:
        raise InputError(
            "name",
            "invalid",
            _("Use up to %(limit)s characters, no NUL.") % {"limit": SCENARIO_NAME_LENGTH},
        )
    changes = what_if_changes(base, changes)
    if not changes:
        raise InputError("changes", "required", _("Change at least one question first."))
    scenario = WhatIfScenario.objects.filter(assessment=assessment, name=name).first()
    before = scenario.changes if scenario else None
    if scenario is None:
        scenario = WhatIfScenario(assessment=assessment, name=name)
        scenario.created_by = user if user is not None and user.is_authenticated else None
    scenario.changes = changes
    scenario.save()
    record(
        action="what_if.saved",
        user=user,
        organization_id=assessment.organization_id,
        obj=scenario,
        object_type="what_if_scenario",
        summary=f"Saved what-if scenario “{name}” on “{assessment.title}” "
        f"({len(changes)} question{'s' if len(changes) != 1 else ''} changed)",
        changes={"changes": [before, changes]},
    )
    return scenario


@transaction.atomic
def scenario_delete(*, scenario: WhatIfScenario, user) -> None:
    record(
        action="what_if.deleted",
        user=user,
        organization_id=scenario.assessment.organization_id,
        obj=scenario,
        object_type="what_if_scenario",
        summary=f"Deleted what-if scenario “{scenario.name}”",
        changes={"changes": [scenario.changes, None]},
    )
    scenario.delete()


# --- targets (DESIGN §10) --------------------------------------------------------------


@transaction.atomic
def target_set(
    *, organization: Organization, dimension: str, score, due_date, unit=None, user
) -> Target:
    """Set the target of a dimension, for the organization or one of its units (setting
    it again replaces the score and date)."""
    errors = []
    if dimension not in DIMENSION_KEYS:
        errors.append(FieldError("dimension", "unknown", "Choose one of the seven dimensions."))
    if isinstance(score, bool) or not isinstance(score, int | float) or not 0 <= score <= 100:
        errors.append(FieldError("score", "out_of_range", "Enter a score from 0 to 100."))
    if not isinstance(due_date, date):
        errors.append(FieldError("due_date", "invalid", "Enter a date."))
    elif _check_date(due_date, "due_date"):
        errors.append(FieldError("due_date", "out_of_range", _check_date(due_date, "due_date")))
    unit_id = getattr(unit, "pk", unit)
    if unit_id not in (None, ""):
        unit = (
            organization.business_units.filter(pk=unit_id).first()
            if isinstance(unit_id, int)
            else None
        )
        if unit is None:
            errors.append(FieldError("unit", "unknown", "Choose a unit of this organization."))
    else:
        unit = None
    if errors:
        raise InputError.many(errors)
    Organization.objects.select_for_update().get(pk=organization.pk)
    mine = Target.objects.filter(organization=organization, unit=unit, dimension=dimension)
    target = mine.first()
    before = [target.score, target.due_date.isoformat()] if target else None
    if target is None:
        target = Target(organization=organization, unit=unit, dimension=dimension)
    target.score, target.due_date = float(score), due_date
    target.updated_by = user if user is not None and user.is_authenticated else None
    target.save()
    where = unit.name if unit else organization.name
    record(
        action="target.set",
        user=user,
        organization_id=organization.pk,
        obj=target,
        object_type="target",
        summary=f"Target for {dimension} of {where}: {float(score):g} by "
        f"{tracking.day_label(due_date)}",
        changes={"target": [before, [float(score), due_date.isoformat()]]},
    )
    return target


@transaction.atomic
def target_delete(*, target: Target, user) -> None:
    record(
        action="target.deleted",
        user=user,
        organization_id=target.organization_id,
        obj=target,
        object_type="target",
        summary=f"Deleted the target for {target.dimension}",
        changes={"target": [[target.score, target.due_date.isoformat()], None]},
    )
    target.delete()


# --- the weekly digest (DESIGN §12) -----------------------------------------------------
#
# As the reminders (assessments.services): one row per (user, ISO week) inserted for
# every recipient (a unique constraint makes a second beat a no-op), claimed by one
# conditional UPDATE under a fresh token, one send task each, sent only by the holder.

DIGEST_TASK = "roadmap.tasks.send_digest"


@dataclass(frozen=True)
class DigestSweep:
    week: str
    recipients: int
    claimed: int
    queued: int
    claim: str


def iso_week(day: date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def publish_digest(digest_id: int, claim: str) -> bool:
    return outbox.publish(DIGEST_TASK, digest_id, claim)


def digests_sweep(*, now: datetime | None = None, publish=publish_digest) -> DigestSweep:
    """Record this week's digest for every recipient, claim those not sent, queue them."""
    now = now or timezone.now()
    week = iso_week(timezone.localdate(now))
    user_ids = list(selectors.digest_recipient_ids())
    DigestSend.objects.bulk_create(
        [DigestSend(user_id=pk, week=week, created_at=now) for pk in user_ids],
        ignore_conflicts=True,
    )
    token, claimed, _previous = outbox.claim(DigestSend.objects.filter(week=week), now=now)
    queued = 0
    if claimed:
        for digest_id in outbox.claimed_ids(DigestSend, token):
            queued += bool(publish(digest_id, token))
    return DigestSweep(
        week=week, recipients=len(user_ids), claimed=claimed, queued=queued, claim=token
    )


def digest_send(*, digest_id: int, claim: str, now: datetime | None = None) -> str:
    """Send one claimed digest: "sent", "skipped" (nothing to report, or no email
    address), "retry", "failed", or "not-claimed" (someone else holds it: nothing done)."""
    now = now or timezone.now()
    ours = outbox.take(DigestSend, digest_id, claim, now=now)
    if ours is None:
        return "not-claimed"
    digest = DigestSend.objects.select_related("user").get(pk=digest_id)
    today = timezone.localdate(now)
    # Written in the recipient's language: the phase names and statuses of the sections
    # as much as the email's own words.
    with translation.override(language_of(digest.user)):
        sections = selectors.digest_for(digest.user, today) if digest.user.is_active else []
        if not sections or not digest.user.email:
            return outbox.skip(ours, "No email address." if sections else "Nothing to report.")
        count = len({i.milestone.pk for s in sections for i in (*s.mine, *s.roadmap_items)})
        return outbox.deliver(
            ours,
            attempts=digest.attempts,
            send=lambda: digest_email(digest.user, sections, today=today),
            milestones=count,
        )
