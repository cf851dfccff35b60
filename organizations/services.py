from django.db import transaction

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
    return organization


def membership_set(*, user, organization: Organization, role: str) -> Membership:
    membership, _ = Membership.objects.update_or_create(
        user=user, organization=organization, defaults={"role": role}
    )
    return membership
