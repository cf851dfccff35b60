from django.db import transaction

from audit.services import record

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
