"""The roadmap's Activity rows are folded into the audit log by migration
roadmap 0002: nothing lost, nothing doubled where the services had written both."""

from datetime import timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from audit.models import AuditEntry

BEFORE = [("roadmap", "0001_initial"), ("audit", "0001_initial")]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_every_activity_row_ends_up_in_the_audit_log_once():
    old = _migrate(BEFORE)
    Organization = old.get_model("organizations", "Organization")
    User = old.get_model("auth", "User")
    Activity = old.get_model("roadmap", "Activity")
    Entry = old.get_model("audit", "AuditEntry")
    org = Organization.objects.create(
        name="Acme", industry="other", size_band="lt_250", region="europe"
    )
    carol = User.objects.create(username="carol")
    t0 = timezone.now() - timedelta(days=30)

    def activity(minutes, **fields):
        return Activity.objects.create(
            organization=org, user=carol, created_at=t0 + timedelta(minutes=minutes), **fields
        )

    def mirror(row, **fields):
        values = {
            "user": carol,
            "actor": "carol",
            "organization": org,
            "action": f"{row.object_type}.{row.action}",
            "object_type": row.object_type,
            "object_id": str(row.object_id),
            "summary": row.summary,
            "changes": row.changes,
            "ip": "198.51.100.7",
            "request_id": "a" * 32,
            "created_at": row.created_at + timedelta(milliseconds=3),
        }
        return Entry.objects.create(**(values | fields))

    # Before the services wrote the audit log too: only in Activity.
    activity(
        0,
        action="updated",
        object_type="milestone",
        object_id=7,
        summary="Milestone “Data catalogue”: owner — → Dana",
        changes={"owner": ["", "Dana"]},
    )
    # Since then: in both.
    created = activity(
        10,
        action="created",
        object_type="use_case",
        object_id=3,
        summary="Added use case “Invoice matching” (Idea)",
        changes={"name": [None, "Invoice matching"]},
    )
    mirrored = mirror(created)
    # The same move twice: the first only in Activity, the second in both.
    for minutes in (20, 21):
        moved = activity(
            minutes,
            action="reordered",
            object_type="milestone",
            object_id=8,
            summary="Moved milestone “Hire” up in phase 2 (place 2 → 1)",
            changes={"position": [2, 1]},
        )
    mirror(moved)
    # A re-assessment, kept as an Activity of the new assessment (no roadmap any more).
    reassessed = activity(
        30,
        action="created",
        object_type="assessment",
        object_id=42,
        summary="Started “Re-assessment 1 Jun 2026” with 2 respondents of “2026 baseline”",
        changes={"assessment": [41, 42]},
    )
    renamed = mirror(reassessed)
    unrelated = Entry.objects.create(
        organization=org,
        action="assessment.created",
        object_type="assessment",
        object_id="42",
        summary="Assessment Re-assessment 1 Jun 2026 created (bank 2026.1)",
        created_at=reassessed.created_at - timedelta(milliseconds=40),  # written first
    )

    _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    entries = list(AuditEntry.objects.filter(organization_id=org.pk).order_by("created_at", "id"))
    assert [(e.action, e.object_type, e.object_id) for e in entries] == [
        ("milestone.updated", "milestone", "7"),
        ("use_case.created", "use_case", "3"),
        ("milestone.reordered", "milestone", "8"),
        ("milestone.reordered", "milestone", "8"),
        ("assessment.created", "assessment", "42"),
        ("roadmap.reassessed", "roadmap", ""),
    ]
    copied = entries[0]
    assert (copied.user_id, copied.actor, copied.created_at) == (carol.pk, "carol", t0)
    assert copied.summary == "Milestone “Data catalogue”: owner — → Dana"
    assert copied.changes == {"owner": ["", "Dana"]}
    assert (copied.ip, copied.request_id) == (None, "")
    assert entries[1].pk == mirrored.pk and entries[1].request_id == "a" * 32  # kept as it was
    assert entries[4].pk == unrelated.pk
    assert entries[5].pk == renamed.pk and entries[5].changes == {"assessment": [41, 42]}
