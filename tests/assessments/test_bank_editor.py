"""The question bank editor: files both ways, imports that list every problem, drafts
edited with the loader's rules, publishing, the diff, and who may do any of it."""

import copy
from dataclasses import replace
from pathlib import Path

import pytest
import yaml
from django.contrib.auth.models import Permission
from django.urls import reverse

from assessments import bank_editor
from assessments.bank import load_bank_file, parse_bank
from assessments.bank_diff import bank_diff
from assessments.bank_files import bank_document, read_xlsx, read_yaml, to_xlsx, to_yaml
from assessments.models import BankDraft, QuestionBank
from audit.models import AuditEntry
from common.errors import InputError
from common.reference_text import is_translation_file
from tests.factories import UserFactory

BANKS = sorted(
    path
    for path in (Path(__file__).resolve().parents[2] / "assessments" / "banks").glob("*.yaml")
    if not is_translation_file(path, ["de"])
)


# --- files ----------------------------------------------------------------------------


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.stem)
def test_yaml_round_trip_is_identical(path):
    bank = load_bank_file(path)
    exported = to_yaml(bank_document(bank))
    document, _ = read_yaml(exported.encode())
    again = parse_bank(document, source="import")
    assert replace(again, checksum="") == replace(bank, checksum="")
    assert to_yaml(bank_document(again)) == exported


@pytest.mark.parametrize("path", BANKS, ids=lambda p: p.stem)
def test_xlsx_round_trip_is_identical(path):
    bank = load_bank_file(path)
    workbook = to_xlsx(bank_document(bank))
    document, _ = read_xlsx(workbook)
    again = parse_bank(document, source="import")
    assert replace(again, checksum="") == replace(bank, checksum="")
    assert bank_document(again) == bank_document(bank)


def _broken_document() -> dict:
    """2026.2 with the four problems the issue names, in four different places."""
    document = bank_document(load_bank_file(BANKS[-1]))
    document["version"] = "2099.1"
    document.pop("predecessor", None)
    document.pop("reading_time", None)
    first = document["dimensions"][0]["questions"]
    first[1]["key"] = first[0]["key"]  # duplicate key
    first[2]["levels"] = first[2]["levels"][:4]  # a missing level
    document["dimensions"][3]["questions"][0]["weight"] = 0  # weight ≤ 0
    document["dimensions"][5]["questions"][2]["tags"] = ["shadow_it"]  # unknown pitfall
    return document


EXPECTED_PROBLEMS = (
    "duplicate question key",
    "levels must be a list of exactly 5 non-empty descriptors",
    "weight must be greater than 0",
    "tags ['shadow_it'] must be pitfall keys",
)


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["yaml", "xlsx"])
def test_an_import_with_problems_lists_every_one_where_it_is_and_stores_nothing(file_format):
    document = _broken_document()
    data = to_yaml(document).encode() if file_format == "yaml" else to_xlsx(document)
    user = UserFactory(is_staff=True)

    with pytest.raises(InputError) as refused:
        bank_editor.draft_import(name=f"bank.{file_format}", data=data, user=user)

    messages = [error.message for error in refused.value.errors]
    assert len(messages) == 4, messages
    for expected, message in zip(
        sorted(EXPECTED_PROBLEMS), sorted(messages, key=_problem_kind), strict=True
    ):
        assert expected in message
    place = "line " if file_format == "yaml" else "sheet Questions, row "
    assert all(message.startswith(place) for message in messages), messages
    assert not BankDraft.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="bank_draft").exists()


def _problem_kind(message: str) -> str:
    return next(p for p in sorted(EXPECTED_PROBLEMS) if p in message)


def test_yaml_problems_are_reported_at_their_line():
    document = _broken_document()
    text = to_yaml(document)
    _, locator = read_yaml(text.encode())
    weight_line = int(locator.places[("dimensions", 3, "questions", 0)].split()[1])
    question_key = document["dimensions"][3]["questions"][0]["key"]
    assert f"key: {question_key}" in text.splitlines()[weight_line - 1]


@pytest.mark.django_db
def test_a_file_that_is_not_a_bank_is_refused_with_the_reason():
    user = UserFactory(is_staff=True)
    for name, data, reason in [
        ("bank.yaml", b"dimensions: [unclosed", "not valid YAML"),
        ("bank.xlsx", b"PK not really a workbook", "not an Excel workbook"),
        ("bank.csv", b"a,b", "Import a .yaml or an .xlsx file"),
    ]:
        with pytest.raises(InputError) as refused:
            bank_editor.draft_import(name=name, data=data, user=user)
        assert refused.value.field == "file"
        assert reason in refused.value.message
    assert not BankDraft.objects.exists()


# --- drafts ---------------------------------------------------------------------------


@pytest.fixture
def editor():
    user = UserFactory(username="methodologist")
    user.user_permissions.add(Permission.objects.get(codename="edit_question_banks"))
    return user


@pytest.fixture
def latest():
    return QuestionBank.objects.order_by("-published_at", "-id").first()


@pytest.mark.django_db
def test_publishing_a_draft_with_a_wrong_level_count_is_refused_with_the_loaders_message(
    editor, latest
):
    draft = bank_editor.draft_create(based_on=latest, version="2099.1", user=editor)
    document = copy.deepcopy(draft.document)
    question = document["dimensions"][0]["questions"][0]
    question["levels"] = question["levels"][:3]
    BankDraft.objects.filter(pk=draft.pk).update(document=document)

    with pytest.raises(InputError) as refused:
        bank_editor.draft_publish(draft=draft, user=editor)

    assert any(
        f"question {question['key']}: levels must be a list of exactly 5" in error.message
        for error in refused.value.errors
    )
    assert not QuestionBank.objects.filter(version="2099.1").exists()


@pytest.mark.django_db
def test_a_draft_is_edited_checked_and_published_through_the_pages(client, editor, latest):
    client.force_login(editor)
    page = client.post(
        reverse("methodology:draft-new"), {"based_on": latest.pk, "version": "2099.1"}
    )
    draft = BankDraft.objects.get(version="2099.1")
    assert page.url == reverse("methodology:draft", args=[draft.pk])
    question = draft.document["dimensions"][1]["questions"][0]

    form = {
        "text": "Who owns the hiring plan for machine-learning engineers?",
        "help": "",
        "weight": "1.5",
        "weight_reason": "Hiring is the slowest lever to pull.",
        "tags": question.get("tags", []),
        **{f"level_{n}": text for n, text in enumerate(question["levels"], start=1)},
    }
    edit = reverse("methodology:question-edit", args=[draft.pk, question["key"]])
    assert client.post(edit, form).status_code == 302

    refused = client.post(edit, {**form, "weight": "0"})
    assert refused.status_code == 400
    assert "weight must be greater than 0" in refused.content.decode()

    detail = client.get(reverse("methodology:draft", args=[draft.pk]))
    assert "The loader accepts this draft" in detail.content.decode()
    published = client.post(reverse("methodology:draft-publish", args=[draft.pk]))
    assert published.url == reverse("methodology:banks")

    bank = QuestionBank.objects.get(version="2099.1")
    stored = bank.questions.get(key=question["key"])
    assert stored.text == form["text"]
    assert stored.weight == 1.5
    change = next(
        c for c in bank.document["predecessor"]["changes"] if c["from"] == question["key"]
    )
    assert change["change"] == "reworded"
    assert bank.document["predecessor"]["version"] == latest.version
    assert not BankDraft.objects.exists()
    assert list(
        AuditEntry.objects.filter(user=editor, action__startswith="bank")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["bank_draft.created", "bank_draft.edited", "bank.published"]


@pytest.mark.django_db
def test_a_published_version_cannot_be_drafted_again(editor, latest):
    with pytest.raises(InputError) as refused:
        bank_editor.draft_create(based_on=latest, version=latest.version, user=editor)
    assert refused.value.field == "version"
    assert "already published" in refused.value.message


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", ["yaml", "xlsx"])
def test_an_exported_bank_imports_as_an_identical_draft(client, editor, latest, file_format):
    client.force_login(editor)
    exported = client.get(reverse("methodology:bank-export", args=[latest.version, file_format]))
    assert exported.status_code == 200
    assert (
        f'filename="question-bank-{latest.version}.{file_format}"'
        in exported["Content-Disposition"]
    )
    data = exported.content
    if file_format == "yaml":
        document = yaml.safe_load(data)
        document["version"] = "2099.2"
        data = to_yaml(document).encode()
    else:
        document, _ = read_xlsx(data)
        document["version"] = "2099.2"
        data = to_xlsx(document)

    draft = bank_editor.draft_import(name=f"bank.{file_format}", data=data, user=editor)

    assert {**draft.document, "version": latest.version} == latest.document


# --- diff -----------------------------------------------------------------------------


def test_the_diff_names_each_added_removed_and_changed_field():
    old = load_bank_file(BANKS[-1])
    document = bank_document(old)
    document["version"] = "2099.1"
    document.pop("predecessor", None)
    document.pop("reading_time", None)
    questions = document["dimensions"][0]["questions"]
    questions[0]["text"] = "A new wording?"
    questions[1]["levels"][4] = "A new top level."
    added = copy.deepcopy(questions[2])
    added["key"] = "di_brand_new"
    questions.append(added)
    largest = max(document["dimensions"][1:], key=lambda d: len(d["questions"]))
    removed = largest["questions"].pop()
    new = parse_bank(document, source="test")

    diff = bank_diff(old, new)

    changed = {c.key: c for c in diff.changes if c.kind == "changed"}
    assert [f.field for f in changed[questions[0]["key"]].fields] == ["text"]
    assert changed[questions[0]["key"]].fields[0].new == "A new wording?"
    assert [f.field for f in changed[questions[1]["key"]].fields] == ["level 5"]
    assert [c.key for c in diff.changes if c.kind == "added"] == ["di_brand_new"]
    assert [c.key for c in diff.changes if c.kind == "removed"] == [removed["key"]]


@pytest.mark.django_db
def test_the_compare_page_shows_what_changed_between_published_versions(client, editor):
    versions = list(QuestionBank.objects.order_by("published_at").values_list("version", flat=True))
    client.force_login(editor)
    page = client.get(reverse("methodology:compare"), {"old": versions[0], "new": versions[-1]})
    assert page.status_code == 200
    body = page.content.decode()
    assert f"From {versions[0]} to {versions[-1]}" in body
    assert "removed" in body and "added" in body


# --- access ---------------------------------------------------------------------------

PAGES = [
    ("get", "methodology:banks", []),
    ("get", "methodology:compare", []),
    ("post", "methodology:draft-new", []),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("method", "name", "args"), PAGES)
def test_only_staff_and_the_methodology_permission_reach_the_editor(
    client, method, name, args, editor
):
    url = reverse(name, args=args)
    assert getattr(client, method)(url).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert getattr(client, method)(url).status_code == 403
    client.force_login(editor)
    assert getattr(client, method)(url).status_code in (200, 400)
    client.force_login(UserFactory(is_staff=True))
    assert getattr(client, method)(url).status_code in (200, 400)


@pytest.mark.django_db
def test_an_unknown_export_format_is_not_found(client, editor, latest):
    client.force_login(editor)
    url = reverse("methodology:bank-export", args=[latest.version, "csv"])
    assert client.get(url).status_code == 404
