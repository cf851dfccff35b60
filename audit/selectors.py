from django.db.models import QuerySet

from organizations.policy import Action, authorize

from .models import AuditEntry


def audit_log_for_consultant(user, organization_id: int):
    """(organization, its entries newest first) for its consultants; 404 for anyone else."""
    organization = authorize(user, organization_id, Action.READ_AUDIT_LOG).organization
    entries: QuerySet[AuditEntry] = AuditEntry.objects.filter(
        organization=organization
    ).select_related("user")
    return organization, entries
