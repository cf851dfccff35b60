"""What changed between two question bank versions, question by question and field by
field, for the methodology owner's diff view. Pure: no Django but its translations (the
labels are in the reader's language; kinds, keys and field names stay English)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from .bank import Bank, Dimension, Question

QUESTION_FIELDS = ("dimension", "text", "help", "weight", "weight_reason", "allow_na", "tags")
DIMENSION_FIELDS = ("kind", "title", "description", "weight", "weight_reason")


KIND_LABELS = {
    "added": pgettext_lazy("bank change", "added"),
    "removed": pgettext_lazy("bank change", "removed"),
    "changed": pgettext_lazy("bank change", "changed"),
}
WHAT_LABELS = {"dimension": gettext_lazy("dimension"), "question": gettext_lazy("question")}
FIELD_LABELS = {
    "dimension": gettext_lazy("dimension"),
    "kind": gettext_lazy("kind"),
    "title": gettext_lazy("title"),
    "description": gettext_lazy("description"),
    "text": gettext_lazy("text"),
    "help": gettext_lazy("help"),
    "weight": gettext_lazy("weight"),
    "weight_reason": gettext_lazy("weight reason"),
    "allow_na": gettext_lazy("“Not applicable” allowed"),
    "tags": gettext_lazy("pitfall tags"),
}


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str

    @property
    def label(self) -> str:
        if self.field.startswith("level "):
            return _("level %(number)s") % {"number": self.field.removeprefix("level ")}
        return str(FIELD_LABELS.get(self.field, self.field))


@dataclass(frozen=True)
class ItemChange:
    kind: str  # "added", "removed" or "changed"
    what: str  # "dimension" or "question"
    key: str
    title: str
    fields: tuple[FieldChange, ...] = ()

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    @property
    def what_label(self) -> str:
        return str(WHAT_LABELS.get(self.what, self.what))


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
        return _("yes") if value else _("no")
    if isinstance(value, tuple):
        return ", ".join(value) or "—"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)
