"""The methodology owner's question bank editor: draft the next version from a published
one or from an imported file, edit it, check it with the loader's own rules, publish it.

A published bank never changes (`question_bank_load` refuses different content under a
published version); a draft is the only thing edited, and publishing stores it exactly as
`load_reference_data` stores a bank file. Every change is in the audit log.
"""

from __future__ import annotations

import copy

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from audit.services import record
from common.errors import FieldError, InputError

from .bank import (
    VERSION_PATTERN,
    Bank,
    BankError,
    bank_problems,
    count_words,
    parse_bank,
)
from .bank_files import BankFileError, Locator, bank_document, read_xlsx, read_yaml
from .models import BankDraft, QuestionBank
from .services import question_bank_load

# An imported file larger than this is not a question bank.
MAX_IMPORT_BYTES = 2 * 1024 * 1024


def can_edit_banks(user) -> bool:
    return user.is_authenticated and (
        user.is_staff or user.has_perm("assessments.edit_question_banks")
    )


def published_bank(stored: QuestionBank) -> Bank:
    return parse_bank(stored.document, source=f"bank {stored.version}")


def draft_bank(draft: BankDraft) -> Bank:
    """The draft as the loader reads it; raises BankError while it has problems."""
    return parse_bank(draft.document, source=f"draft {draft.version}")


def _check_new_version(version: str) -> str:
    version = (version or "").strip()
    if not VERSION_PATTERN.match(version):
        raise InputError(
            "version",
            "invalid",
            _("Use letters, digits, “.”, “_” or “-” (at most 32), e.g. 2027.1."),
        )
    if QuestionBank.objects.filter(version=version).exists():
        raise InputError(
            "version",
            "published",
            _("Version %(version)s is already published.") % {"version": version},
        )
    if BankDraft.objects.filter(version=version).exists():
        raise InputError(
            "version",
            "drafted",
            _("A draft of version %(version)s already exists.") % {"version": version},
        )
    return version


@transaction.atomic
def draft_create(*, based_on: QuestionBank, version: str, user) -> BankDraft:
    """The next version, starting as a copy of `based_on` whose every question is mapped
    to itself as its predecessor (edits mark them reworded)."""
    version = _check_new_version(version)
    document = copy.deepcopy(based_on.document)
    document["version"] = version
    document["predecessor"] = {
        "version": based_on.version,
        "changes": [
            {
                "from": question["key"],
                "change": "same",
                "to": [question["key"]],
                "reason": f"Unchanged from {based_on.version}.",
            }
            for dimension in document["dimensions"]
            for question in dimension["questions"]
        ],
    }
    draft = _save_new(version, document, based_on, user)
    record(
        action="bank_draft.created",
        user=user,
        obj=draft,
        summary=f"Draft question bank {version} started from {based_on.version}",
    )
    return draft


def _save_new(version, document, based_on, user) -> BankDraft:
    try:
        with transaction.atomic():
            return BankDraft.objects.create(
                version=version, document=document, based_on=based_on, created_by=user
            )
    except IntegrityError as error:  # a draft of that version created meanwhile
        raise InputError(
            "version",
            "drafted",
            _("A draft of version %(version)s already exists.") % {"version": version},
        ) from error


@transaction.atomic
def draft_import(*, name: str, data: bytes, user) -> BankDraft:
    """A draft from a YAML or XLSX bank file. A file with problems is refused with every
    problem listed at its line or row, and nothing is stored."""
    if len(data) > MAX_IMPORT_BYTES:
        raise InputError("file", "too_large", _("The file is larger than 2 MB."))
    try:
        if name.lower().endswith(".xlsx"):
            document, locator = read_xlsx(data)
        elif name.lower().endswith((".yaml", ".yml")):
            document, locator = read_yaml(data)
        else:
            raise InputError("file", "type", _("Import a .yaml or an .xlsx file."))
    except BankFileError as error:
        raise InputError("file", "unreadable", f"{name}: {error}") from error
    problems = _problems(document, name, locator)
    if problems:
        raise InputError.many(FieldError("file", "invalid", message) for message in problems)
    bank = parse_bank(document, source=name)
    version = _check_new_version(bank.version)
    draft = _save_new(version, bank_document(bank), QuestionBank.objects.first(), user)
    record(
        action="bank_draft.imported",
        user=user,
        obj=draft,
        summary=f"Draft question bank {version} imported from {name}",
    )
    return draft


def _problems(document, source: str, locator: Locator | None = None) -> list[str]:
    locator = locator or Locator()
    return [locator.describe(problem) for problem in bank_problems(document, source=source)]


def draft_problems(draft: BankDraft) -> list[str]:
    return _problems(draft.document, f"draft {draft.version}")


def _question(document: dict, key: str) -> tuple[dict, dict]:
    for dimension in document["dimensions"]:
        for question in dimension["questions"]:
            if question["key"] == key:
                return dimension, question
    raise InputError("question", "unknown", _("The draft has no question %(key)s.") % {"key": key})


def _dimension(document: dict, key: str) -> dict:
    for dimension in document["dimensions"]:
        if dimension["key"] == key:
            return dimension
    raise InputError(
        "dimension", "unknown", _("The draft has no dimension %(key)s.") % {"key": key}
    )


QUESTION_EDITABLE = ("text", "help", "weight", "weight_reason", "allow_na", "tags", "levels")
DIMENSION_EDITABLE = ("title", "description", "weight", "weight_reason")


@transaction.atomic
def draft_update_question(*, draft: BankDraft, key: str, values: dict, user) -> BankDraft:
    draft = BankDraft.objects.select_for_update().get(pk=draft.pk)
    document = copy.deepcopy(draft.document)
    _dimension, question = _question(document, key)
    before = {name: question.get(name) for name in QUESTION_EDITABLE}
    _apply(question, values, QUESTION_EDITABLE)
    changed = {
        name: [before[name], question.get(name)]
        for name in QUESTION_EDITABLE
        if before[name] != question.get(name)
    }
    _refuse_problems_of(document, draft, _place_of_question(document, key))
    if changed.keys() & {"text", "help", "levels"}:
        _mark_reworded(document, key, user)
    return _store_edit(draft, document, user, f"question {key}", changed)


@transaction.atomic
def draft_update_dimension(*, draft: BankDraft, key: str, values: dict, user) -> BankDraft:
    draft = BankDraft.objects.select_for_update().get(pk=draft.pk)
    document = copy.deepcopy(draft.document)
    dimension = _dimension(document, key)
    before = {name: dimension.get(name) for name in DIMENSION_EDITABLE}
    _apply(dimension, values, DIMENSION_EDITABLE)
    changed = {
        name: [before[name], dimension.get(name)]
        for name in DIMENSION_EDITABLE
        if before[name] != dimension.get(name)
    }
    _refuse_problems_of(document, draft, _place_of_dimension(document, key))
    return _store_edit(draft, document, user, f"dimension {key}", changed)


def _place_of_question(document: dict, key: str) -> tuple:
    for d_index, dimension in enumerate(document["dimensions"]):
        for q_index, question in enumerate(dimension["questions"]):
            if question["key"] == key:
                return ("dimensions", d_index, "questions", q_index)
    raise InputError("question", "unknown", _("The draft has no question %(key)s.") % {"key": key})


def _place_of_dimension(document: dict, key: str) -> tuple:
    for d_index, dimension in enumerate(document["dimensions"]):
        if dimension["key"] == key:
            return ("dimensions", d_index)
    raise InputError(
        "dimension", "unknown", _("The draft has no dimension %(key)s.") % {"key": key}
    )


def _refuse_problems_of(document: dict, draft: BankDraft, place: tuple) -> None:
    """An edit is saved only when the loader finds nothing wrong with the edited item
    itself (the whole bank is checked again when it is published)."""
    problems = [
        problem.message.removeprefix(f"draft {draft.version}: ")
        for problem in bank_problems(document, source=f"draft {draft.version}")
        if problem.place == place
    ]
    if problems:
        raise InputError.many(FieldError(None, "invalid", message) for message in problems)


def _apply(item: dict, values: dict, editable: tuple[str, ...]) -> None:
    for name in editable:
        if name not in values:
            continue
        value = values[name]
        # The document leaves defaults out, as a hand-written file does.
        if value in ("", [], None) or value is False or (name == "weight" and value == 1):
            item.pop(name, None)
        else:
            item[name] = value


def _mark_reworded(document: dict, key: str, user) -> None:
    for change in (document.get("predecessor") or {}).get("changes", []):
        if change["change"] == "same" and change["to"] == [key]:
            change["change"] = "reworded"
            change["reason"] = f"Reworded in the bank editor by {user.get_username()}."


def _store_edit(draft: BankDraft, document: dict, user, what: str, changed: dict) -> BankDraft:
    if not changed:
        return draft
    _restate_reading_time(document)
    draft.document = document
    draft.save(update_fields=["document", "updated_at"])
    record(
        action="bank_draft.edited",
        user=user,
        obj=draft,
        summary=f"Draft question bank {draft.version}: {what} edited",
        changes=changed,
    )
    return draft


def _restate_reading_time(document: dict) -> None:
    """The stated length follows the text (the loader refuses a stale one)."""
    reading = document.get("reading_time")
    if not reading or not reading.get("words_per_minute"):
        return
    texts = [document.get("description", "")]
    for dimension in document["dimensions"]:
        texts += [dimension.get("title", ""), dimension.get("description", "")]
        for question in dimension["questions"]:
            texts += [question.get("text", ""), question.get("help", ""), *question["levels"]]
    words = sum(count_words(text) for text in texts if isinstance(text, str))
    reading["words"] = words
    reading["minutes"] = round(words / reading["words_per_minute"])


@transaction.atomic
def draft_publish(*, draft: BankDraft, user) -> QuestionBank:
    """Publish with the loader's checks; refused with every problem listed."""
    draft = BankDraft.objects.select_for_update().get(pk=draft.pk)
    problems = draft_problems(draft)
    if problems:
        raise InputError.many(FieldError(None, "invalid", message) for message in problems)
    bank = draft_bank(draft)
    try:
        stored, _created = question_bank_load(
            bank, source=f"bank editor (draft by {user.get_username()})"
        )
    except BankError as error:
        raise InputError("version", "published", str(error)) from error
    record(
        action="bank.published",
        user=user,
        obj=stored,
        summary=f"Question bank {stored.version} published from the bank editor",
    )
    draft.delete()
    return stored


@transaction.atomic
def draft_delete(*, draft: BankDraft, user) -> None:
    record(
        action="bank_draft.deleted",
        user=user,
        obj=draft,
        summary=f"Draft question bank {draft.version} deleted",
    )
    draft.delete()
