"""The publish-once store of versioned reference data (question banks aside): a
validated file is stored under its version once, and never changed after. Its
translations (texts only, laid over the English file when read) may be added or
corrected later: they change no figure, so results that cite the version stay true."""

import dataclasses
import hashlib
import json
import logging
from collections.abc import Callable

from django.db import transaction
from django.utils import translation

logger = logging.getLogger(__name__)


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
    translate: Callable,
    translations: dict | None = None,
):
    """Store a validated reference-data file once (roadmap, benchmarks). Returns
    (stored, created). Re-loading the same content is a no-op but for its translations
    (`translations`: language code → translation document), which replace the stored
    ones when given and different; different content under a published version raises
    `error`, because results already cite it. Each translation is first checked with
    `translate(definition, document, source=...)`: every problem of every translation
    is listed in one `error` and nothing is stored."""
    problems = []
    for language, document in sorted((translations or {}).items()):
        try:
            translate(definition, document, source=f"{source} ({language})")
        except error as exc:
            problems.append(str(exc))
    if problems:
        raise error("\n".join(problems))
    if translations is not None:
        # As the JSON field gives them back (keys as strings), so a reload compares equal.
        translations = json.loads(json.dumps(translations))
    existing = model.objects.select_for_update().filter(version=version).first()
    if existing is not None:
        if existing.checksum != checksum:
            raise error(
                f"{source}: {label} {version} is already published with different content; "
                "published versions cannot be changed — give the change a new version"
            )
        if translations is not None and existing.translations != translations:
            existing.translations = translations
            existing.save(update_fields=["translations"])
        return existing, False
    stored = model.objects.create(
        version=version,
        checksum=checksum,
        source=source,
        definition=definition,
        translations=translations or {},
    )
    return stored, True


def parsed_in_active_language(stored, *, parse: Callable, translate: Callable, parsed: dict):
    """A stored reference (roadmap, benchmarks) parsed in the active language: its
    translation laid over the English file when it has one for that language, else the
    English. Figures, keys and the checksum are the English file's in every language.
    `parsed` keeps each (version, checksum, language, translation) parsed once per process;
    a translation that cannot be used is logged and the English shown."""
    language = (translation.get_language() or "en").split("-")[0]
    document = (stored.translations or {}).get(language)
    marker = (
        hashlib.sha256(json.dumps(document, sort_keys=True).encode()).hexdigest()
        if document
        else ""
    )
    key = (stored.pk, stored.checksum, language if document else "", marker)
    if key not in parsed:
        english = parse(stored.definition, source=stored.source)
        reference = english
        if document:
            try:
                translated = translate(stored.definition, document, source=stored.source)
                reference = parse(translated, source=stored.source)
            except ValueError:
                logger.exception(
                    "Translation %s of %s is not usable; showing English", language, stored
                )
        parsed[key] = dataclasses.replace(reference, checksum=english.checksum)
    return parsed[key]
