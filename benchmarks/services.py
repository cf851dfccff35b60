"""Writes for benchmarks: reference data loading and organization baselines."""

from django.db import transaction

from organizations.models import Organization

from .baselines import parse_baselines
from .models import BenchmarkReferenceData, OrganizationBaseline
from .reference import BenchmarkDataError, BenchmarkReference


@transaction.atomic
def benchmark_reference_load(
    reference: BenchmarkReference, raw: dict, *, source: str
) -> tuple[BenchmarkReferenceData, bool]:
    """Store a validated benchmarks file once. Returns (stored, created).

    Re-loading the same content is a no-op; different content under a published
    version is refused, because results already cited it.
    """
    existing = BenchmarkReferenceData.objects.filter(version=reference.version).first()
    if existing is not None:
        if existing.checksum != reference.checksum:
            raise BenchmarkDataError(
                f"{source}: benchmark reference data {reference.version} is already published "
                "with different content; published versions cannot be changed — give the "
                "change a new version"
            )
        return existing, False
    stored = BenchmarkReferenceData.objects.create(
        version=reference.version, checksum=reference.checksum, source=source, definition=raw
    )
    return stored, True


@transaction.atomic
def baseline_update(
    *, organization: Organization, data: dict, user=None, partial: bool = False
) -> OrganizationBaseline:
    """Validate and store the organization's baselines (all fields, or with `partial`
    only those given). Raises `baselines.BaselineError` listing every invalid field;
    nothing is saved then."""
    cleaned = parse_baselines(data, partial=partial)
    baseline, _ = OrganizationBaseline.objects.update_or_create(
        organization=organization, defaults={**cleaned, "updated_by": user}
    )
    return baseline
