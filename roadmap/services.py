"""Writes for the roadmap: reference data loading (later: roadmaps, milestones, use cases)."""

from django.db import transaction

from .models import RoadmapReferenceData
from .reference import RoadmapDataError, RoadmapReference


@transaction.atomic
def roadmap_reference_load(
    reference: RoadmapReference, raw: dict, *, source: str
) -> tuple[RoadmapReferenceData, bool]:
    """Store a validated roadmap file once; a changed file under a published version is
    refused. Returns (stored, created)."""
    existing = RoadmapReferenceData.objects.filter(version=reference.version).first()
    if existing is not None:
        if existing.checksum != reference.checksum:
            raise RoadmapDataError(
                f"{source}: roadmap reference data {reference.version} is already published "
                "with different content; published versions cannot be changed — give the "
                "change a new version"
            )
        return existing, False
    stored = RoadmapReferenceData.objects.create(
        version=reference.version, checksum=reference.checksum, source=source, definition=raw
    )
    return stored, True
