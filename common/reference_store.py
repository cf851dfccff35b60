"""The publish-once store of versioned reference data (question banks aside): a
validated file is stored under its version once, and never changed after."""

from django.db import transaction


@transaction.atomic
def reference_data_publish(
    model,
    *,
    version: str,
    checksum: str,
    source: str,
    definition: dict,
    error: type[Exception],
    label: str,
):
    """Store a validated reference-data file once (roadmap, benchmarks). Returns
    (stored, created). Re-loading the same content is a no-op; different content under
    a published version raises `error`, because results already cite it."""
    existing = model.objects.filter(version=version).first()
    if existing is not None:
        if existing.checksum != checksum:
            raise error(
                f"{source}: {label} {version} is already published with different content; "
                "published versions cannot be changed — give the change a new version"
            )
        return existing, False
    stored = model.objects.create(
        version=version, checksum=checksum, source=source, definition=definition
    )
    return stored, True
