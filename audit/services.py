"""Writing audit entries. `record` is the one helper every service calls for a change
of data (organizations, memberships, assessments, respondents, answers, baselines,
branding, report requests, roadmaps, milestones, use cases), inside the transaction of
the change, so the entry exists exactly when the change does. `changes` maps each
field to `[old, new]` (JSON values: dates and decimals as text)."""

from django.db import transaction

from organizations.models import Organization

from . import context
from .models import AuditEntry

SUMMARY_LENGTH = 300


def _actor_name(user, respondent) -> str:
    if user is not None:
        return user.get_username()
    if respondent is not None:
        return f"{respondent.name} (respondent {respondent.pk})"
    return ""


def _entry(
    *,
    action: str,
    summary: str,
    user=None,
    respondent=None,
    organization=None,
    organization_id=None,
    obj=None,
    object_type: str = "",
    object_id="",
    changes: dict | None = None,
    actor: str = "",
) -> AuditEntry:
    ctx = context.current()
    if user is not None and not user.is_authenticated:
        user = None  # an anonymous request acts as nobody in particular
    if user is None and respondent is None and ctx is not None:
        user = ctx.user
    if obj is not None:
        object_type = object_type or obj._meta.model_name
        object_id = obj.pk
    if organization is not None:
        organization_id = organization.pk
    return AuditEntry(
        user=user,
        respondent=respondent,
        actor=(actor or _actor_name(user, respondent))[:200],
        organization_id=organization_id,
        action=action,
        object_type=object_type,
        object_id="" if object_id in (None, "") else str(object_id),
        summary=summary if len(summary) <= SUMMARY_LENGTH else summary[: SUMMARY_LENGTH - 1] + "…",
        changes=changes or {},
        ip=ctx.ip if ctx is not None else None,
        request_id=ctx.request_id if ctx is not None else "",
    )


def record(**kwargs) -> AuditEntry:
    """Store an entry now, in the caller's transaction (see `_entry` for the fields)."""
    entry = _entry(**kwargs)
    entry.save()
    return entry


def record_after_request(**kwargs) -> None:
    """Store an entry even when the request's own transaction is rolled back (a 404
    raised by an access check): kept on the request and written by the middleware
    once the view has finished. Outside a request it is stored at once."""
    entry = _entry(**kwargs)
    ctx = context.current()
    if ctx is None:
        entry.save()
    else:
        ctx.deferred.append(entry)


def flush_deferred(ctx: context.RequestContext) -> None:
    if not ctx.deferred:
        return
    entries, ctx.deferred = ctx.deferred, []
    wanted = {e.organization_id for e in entries if e.organization_id is not None}
    existing = set(Organization.objects.filter(pk__in=wanted).values_list("pk", flat=True))
    for entry in entries:
        if entry.organization_id not in existing:
            entry.organization_id = None  # an outsider probed an id that does not exist
    with transaction.atomic():
        AuditEntry.objects.bulk_create(entries)


def access_denied(*, user, organization_id: int, reason: str) -> None:
    record_after_request(
        action="access.denied",
        user=user,
        organization_id=organization_id,
        object_type="organization",
        object_id=organization_id,
        summary=f"{user.get_username()} was refused organization {organization_id} ({reason})",
    )
