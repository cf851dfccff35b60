"""Writes for benchmarks: reference data loading and organization baselines (every
change of a baseline recorded in the organization's audit log, old → new)."""

from decimal import Decimal

from django.db import transaction

from audit.services import record
from common.reference_store import reference_data_publish
from organizations.models import Organization

from .baselines import FIELDS, parse_baselines
from .models import BenchmarkReferenceData, OrganizationBaseline
from .reference import BenchmarkDataError, BenchmarkReference, translate_benchmarks


@transaction.atomic
def benchmark_reference_load(
    reference: BenchmarkReference, raw: dict, *, source: str, translations: dict | None = None
) -> tuple[BenchmarkReferenceData, bool]:
    """Store a validated benchmarks file once (see `reference_data_publish`), with its
    translations (language code → translation document), each checked against it first:
    every problem of every translation is listed and nothing is stored."""
    return reference_data_publish(
        BenchmarkReferenceData,
        version=reference.version,
        checksum=reference.checksum,
        source=source,
        definition=raw,
        translations=translations,
        translate=translate_benchmarks,
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
    existing = (
        OrganizationBaseline.objects.select_for_update().filter(organization=organization).first()
    )
    before = {f: None if existing is None else getattr(existing, f) for f in FIELDS}
    baseline, created = OrganizationBaseline.objects.update_or_create(
        organization=organization, defaults={**cleaned, "updated_by": user}
    )
    changes = {
        f: [_json(before[f]), _json(getattr(baseline, f))]
        for f in FIELDS
        if created or before[f] != getattr(baseline, f)
    }
    changes = {f: change for f, change in changes.items() if change != [None, None]}
    if created or changes:
        verb = "set" if created else "changed"
        record(
            action="baseline.created" if created else "baseline.updated",
            user=user,
            organization=organization,
            obj=baseline,
            summary=f"Baselines {verb}: " + (", ".join(f.replace("_", " ") for f in changes)),
            changes=changes,
        )
    return baseline


def _json(value):
    """A baseline value in the audit log: amounts as text with their two decimals."""
    return f"{value:.2f}" if isinstance(value, Decimal) else value
