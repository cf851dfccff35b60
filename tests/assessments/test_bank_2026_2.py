"""Bank 2026.2: what it must contain (40-45 questions, the article's concepts, a
reading time, its predecessor mapping), the loader's schema for those additions, and
how it is published next to 2026.1 without touching it."""

import copy
import re
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from assessments.bank import BankError, load_bank_file, parse_bank
from assessments.models import QuestionBank
from assessments.selectors import latest_bank

BANKS = Path(__file__).resolve().parents[2] / "assessments" / "banks"
RAW = yaml.safe_load((BANKS / "2026.2.yaml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def bank():
    return load_bank_file(BANKS / "2026.2.yaml")


@pytest.fixture
def raw() -> dict:
    return copy.deepcopy(RAW)


def _question(raw: dict, key: str) -> dict:
    return next(q for d in raw["dimensions"] for q in d["questions"] if q["key"] == key)


def _change(raw: dict, key: str) -> dict:
    return next(c for c in raw["predecessor"]["changes"] if c["from"] == key)


def test_it_has_40_to_45_questions_and_at_least_six_per_dimension(bank):
    assert 40 <= len(bank.questions) <= 45
    assert all(len(d.questions) >= 6 for d in bank.dimensions)


def test_it_states_its_reading_time_at_230_words_a_minute(bank):
    assert bank.reading_time.words_per_minute == 230
    assert bank.reading_time.words == bank.words
    assert 15 <= bank.reading_time.minutes <= 25


@pytest.mark.parametrize(
    ("concept", "pattern"),
    [
        ("distributed computing frameworks", r"distributed framework|Spark, Ray"),
        ("AutoML reducing the dependency on specialists", r"AutoML"),
        ("green / sustainable AI", r"carbon|Green AI"),
        ("generative-AI platforms beyond staff tools", r"generative-AI application"),
    ],
)
def test_the_articles_concepts_each_have_a_question_or_level(bank, concept, pattern):
    texts = [" ".join((q.text, q.help, *q.levels)) for q in bank.questions]
    assert any(re.search(pattern, text) for text in texts), concept


def test_generative_ai_is_asked_about_as_a_platform_not_only_as_staff_tools(bank):
    question = next(q for q in bank.questions if q.key == "si_genai_platform")
    assert "beyond staff chat tools" in question.text
    assert "gateway" in question.levels[2]


def test_weights_other_than_one_carry_a_reason(bank):
    weighted = [q for q in bank.questions if q.weight != 1]
    assert weighted
    assert all(q.weight_reason for q in weighted)


def test_the_former_overlaps_are_one_question_each(bank):
    keys = {q.key for q in bank.questions}
    assert {
        "or_partnerships",
        "di_realtime",
        "ec_regulation_mapping",
        "ec_ai_inventory",
    }.isdisjoint(keys)
    assert {"ta_partners", "si_pipelines", "ec_ai_register", "gr_compliance_tracking"} <= keys


def test_the_predecessor_mapping_records_splits_and_merges(bank):
    assert bank.predecessor.version == "2026.1"
    assert bank.predecessor.successors_of("ec_transparency") == (
        "ec_explainability",
        "ec_human_oversight",
    )
    into_register = [
        c.predecessor for c in bank.predecessor.changes if c.successors == ("ec_ai_register",)
    ]
    assert sorted(into_register) == ["ec_ai_inventory", "ec_regulation_mapping", "ec_sector_rules"]
    assert all(c.reason for c in bank.predecessor.changes)


# --- the loader's schema ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda r: r["reading_time"].update(words=100), "states 100 words"),
        (lambda r: r["reading_time"].update(minutes=12), "states 12 minutes"),
        (lambda r: r["reading_time"].update(pace=3), "unknown field(s) pace"),
        (lambda r: _change(r, "ec_transparency").update(to=["ec_explainability"]), "two or more"),
        (lambda r: _change(r, "di_silos").update(to=["di_nowhere"]), "di_nowhere"),
        (lambda r: _change(r, "di_silos").update(change="renamed"), "must be one of"),
        (lambda r: _change(r, "di_silos").update(change="retired"), "needs no successor"),
        (lambda r: _change(r, "or_partnerships").update(to=["or_coe"]), "no other question"),
        (lambda r: r["predecessor"]["changes"].append(dict(_change(r, "di_silos"))), "duplicate"),
        (lambda r: r["predecessor"].update(version="2026.2"), "its own predecessor"),
        (lambda r: _question(r, "di_silos").update(weight_reason=7), "'weight_reason'"),
    ],
)
def test_it_refuses_a_stale_reading_time_or_an_inconsistent_mapping(raw, mutate, fragment):
    mutate(raw)

    with pytest.raises(BankError) as caught:
        parse_bank(raw, source="2026.2.yaml")

    assert fragment in str(caught.value)
    assert str(caught.value).startswith("2026.2.yaml: ")


def test_reading_time_and_predecessor_are_optional(raw):
    del raw["reading_time"], raw["predecessor"]

    parsed = parse_bank(raw, source="x.yaml")

    assert parsed.reading_time is None and parsed.predecessor is None


# --- publishing ----------------------------------------------------------------------


@pytest.mark.django_db
def test_2026_2_is_published_next_to_2026_1_and_is_the_default_for_new_assessments():
    assert set(QuestionBank.objects.values_list("version", flat=True)) >= {"2026.1", "2026.2"}
    assert latest_bank().version == "2026.2"
    stored = QuestionBank.objects.get(version="2026.2")
    assert stored.definition["predecessor"]["version"] == "2026.1"
    assert len(stored.definition["predecessor"]["changes"]) == 47
    assert "predecessor" not in QuestionBank.objects.get(version="2026.1").definition


@pytest.mark.django_db
def test_the_new_assessment_form_offers_2026_2_first(client, alice, organization):
    client.force_login(alice)

    page = client.get(f"/organizations/{organization.pk}/").content.decode()

    selected = re.search(r'<option value="([^"]+)"[^>]*selected', page)
    assert selected and selected.group(1) == "2026.2"


@pytest.mark.django_db
@pytest.mark.usefixtures("no_reference_data")
def test_the_command_refuses_a_bank_that_leaves_a_predecessor_question_unmapped(raw, tmp_path):
    raw["predecessor"]["changes"] = [
        c for c in raw["predecessor"]["changes"] if c["from"] != "ta_hiring"
    ]
    path = tmp_path / "2026.2.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True, sort_keys=False), "utf-8")

    with pytest.raises(CommandError, match="without a mapping: ta_hiring"):
        call_command("load_reference_data", bank=[BANKS / "2026.1.yaml", path], stdout=StringIO())

    assert list(QuestionBank.objects.values_list("version", flat=True)) == ["2026.1"]
