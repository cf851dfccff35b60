"""Roadmap and portfolio changes are recorded in the audit log (also the roadmap history)."""

from audit.models import AuditEntry
from roadmap import services


def test_a_roadmap_change_is_in_the_audit_log_too(organization, carol):
    use_case = services.use_case_create(
        organization=organization, user=carol, data={"name": "Invoice matching", "stage": "pilot"}
    )
    entry = AuditEntry.objects.get(action="use_case.created")
    assert entry.user == carol
    assert entry.organization == organization
    assert entry.object_id == str(use_case.pk)
    assert "Invoice matching" in entry.summary


def test_the_audit_page_shows_roadmap_changes_to_consultants(client, alice, carol, organization):
    services.use_case_create(
        organization=organization, user=carol, data={"name": "Invoice matching", "stage": "pilot"}
    )
    client.force_login(alice)
    body = client.get(f"/organizations/{organization.pk}/audit/").content.decode()
    assert "Invoice matching" in body
