"""Question banks: the shipped file validates, broken files are refused with a message
an administrator can act on, and the loader stores a published version only once."""

import copy
from collections.abc import Callable
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.bank import DIMENSION_KEYS, BankError, load_bank_file
from assessments.models import Dimension, Question, QuestionBank

BANK_FILE = Path(__file__).resolve().parents[2] / "assessments" / "banks" / "2026.1.yaml"
RAW_BANK = yaml.safe_load(BANK_FILE.read_text(encoding="utf-8"))


@pytest.fixture
def raw() -> dict:
    """A private copy of the shipped bank document, to break."""
    return copy.deepcopy(RAW_BANK)


def _write(tmp_path: Path, document: object, name: str = "bank.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, allow_unicode=True, sort_keys=False), "utf-8")
    return path


def _dimension(raw: dict, key: str) -> dict:
    return next(d for d in raw["dimensions"] if d["key"] == key)


def _question(raw: dict, key: str) -> dict:
    return next(q for d in raw["dimensions"] for q in d["questions"] if q["key"] == key)


# --- the shipped bank -----------------------------------------------------------------


@pytest.fixture(scope="module")
def shipped():
    return load_bank_file(BANK_FILE)


def test_it_loads_the_shipped_bank_as_version_2026_1(shipped):
    assert shipped.version == "2026.1"
    assert shipped.title


def test_the_shipped_bank_has_the_seven_dimensions_in_design_order(shipped):
    assert [d.key for d in shipped.dimensions] == list(DIMENSION_KEYS)
    assert [d.kind for d in shipped.dimensions] == ["challenge"] * 4 + ["pillar"] * 3


def test_every_dimension_has_at_least_six_questions_each_with_five_anchored_levels(shipped):
    for dimension in shipped.dimensions:
        assert len(dimension.questions) >= 6, dimension.key
        for question in dimension.questions:
            assert len(question.levels) == 5, question.key
            assert all(text.strip() for text in question.levels), question.key
            assert len(set(question.levels)) == 5, f"{question.key} repeats a level descriptor"
    assert len(shipped.questions) >= 42


def test_question_keys_are_unique_across_the_bank(shipped):
    keys = [q.key for q in shipped.questions]
    assert len(keys) == len(set(keys))


def test_every_pitfall_is_tagged_on_at_least_one_question(shipped):
    tagged = {tag for q in shipped.questions for tag in q.tags}
    assert {p.key for p in shipped.pitfalls} == {
        "data_quality",
        "scope_creep",
        "resistance_to_change",
        "technical_debt",
    }
    assert {p.key for p in shipped.pitfalls} <= tagged


def test_the_bank_keeps_the_question_keys_other_features_rely_on(shipped):
    by_key = {q.key: q for q in shipped.questions}
    assert by_key["di_quality"].dimension == "data_infrastructure"
    assert by_key["si_serving"].dimension == "scalable_infrastructure"


def test_the_maturity_bands_cover_0_to_100_in_five_levels(shipped):
    bands = [(lv.level, lv.name, lv.min, lv.max) for lv in shipped.maturity_levels]
    assert bands == [
        (1, "Exploring", 0, 20),
        (2, "Experimenting", 20, 40),
        (3, "Operationalizing", 40, 60),
        (4, "Scaling", 60, 80),
        (5, "Transforming", 80, 100),
    ]


# --- broken banks ---------------------------------------------------------------------


def _four_levels(raw):
    _question(raw, "di_quality")["levels"].pop()


def _empty_level(raw):
    _question(raw, "di_quality")["levels"][2] = "   "


def _duplicate_key(raw):
    _question(raw, "si_serving")["key"] = "di_quality"


def _unknown_tag(raw):
    _question(raw, "di_quality")["tags"] = ["vendor_lock_in"]


def _weight_zero(raw):
    _question(raw, "di_quality")["weight"] = 0


def _weight_word(raw):
    _question(raw, "di_quality")["weight"] = "heavy"


def _allow_na_word(raw):
    _question(raw, "di_quality")["allow_na"] = "yes"


def _missing_dimension(raw):
    raw["dimensions"].remove(_dimension(raw, "talent"))


def _unknown_dimension(raw):
    _dimension(raw, "talent")["key"] = "people_stuff"


def _unknown_field(raw):
    _question(raw, "di_quality")["owner"] = "CDO"


def _unknown_fields_one_not_text(raw):
    _question(raw, "di_quality").update({"owner": "CDO", True: "a stray `yes:` line"})


def _version_not_quoted(raw):
    raw["version"] = 2026.10  # YAML reads an unquoted 2026.10 as the number 2026.1


def _five_questions(raw):
    dimension = _dimension(raw, "talent")
    dimension["questions"] = dimension["questions"][:5]


def _band_gap(raw):
    raw["maturity_levels"][2]["min"] = 45


BROKEN_BANKS: list[tuple[str, Callable[[dict], None], tuple[str, ...]]] = [
    ("question_with_four_levels", _four_levels, ("di_quality", "exactly 5")),
    ("empty_level_text", _empty_level, ("di_quality", "non-empty")),
    ("duplicate_question_key", _duplicate_key, ("di_quality", "duplicate")),
    ("unknown_pitfall_tag", _unknown_tag, ("di_quality", "vendor_lock_in")),
    ("weight_zero", _weight_zero, ("di_quality", "weight")),
    ("weight_heavy", _weight_word, ("di_quality", "weight")),
    ("allow_na_yes", _allow_na_word, ("di_quality", "allow_na")),
    ("missing_dimension", _missing_dimension, ("talent", "missing")),
    ("unknown_dimension_key", _unknown_dimension, ("people_stuff", "unknown dimension")),
    ("unknown_field", _unknown_field, ("di_quality", "owner")),
    ("unknown_fields_one_not_text", _unknown_fields_one_not_text, ("di_quality", "True, owner")),
    ("version_not_quoted", _version_not_quoted, ("version", "quoted")),
    ("dimension_with_five_questions", _five_questions, ("talent", "5 questions")),
    ("maturity_bands_with_a_gap", _band_gap, ("maturity level", "contiguous")),
]


@pytest.mark.parametrize(
    ("mutate", "fragments"),
    [pytest.param(mutate, fragments, id=name) for name, mutate, fragments in BROKEN_BANKS],
)
def test_it_refuses_a_broken_bank_naming_the_file_and_the_key(raw, tmp_path, mutate, fragments):
    mutate(raw)
    path = _write(tmp_path, raw, "broken-bank.yaml")

    with pytest.raises(BankError) as caught:
        load_bank_file(path)

    message = str(caught.value)
    assert str(path) in message
    for fragment in fragments:
        assert fragment in message


def test_it_accepts_the_unbroken_copy_it_mutates(raw, tmp_path):
    """The table above fails for the mutation, not for the round trip through a file."""
    assert load_bank_file(_write(tmp_path, raw)).checksum == load_bank_file(BANK_FILE).checksum


@pytest.mark.parametrize(
    "document",
    [["a", "list"], "just a sentence", 42],
    ids=["list", "string", "number"],
)
def test_it_refuses_a_bank_that_is_not_a_mapping(tmp_path, document):
    path = _write(tmp_path, document)

    with pytest.raises(BankError, match="must be a mapping") as caught:
        load_bank_file(path)

    assert str(path) in str(caught.value)


def test_it_refuses_text_that_is_not_yaml(tmp_path):
    path = tmp_path / "garbled.yaml"
    path.write_text("version: '2026.1'\ndimensions: [unclosed\n  - key: {\n", "utf-8")

    with pytest.raises(BankError, match="cannot be read as YAML") as caught:
        load_bank_file(path)

    assert str(path) in str(caught.value)


def test_it_refuses_a_file_that_does_not_exist(tmp_path):
    path = tmp_path / "missing.yaml"

    with pytest.raises(BankError) as caught:
        load_bank_file(path)

    assert str(path) in str(caught.value)


# --- the load_reference_data command --------------------------------------------------


def _load(*paths: Path) -> str:
    out = StringIO()
    if paths:
        call_command("load_reference_data", bank=list(paths), stdout=out)
    else:
        call_command("load_reference_data", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
@pytest.mark.usefixtures("no_reference_data")
def test_the_command_refuses_a_broken_file_naming_file_and_key(raw, tmp_path):
    _four_levels(raw)
    path = _write(tmp_path, raw, "broken-bank.yaml")

    with pytest.raises(CommandError) as caught:
        _load(path)

    assert str(path) in str(caught.value)
    assert "di_quality" in str(caught.value)
    assert not QuestionBank.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("no_reference_data")
def test_the_command_stores_the_shipped_bank_with_its_questions_in_order():
    _load()

    bank = QuestionBank.objects.get(version="2026.1")
    assert list(bank.dimensions.values_list("key", flat=True)) == list(DIMENSION_KEYS)
    questions = list(Question.objects.filter(bank=bank).order_by("position"))
    assert [q.key for q in questions] == [q.key for q in load_bank_file(BANK_FILE).questions]
    quality = next(q for q in questions if q.key == "di_quality")
    assert len(quality.levels) == 5
    assert quality.tags == ["data_quality"]


@pytest.mark.django_db
@pytest.mark.usefixtures("no_reference_data")
def test_loading_twice_changes_nothing():
    _load()
    banks = list(QuestionBank.objects.all())
    questions = Question.objects.count()

    output = _load()

    assert list(QuestionBank.objects.all()) == banks
    assert Question.objects.count() == questions
    assert Dimension.objects.count() == 7 * len(banks)
    assert "unchanged" in output


@pytest.mark.django_db
@pytest.mark.usefixtures("no_reference_data")
def test_a_changed_file_under_a_published_version_is_refused_and_the_bank_kept(raw, tmp_path):
    _load()
    stored = QuestionBank.objects.get(version="2026.1")
    _question(raw, "di_quality")["text"] = "A quietly reworded question?"

    with pytest.raises(CommandError, match="cannot be changed"):
        _load(_write(tmp_path, raw, "2026.1-edited.yaml"))

    assert QuestionBank.objects.get(version="2026.1").checksum == stored.checksum
    quality = Question.objects.get(key="di_quality", bank__version="2026.1")
    assert quality.text == _question(RAW_BANK, "di_quality")["text"]


@pytest.mark.django_db
@pytest.mark.usefixtures("no_reference_data")
def test_a_new_version_loads_alongside_the_published_one(raw, tmp_path):
    _load(BANK_FILE)
    raw["version"] = "2099.1"
    _question(raw, "di_quality")["text"] = "How trustworthy is your data, really?"

    _load(_write(tmp_path, raw, "2099.1.yaml"))

    assert set(QuestionBank.objects.values_list("version", flat=True)) == {"2026.1", "2099.1"}
    texts = dict(Question.objects.filter(key="di_quality").values_list("bank__version", "text"))
    assert texts == {
        "2026.1": _question(RAW_BANK, "di_quality")["text"],
        "2099.1": "How trustworthy is your data, really?",
    }
