from django.db.models import QuerySet

from organizations.selectors import MANAGERS, organization_for_member

from .models import AuditEntry


def audit_log_for_consultant(user, organization_id: int):
    """(organization, its entries newest first) for its consultants; 404 for anyone else."""
    organization, _ = organization_for_member(user, organization_id, MANAGERS)
    entries: QuerySet[AuditEntry] = AuditEntry.objects.filter(
        organization=organization
    ).select_related("user")
    return organization, entries
