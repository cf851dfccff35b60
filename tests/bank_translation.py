"""A German translation of a shipped question bank for tests, written like the real ones
(`assessments/banks/<version>.de.yaml`): the same structure as the English file, texts
only, lists of keyed items written as mappings from the item's key or level. Every text
is the English one marked "[de] ", except the few given in German below, so a test can
tell a translated text from the English it replaces without depending on the real
translation files."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import yaml
from django.core.management import call_command

BANKS = Path(__file__).resolve().parents[1] / "assessments" / "banks"
MARK = "[de] "
# Real German for what the browser test reads (bank 2026.1).
GERMAN = {
    ("dimensions", "data_infrastructure", "title"): "Dateninfrastruktur",
    ("maturity_levels", "1", "name"): "Erkunden",
    ("maturity_levels", "2", "name"): "Experimentieren",
    ("maturity_levels", "3", "name"): "Operationalisieren",
    ("maturity_levels", "4", "name"): "Skalieren",
    ("maturity_levels", "5", "name"): "Transformieren",
}


def english(version: str = "2026.1") -> dict:
    return yaml.safe_load((BANKS / f"{version}.yaml").read_text(encoding="utf-8"))


def translation(doc: dict, first_question: str | None = None) -> dict:
    """The translation file's content for the English bank document `doc`."""

    def text(path: tuple, value):
        if path in GERMAN:
            return GERMAN[path]
        if isinstance(value, list):
            return [MARK + item for item in value]
        return MARK + value if value else value

    result: dict = {"title": text(("title",), doc["title"])}
    if doc.get("description"):
        result["description"] = text(("description",), doc["description"])
    result["maturity_levels"] = {
        level["level"]: {
            name: text(("maturity_levels", str(level["level"]), name), level[name])
            for name in ("name", "description")
            if level.get(name)
        }
        for level in doc["maturity_levels"]
    }
    result["pitfalls"] = {
        pitfall["key"]: {
            name: text(("pitfalls", pitfall["key"], name), pitfall[name])
            for name in ("title", "mitigation", "description")
            if pitfall.get(name)
        }
        for pitfall in doc["pitfalls"]
    }
    dimensions = {}
    for dimension in doc["dimensions"]:
        item = {
            name: text(("dimensions", dimension["key"], name), dimension[name])
            for name in ("title", "description", "weight_reason")
            if dimension.get(name)
        }
        item["questions"] = {
            question["key"]: {
                name: text(("questions", question["key"], name), question[name])
                for name in ("text", "help", "levels", "weight_reason")
                if question.get(name)
            }
            for question in dimension["questions"]
        }
        dimensions[dimension["key"]] = item
    result["dimensions"] = dimensions
    if first_question:
        key = doc["dimensions"][0]["questions"][0]["key"]
        result["dimensions"][doc["dimensions"][0]["key"]]["questions"][key]["text"] = first_question
    return result


FIRST_QUESTION_DE = "Wie gelangen KI-Teams an die Daten Ihrer Altsysteme?"


def write_files(folder: Path, version: str = "2026.1", changes=None) -> Path:
    """The English bank file and its German translation in `folder` (the translation
    changed by `changes(doc)` when given); returns the English file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    english_path = folder / f"{version}.yaml"
    english_path.write_text((BANKS / f"{version}.yaml").read_text(encoding="utf-8"))
    doc = translation(english(version), first_question=FIRST_QUESTION_DE)
    if changes is not None:
        changes(doc)
    (folder / f"{version}.de.yaml").write_text(
        yaml.safe_dump(doc, allow_unicode=True, sort_keys=False), encoding="utf-8"
    )
    return english_path


def load_german(folder: Path, version: str = "2026.1") -> None:
    """Load the bank with its German translation, as `load_reference_data` does."""
    call_command("load_reference_data", bank=[write_files(folder, version)], stdout=StringIO())
