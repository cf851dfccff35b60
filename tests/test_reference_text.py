import pytest

from common.reference_text import TranslationError, translate

TEXTS = frozenset({"title", "text", "help", "levels", "name"})
BANK = {
    "version": "9.1",
    "title": "Bank",
    "maturity_levels": [{"level": 1, "name": "Exploring", "min": 0}],
    "dimensions": [
        {
            "key": "data",
            "title": "Data",
            "weight": 1,
            "questions": [
                {"key": "q1", "text": "Is it?", "help": "", "levels": ["a", "b"], "weight": 2}
            ],
        }
    ],
}
GERMAN = {
    "title": "Fragebogen",
    "maturity_levels": {1: {"name": "Erkunden"}},
    "dimensions": {
        "data": {"title": "Daten", "questions": {"q1": {"text": "Ist es?", "levels": ["A", "B"]}}}
    },
}


def test_texts_are_replaced_and_figures_kept():
    german = translate(BANK, GERMAN, texts=TEXTS)
    question = german["dimensions"][0]["questions"][0]
    assert german["title"] == "Fragebogen"
    assert german["maturity_levels"][0] == {"level": 1, "name": "Erkunden", "min": 0}
    assert question == {
        "key": "q1",
        "text": "Ist es?",
        "help": "",
        "levels": ["A", "B"],
        "weight": 2,
    }
    assert BANK["dimensions"][0]["questions"][0]["text"] == "Is it?"  # the English is untouched


def test_every_problem_is_listed_one_per_line():
    wrong = {
        "title": "",
        "weight": 3,
        "maturity_levels": {1: {"name": "Erkunden"}, 7: {"name": "Sieben"}},
        "dimensions": {"data": {"title": "Daten", "questions": {"q1": {"levels": ["A"]}}}},
    }
    with pytest.raises(TranslationError) as raised:
        translate(BANK, wrong, texts=TEXTS)
    assert raised.value.errors == [
        "title: must be a text that is not empty",
        "weight: is not in the English file",
        "maturity_levels › 7: is not in the English file",
        "dimensions › data › questions › q1 › levels: must be a list of 2 texts, none empty",
        "dimensions › data › questions › q1 › text: missing",
    ]


def test_a_figure_cannot_be_translated():
    with pytest.raises(TranslationError) as raised:
        translate(BANK, {**GERMAN, "version": "9.2"}, texts=TEXTS)
    assert raised.value.errors == ["version: holds no text and cannot be translated"]
