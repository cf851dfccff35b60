"""The German catalogue is complete and current.

`make messages` is run on a copy of the project; every string it collects must already be
in locale/de/LC_MESSAGES/django.po with a German translation that is neither empty nor
fuzzy, and whose placeholders are the English ones. A string marked for translation but
not translated fails here, as does a catalogue nobody regenerated after a change.
"""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

ROOT = Path(__file__).resolve().parent.parent
CATALOGUE = ROOT / "locale" / "de" / "LC_MESSAGES" / "django.po"
NOT_SOURCE = (".git", ".venv", "node_modules", "data", "test-artifacts", "*.mo", "__pycache__")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdfr]|\{(\w*)\}")

pytestmark = pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="GNU gettext is not installed (make gettext)"
)


def placeholders(text: str) -> set[str]:
    return {match.group(0) for match in PLACEHOLDER.finditer(text)}


@pytest.fixture(scope="module")
def collected(tmp_path_factory) -> polib.POFile:
    copy = tmp_path_factory.mktemp("project") / "project"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns(*NOT_SOURCE))
    subprocess.run(
        ["make", "--no-print-directory", "messages", f"PY={sys.executable}", "STAMP="],
        cwd=copy,
        check=True,
        capture_output=True,
        text=True,
    )
    return polib.pofile(str(copy / CATALOGUE.relative_to(ROOT)))


@pytest.fixture(scope="module")
def catalogue() -> polib.POFile:
    assert CATALOGUE.exists(), "locale/de/LC_MESSAGES/django.po is missing: run make messages"
    return polib.pofile(str(CATALOGUE))


def key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def test_every_marked_string_is_in_the_catalogue(collected, catalogue):
    committed = {key(entry) for entry in catalogue}
    missing = [entry.msgid for entry in collected if key(entry) not in committed]
    assert not missing, f"run make messages and translate: {missing[:20]}"


def test_every_string_has_a_german_translation(catalogue):
    untranslated = [
        entry.msgid
        for entry in catalogue
        if entry.obsolete is False
        and (
            "fuzzy" in entry.flags
            or (entry.msgid_plural and not all(entry.msgstr_plural.values()))
            or (not entry.msgid_plural and not entry.msgstr.strip())
        )
    ]
    assert not untranslated, f"{len(untranslated)} strings have no German: {untranslated[:20]}"


def test_translations_keep_the_placeholders(catalogue):
    wrong = []
    for entry in catalogue:
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        expected = placeholders(entry.msgid) | placeholders(entry.msgid_plural or "")
        for translation in translations:
            found = placeholders(translation)
            # A plural's singular may leave out the count ("ein Tag"); nothing may be added.
            if translation and (found != expected if not entry.msgid_plural else found - expected):
                wrong.append((entry.msgid, translation))
    assert not wrong, wrong[:10]


def test_the_catalogue_has_no_stale_entries(collected, catalogue):
    current = {key(entry) for entry in collected}
    stale = [entry.msgid for entry in catalogue if key(entry) not in current]
    assert not stale, f"run make messages (these are no longer in the code): {stale[:20]}"
