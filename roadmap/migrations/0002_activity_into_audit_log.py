"""Fold the roadmap's `Activity` history into the audit log (`audit.AuditEntry`).

Every Activity row becomes an audit entry with the same organization, user, object,
summary, changes and time; the action is `<object type>.<action>` (`milestone.updated`,
`use_case.created`, `roadmap.deleted`...), the names the roadmap services already wrote
to the audit log. Since "Audit log: roadmap and use-case changes (roadmap Activity) are
recorded in the organization's audit log too" the services wrote each change to both
tables: such a row already has its audit entry (same organization, action, object and
summary, written within the same second), which is kept as it is (it also holds the
address and request id) and not copied again. Each audit entry stands for at most one
Activity row, so two identical changes made one after the other both stay.

A re-assessment started from the roadmap was kept as an Activity of the new
assessment; it becomes `roadmap.reassessed` of the organization's roadmap (its
`changes` still name both assessments), as the services now record it, so the
roadmap's history keeps showing it. Its existing audit entry, if any, is renamed the
same way.
"""

from collections import defaultdict
from datetime import timedelta

from django.conf import settings
from django.db import migrations

HISTORY_TYPES = ("roadmap", "milestone", "use_case")
SAME_CHANGE_WITHIN = timedelta(seconds=60)
BATCH = 1000


def _target(activity, roadmap_ids: dict) -> tuple[str, str, str]:
    """(action, object type, object id) of an Activity row in the audit log."""
    if activity.object_type in HISTORY_TYPES:
        object_id = "" if activity.object_id is None else str(activity.object_id)
        return f"{activity.object_type}.{activity.action}", activity.object_type, object_id
    roadmap_id = roadmap_ids.get(activity.organization_id)
    return "roadmap.reassessed", "roadmap", "" if roadmap_id is None else str(roadmap_id)


def forwards(apps, schema_editor):
    Activity = apps.get_model("roadmap", "Activity")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    Roadmap = apps.get_model("roadmap", "Roadmap")
    User = apps.get_model(*settings.AUTH_USER_MODEL.split("."))
    if not Activity.objects.exists():
        return
    roadmap_ids = dict(Roadmap.objects.values_list("organization_id", "id"))
    usernames = dict(
        User.objects.filter(
            pk__in=Activity.objects.exclude(user=None).values("user_id")
        ).values_list("pk", "username")  # the project uses auth.User
    )
    # The audit entries the services wrote alongside an Activity row (the mirror).
    mirrors = defaultdict(list)
    written = AuditEntry.objects.filter(organization__isnull=False).filter(
        object_type__in=HISTORY_TYPES
    ) | AuditEntry.objects.filter(organization__isnull=False, action="assessment.created")
    for entry in written.order_by("created_at", "id").iterator():
        key = (entry.organization_id, entry.action, entry.object_type, entry.object_id)
        mirrors[key, entry.summary].append(entry)
    renamed, copies = [], []
    for activity in Activity.objects.order_by("created_at", "id").iterator():
        action, object_type, object_id = _target(activity, roadmap_ids)
        mirrored_as = f"{activity.object_type}.{activity.action}"
        mirrored_id = "" if activity.object_id is None else str(activity.object_id)
        key = (activity.organization_id, mirrored_as, activity.object_type, mirrored_id)
        candidates = mirrors.get((key, activity.summary), [])
        mirror = next(
            (
                e
                for e in candidates
                if abs(e.created_at - activity.created_at) <= SAME_CHANGE_WITHIN
            ),
            None,
        )
        if mirror is not None:
            candidates.remove(mirror)  # it stands for this row only
            if (mirror.action, mirror.object_type, mirror.object_id) != (
                action,
                object_type,
                object_id,
            ):
                mirror.action, mirror.object_type, mirror.object_id = (
                    action,
                    object_type,
                    object_id,
                )
                renamed.append(mirror)
            continue
        copies.append(
            AuditEntry(
                user_id=activity.user_id,
                actor=usernames.get(activity.user_id, "")[:200],
                organization_id=activity.organization_id,
                action=action,
                object_type=object_type,
                object_id=object_id,
                summary=activity.summary,
                changes=activity.changes,
                created_at=activity.created_at,
            )
        )
        if len(copies) >= BATCH:
            AuditEntry.objects.bulk_create(copies)
            copies = []
    AuditEntry.objects.bulk_create(copies)
    AuditEntry.objects.bulk_update(renamed, ["action", "object_type", "object_id"], BATCH)


def backwards(apps, schema_editor):
    """Back to an Activity table: the roadmap's history, copied out of the audit log
    (which keeps its entries)."""
    Activity = apps.get_model("roadmap", "Activity")
    AuditEntry = apps.get_model("audit", "AuditEntry")
    entries = AuditEntry.objects.filter(
        organization__isnull=False, object_type__in=HISTORY_TYPES
    ).order_by("created_at", "id")
    rows = []
    for entry in entries.iterator():
        rows.append(
            Activity(
                organization_id=entry.organization_id,
                user_id=entry.user_id,
                action=entry.action.split(".", 1)[-1][:20],
                object_type=entry.object_type,
                object_id=int(entry.object_id) if entry.object_id.isdigit() else None,
                summary=entry.summary,
                changes=entry.changes,
                created_at=entry.created_at,
            )
        )
        if len(rows) >= BATCH:
            Activity.objects.bulk_create(rows)
            rows = []
    Activity.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("roadmap", "0001_initial"),
        ("audit", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
