"""Writes for benchmarks: reference data loading and organization baselines."""

from django.db import transaction

from common.reference_store import reference_data_publish
from organizations.models import Organization

from .baselines import parse_baselines
from .models import BenchmarkReferenceData, OrganizationBaseline
from .reference import BenchmarkDataError, BenchmarkReference


@transaction.atomic
def benchmark_reference_load(
    reference: BenchmarkReference, raw: dict, *, source: str
) -> tuple[BenchmarkReferenceData, bool]:
    """Store a validated benchmarks file once (see `reference_data_publish`)."""
    return reference_data_publish(
        BenchmarkReferenceData,
        version=reference.version,
        checksum=reference.checksum,
        source=source,
        definition=raw,
        error=BenchmarkDataError,
        label="benchmark reference data",
    )


@transaction.atomic
def baseline_update(
    *, organization: Organization, data: dict, user=None, partial: bool = False
) -> OrganizationBaseline:
    """Validate and store the organization's baselines (all fields, or with `partial`
    only those given). Raises `InputError` listing every invalid field;
    nothing is saved then."""
    cleaned = parse_baselines(data, partial=partial)
    baseline, _ = OrganizationBaseline.objects.update_or_create(
        organization=organization, defaults={**cleaned, "updated_by": user}
    )
    return baseline
