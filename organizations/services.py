"""Writes for organizations: create, update, and a membership set by a command. Every
change is recorded in the organization's audit log (`audit.services.record`), in the
same transaction; invalid input raises `InputError` naming every field."""

from django.db import transaction

from audit.services import record
from common.errors import InputError
from common.validation import full_clean

from .models import Membership, Organization, Role


@transaction.atomic
def organization_create(
    *, user, name: str, industry: str, size_band: str, region: str, is_demo: bool = False
) -> Organization:
    """Create a client organization; its creator becomes its consultant."""
    organization = Organization.objects.create(
        name=name, industry=industry, size_band=size_band, region=region, is_demo=is_demo
    )
    Membership.objects.create(user=user, organization=organization, role=Role.CONSULTANT)
    record(
        action="organization.created",
        user=user,
        organization=organization,
        obj=organization,
        summary=f"Organization {organization.name} created",
        changes={"name": [None, name], "industry": [None, industry], "region": [None, region]},
    )
    return organization


EDITABLE_FIELDS = ("name", "industry", "size_band", "region")


@transaction.atomic
def organization_update(*, organization: Organization, user, changes: dict) -> Organization:
    """Change the organization's name, industry, size band or region: validated (every
    field at once, nothing saved on an error), saved and recorded with old → new. A
    change to nothing records nothing."""
    unknown = sorted(set(changes) - set(EDITABLE_FIELDS))
    if unknown:
        raise InputError(unknown[0], "unknown_field", "Unknown field.")
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    before = {field: getattr(organization, field) for field in EDITABLE_FIELDS}
    for field, value in changes.items():
        setattr(organization, field, value)
    full_clean(organization, validate_unique=False)
    diff = {
        field: [before[field], getattr(organization, field)]
        for field in EDITABLE_FIELDS
        if getattr(organization, field) != before[field]
    }
    if not diff:
        return organization
    organization.save(update_fields=list(diff))
    record(
        action="organization.updated",
        user=user,
        organization=organization,
        obj=organization,
        summary=f"Organization {organization.name}: "
        + "; ".join(_described(field, *old_new) for field, old_new in diff.items()),
        changes=diff,
    )
    return organization


def _described(field: str, old, new) -> str:
    """'region Europe → Asia-Pacific': choices by their labels."""
    labels = dict(Organization._meta.get_field(field).flatchoices)
    return f"{field.replace('_', ' ')} {labels.get(old, old)} → {labels.get(new, new)}"


@transaction.atomic
def membership_set(*, user, organization: Organization, role: str) -> Membership:
    previous = (
        Membership.objects.filter(user=user, organization=organization)
        .values_list("role", flat=True)
        .first()
    )
    membership, _ = Membership.objects.update_or_create(
        user=user, organization=organization, defaults={"role": role}
    )
    if previous != role:
        record(
            action="membership.set",
            organization=organization,
            obj=membership,
            summary=f"{user.get_username()} is now {membership.get_role_display()}",
            changes={"role": [previous, role]},
        )
    return membership
