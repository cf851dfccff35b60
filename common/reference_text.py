"""Reference data in another language: a translation file mirrors its English file.

A question bank, roadmap or benchmark file is written in English; its translation (e.g.
`2026.2.de.yaml` beside `2026.2.yaml`) repeats only the texts, in the same structure,
with lists of keyed items written as mappings from the item's key. Keys, weights, levels
and every other figure stay in the English file, so a version scores the same in every
language. `translate` lays a translation over its English document and lists, one line
each, every text that is missing, unknown or of the wrong shape.

Pure: no framework, no I/O.
"""

from collections.abc import Iterable
from pathlib import PurePath
from typing import Any

# What identifies an item of a list of mappings, in order of preference.
IDENTIFIERS = ("key", "level", "phase", "id", "number")


def translation_path(path: PurePath, language: str) -> PurePath:
    """Where the translation of a reference file sits: `2026.2.de.yaml` beside `2026.2.yaml`."""
    return path.with_name(f"{path.stem}.{language}{path.suffix}")


def is_translation_file(path: PurePath, languages: Iterable[str]) -> bool:
    """Whether `path` is a translation (`<name>.<language>.yaml`) rather than an English file."""
    return any(path.stem.endswith(f".{language}") for language in languages)


class TranslationError(ValueError):
    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


def identifier(item: dict) -> str | None:
    for name in IDENTIFIERS:
        if name in item:
            return str(item[name])
    return None


def _is_keyed_list(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and identifier(item) is not None for item in value)
    )


def has_text(value: Any, texts: frozenset[str]) -> bool:
    """Whether a part of an English document holds anything a translation must cover."""
    if isinstance(value, dict):
        return any(
            (name in texts and bool(item)) or (name not in texts and has_text(item, texts))
            for name, item in value.items()
        )
    if isinstance(value, list):
        return any(has_text(item, texts) for item in value)
    return False


def _where(path: Iterable[str]) -> str:
    return " › ".join(path) or "(top)"


def _text(base: Any, given: Any, path: tuple[str, ...], errors: list[str]) -> Any:
    if isinstance(base, str):
        if not isinstance(given, str) or not given.strip():
            errors.append(f"{_where(path)}: must be a text that is not empty")
            return base
        return given
    if isinstance(base, list) and all(isinstance(item, str) for item in base):
        if (
            not isinstance(given, list)
            or len(given) != len(base)
            or not all(isinstance(item, str) and item.strip() for item in given)
        ):
            errors.append(f"{_where(path)}: must be a list of {len(base)} texts, none empty")
            return base
        return given
    errors.append(f"{_where(path)}: is not a text and cannot be translated")
    return base


def _translate(
    base: Any, given: Any, texts: frozenset[str], path: tuple[str, ...], errors: list[str]
) -> Any:
    if isinstance(base, dict):
        if not isinstance(given, dict):
            errors.append(f"{_where(path)}: must be a mapping")
            return base
        result = dict(base)
        for name, value in given.items():
            here = (*path, str(name))
            if name not in base:
                errors.append(f"{_where(here)}: is not in the English file")
            elif name in texts:
                result[name] = _text(base[name], value, here, errors)
            elif has_text(base[name], texts):
                result[name] = _translate(base[name], value, texts, here, errors)
            else:
                errors.append(f"{_where(here)}: holds no text and cannot be translated")
        for name, value in base.items():
            if name not in given and (
                (name in texts and bool(value)) or (name not in texts and has_text(value, texts))
            ):
                errors.append(f"{_where((*path, str(name)))}: missing")
        return result
    if _is_keyed_list(base):
        if not isinstance(given, dict):
            errors.append(f"{_where(path)}: must be a mapping from each item's key")
            return base
        by_key = {identifier(item): item for item in base}
        for name in given:
            if str(name) not in by_key:
                errors.append(f"{_where((*path, str(name)))}: is not in the English file")
        given_by_key = {str(name): value for name, value in given.items()}
        result = []
        for key, item in by_key.items():
            here = (*path, key)
            if key in given_by_key:
                result.append(_translate(item, given_by_key[key], texts, here, errors))
            else:
                if has_text(item, texts):
                    errors.append(f"{_where(here)}: missing")
                result.append(item)
        return result
    errors.append(f"{_where(path)}: holds no text and cannot be translated")
    return base


def translate(base: dict, translation: dict, *, texts: frozenset[str]) -> dict:
    """The English document `base` with every field named in `texts` replaced by the
    translation's. Raises TranslationError listing every problem, one per line."""
    errors: list[str] = []
    result = _translate(base, translation, texts, (), errors)
    if errors:
        raise TranslationError(errors)
    return result
