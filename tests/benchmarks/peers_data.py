"""Peer organizations with a closed assessment and frozen scores, made directly: the
peer comparison reads only `ScoreSnapshot` rows, so no answers are needed."""

from django.utils import timezone

from assessments.bank import DIMENSION_KEYS
from assessments.models import Assessment, ScoreSnapshot
from organizations.models import Organization


def peer(name, industry, index, *, bank, closed_at=None, is_demo=False, **dimensions):
    """An organization (no members) whose latest closed assessment scored `index`, and
    `index` on every dimension unless given."""
    organization = Organization.objects.create(
        name=name, industry=industry, size_band="1000_4999", region="europe", is_demo=is_demo
    )
    closed_assessment(organization, bank, index, closed_at=closed_at, **dimensions)
    return organization


def closed_assessment(organization, bank, index, *, closed_at=None, **dimensions):
    closed_at = closed_at or timezone.now()
    assessment = Assessment.objects.create(
        organization=organization,
        bank=bank,
        title=f"Closed {closed_at:%Y-%m-%d}",
        status=Assessment.Status.CLOSED,
        closed_at=closed_at,
    )
    scores = {key: dimensions.get(key, index) for key in DIMENSION_KEYS}
    return ScoreSnapshot.objects.create(
        assessment=assessment,
        organization=organization,
        closed_at=closed_at,
        index=index,
        level=None if index is None else min(5, int(index // 20) + 1),
        **scores,
    )
