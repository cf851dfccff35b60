"""Question banks in German: translation files beside the bank file, validated line by
line and stored on the bank (texts only), bank texts shown in the active language, and
scores equal in every language. The German file is a fixture (tests/bank_translation.py),
not the shipped translation."""

from io import StringIO

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation

from assessments import selectors
from assessments.bank import BankError, translate_bank
from assessments.models import QuestionBank
from tests.bank_translation import (
    FIRST_QUESTION_DE,
    MARK,
    english,
    load_german,
    write_files,
)

pytestmark = pytest.mark.django_db


def _load(path):
    out = StringIO()
    call_command("load_reference_data", bank=[path], stdout=out)
    return out.getvalue()


def test_a_translation_beside_the_bank_is_stored_with_it(tmp_path, no_reference_data):
    output = _load(write_files(tmp_path))

    assert "Question bank 2026.1: loaded (2026.1.yaml, de)" in output
    bank = QuestionBank.objects.get(version="2026.1")
    assert set(bank.translations) == {"de"}
    german = bank.translations["de"]
    assert german["maturity_levels"]["1"]["name"] == "Erkunden"
    assert german["dimensions"]["data_infrastructure"]["title"] == "Dateninfrastruktur"
    first = bank.questions.order_by("position").first()
    assert german["questions"][first.key]["text"] == FIRST_QUESTION_DE
    assert len(german["questions"][first.key]["levels"]) == 5
    # The English rows are the English file's.
    assert not first.text.startswith(MARK) and first.text != FIRST_QUESTION_DE


def test_the_definition_in_a_language_and_its_english_fallback(tmp_path, bank):
    load_german(tmp_path)
    bank.refresh_from_db()

    german = bank.definition_in("de")
    assert [lv["name"] for lv in german["maturity_levels"]] == [
        "Erkunden", "Experimentieren", "Operationalisieren", "Skalieren", "Transformieren",
    ]  # fmt: skip
    assert german["dimensions"][0]["title"] == "Dateninfrastruktur"
    assert all(p["title"].startswith(MARK) for p in german["pitfalls"])
    assert all(p["mitigation"].startswith(MARK) for p in german["pitfalls"])
    # Keys, weights and bands are the English file's.
    strip = lambda d: [(x["key"], x["kind"], x["weight"]) for x in d["dimensions"]]  # noqa: E731
    assert strip(german) == strip(bank.definition)
    assert [(lv["min"], lv["max"]) for lv in german["maturity_levels"]] == [
        (lv["min"], lv["max"]) for lv in bank.definition["maturity_levels"]
    ]
    assert bank.definition_in("en") == bank.definition
    with translation.override("de"):
        assert bank.definition_in() == german
    # A bank without a German translation: English.
    other = QuestionBank.objects.get(version="2026.2")
    other.translations = {}
    assert other.definition_in("de") == other.definition


def test_bank_texts_on_pages_follow_the_active_language(tmp_path, bank):
    load_german(tmp_path)
    bank.refresh_from_db()

    with translation.override("de"):
        dimensions = selectors.bank_dimensions(bank)
        questions = selectors.questions_by_key(bank)
        model = selectors.scoring_model(bank)
    assert dimensions[0].title == "Dateninfrastruktur"
    assert dimensions[0].question_list[0].text == FIRST_QUESTION_DE
    assert all(level.startswith(MARK) for level in dimensions[0].question_list[0].levels)
    assert next(iter(questions.values())).text == FIRST_QUESTION_DE
    assert model.bands["name"][0] == "Erkunden"
    assert model.dimensions["title"][0] == "Dateninfrastruktur"
    with translation.override("en"):
        english_model = selectors.scoring_model(bank)
        assert selectors.bank_dimensions(bank)[0].title == "Data infrastructure"
    assert english_model.bands["name"][0] == "Exploring"
    # The same figures in both languages.
    for frame in ("questions", "dimensions", "bands", "pitfalls"):
        numbers = [c for c in getattr(model, frame).columns if c not in {"title", "name"}]
        numbers = [c for c in numbers if c != "mitigation"]
        assert getattr(model, frame)[numbers].equals(getattr(english_model, frame)[numbers])


def test_a_published_version_takes_a_corrected_translation(tmp_path, bank):
    load_german(tmp_path)
    checksum = QuestionBank.objects.get(pk=bank.pk).checksum

    def correct(doc):
        doc["maturity_levels"][1]["name"] = "Erkundung"

    output = _load(write_files(tmp_path / "again", changes=correct))

    assert "Question bank 2026.1: translations updated (2026.1.yaml, de)" in output
    bank = QuestionBank.objects.get(pk=bank.pk)
    assert bank.translations["de"]["maturity_levels"]["1"]["name"] == "Erkundung"
    assert bank.checksum == checksum
    assert "unchanged" in _load(write_files(tmp_path / "same", changes=correct))


def _break(doc):
    """Three faults at once: a missing text, an unknown key, a wrong number of levels."""
    dimension = doc["dimensions"]["talent"]
    first = next(iter(dimension["questions"]))
    del dimension["questions"][first]["text"]
    doc["dimensions"]["data_infrastructure"]["questions"]["no_such_question"] = {"text": "x"}
    doc["dimensions"]["legacy_integration"]["questions"][
        next(iter(doc["dimensions"]["legacy_integration"]["questions"]))
    ]["levels"] = ["eins", "zwei", "drei", "vier"]
    doc["pitfalls"]["data_quality"]["owner"] = "Niemand"


def test_every_fault_of_a_translation_is_listed_and_nothing_is_stored(tmp_path, no_reference_data):
    with pytest.raises(CommandError) as caught:
        _load(write_files(tmp_path, changes=_break))

    lines = str(caught.value).splitlines()
    assert lines[0].endswith("2026.1.de.yaml: de translation:")
    problems = lines[1:]
    assert len(problems) == 4, problems
    assert any(p.startswith("dimensions › talent › questions › ") and p.endswith("text: missing")
               for p in problems)  # fmt: skip
    assert (
        "dimensions › data_infrastructure › questions › no_such_question: "
        "is not in the English file" in problems
    )
    assert any("legacy_integration" in p and "must be a list of 5 texts" in p for p in problems)
    assert "pitfalls › data_quality › owner: is not in the English file" in problems
    assert not QuestionBank.objects.exists()


def test_a_faulty_correction_leaves_the_stored_translation(tmp_path, bank):
    load_german(tmp_path)
    before = QuestionBank.objects.get(pk=bank.pk).translations

    with pytest.raises(CommandError):
        _load(write_files(tmp_path / "bad", changes=_break))

    assert QuestionBank.objects.get(pk=bank.pk).translations == before


def test_predecessor_and_reading_time_are_not_translated(tmp_path, no_reference_data):
    """2026.2 states a reading time and a predecessor: its translation leaves them out,
    and one that gives them is refused."""
    call_command("load_reference_data", bank=[write_files(tmp_path, "2026.1")], stdout=StringIO())
    output = _load(write_files(tmp_path, "2026.2"))
    assert "Question bank 2026.2: loaded (2026.2.yaml, de)" in output

    doc = english("2026.2")
    translated = yaml.safe_load((tmp_path / "2026.2.de.yaml").read_text(encoding="utf-8"))
    translated["reading_time"] = doc["reading_time"]
    translated["predecessor"] = {"version": "2026.1"}
    with pytest.raises(BankError) as caught:
        translate_bank(doc, translated, source="2026.2.de.yaml", language="de")
    assert "reading_time: is not translated; leave it out of the translation" in str(caught.value)
    assert "predecessor: is not translated; leave it out of the translation" in str(caught.value)


def test_translation_files_are_not_loaded_as_banks(tmp_path, no_reference_data):
    path = write_files(tmp_path)
    with pytest.raises(CommandError, match="a translation is loaded with its bank file"):
        _load(path.with_name("2026.1.de.yaml"))
