"""What changed between two question bank versions, question by question and field by
field, for the methodology owner's diff view. Pure: no Django."""

from __future__ import annotations

from dataclasses import dataclass

from .bank import Bank, Dimension, Question

QUESTION_FIELDS = ("dimension", "text", "help", "weight", "weight_reason", "allow_na", "tags")
DIMENSION_FIELDS = ("kind", "title", "description", "weight", "weight_reason")


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class ItemChange:
    kind: str  # "added", "removed" or "changed"
    what: str  # "dimension" or "question"
    key: str
    title: str
    fields: tuple[FieldChange, ...] = ()


@dataclass(frozen=True)
class BankDiff:
    old_version: str
    new_version: str
    changes: tuple[ItemChange, ...]

    def count(self, kind: str) -> int:
        return sum(1 for change in self.changes if change.kind == kind)


def bank_diff(old: Bank, new: Bank) -> BankDiff:
    changes = _items(
        "dimension",
        {d.key: d for d in old.dimensions},
        {d.key: d for d in new.dimensions},
        _dimension_fields,
        lambda d: d.title,
    ) + _items(
        "question",
        {q.key: q for q in old.questions},
        {q.key: q for q in new.questions},
        _question_fields,
        lambda q: q.text,
    )
    return BankDiff(old.version, new.version, tuple(changes))


def _items(what, old: dict, new: dict, fields_of, title_of) -> list[ItemChange]:
    changes = []
    for key, item in new.items():
        if key not in old:
            changes.append(ItemChange("added", what, key, title_of(item)))
            continue
        before, after = fields_of(old[key]), fields_of(item)
        fields = tuple(
            FieldChange(name, before[name], after[name])
            for name in after
            if before[name] != after[name]
        )
        if fields:
            changes.append(ItemChange("changed", what, key, title_of(item), fields))
    changes += [
        ItemChange("removed", what, key, title_of(item))
        for key, item in old.items()
        if key not in new
    ]
    return changes


def _dimension_fields(dimension: Dimension) -> dict[str, str]:
    return {name: _shown(getattr(dimension, name)) for name in DIMENSION_FIELDS}


def _question_fields(question: Question) -> dict[str, str]:
    fields = {name: _shown(getattr(question, name)) for name in QUESTION_FIELDS}
    for number, text in enumerate(question.levels, start=1):
        fields[f"level {number}"] = text
    return fields


def _shown(value) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple):
        return ", ".join(value) or "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
