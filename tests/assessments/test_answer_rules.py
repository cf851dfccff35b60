"""The rules for one answer, shared by the questionnaire pages and the API (pure)."""

import pytest

from assessments.answers import (
    MAX_COMMENT_LENGTH,
    ParsedValue,
    clean_text,
    parse_value,
)
from common.errors import InputError


@pytest.mark.parametrize("level", [1, 2, 3, 4, 5])
def test_it_accepts_each_level_from_one_to_five(level):
    assert parse_value(level, allow_na=False) == ParsedValue("level", level)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        (0, "out_of_range"),
        (6, "out_of_range"),
        (-1, "out_of_range"),
        (10**30, "out_of_range"),
        (True, "invalid_type"),
        (False, "invalid_type"),
        (2.5, "invalid"),
        (3.0, "invalid"),
        ("3", "invalid"),
        ("", "invalid"),
        ("three", "invalid"),
        ("NA", "invalid"),
        ([], "invalid"),
        ([3], "invalid"),
        ({}, "invalid"),
        ({"level": 3}, "invalid"),
        (None, "required"),
    ],
    ids=repr,
)
def test_the_api_refuses_anything_but_a_level_na_or_dont_know(value, code):
    with pytest.raises(InputError) as caught:
        parse_value(value, allow_na=True)

    assert caught.value.field == "value"
    assert caught.value.code == code
    assert caught.value.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("3", ParsedValue("level", 3)),
        (" 5 ", ParsedValue("level", 5)),
        ("1", ParsedValue("level", 1)),
        ("", ParsedValue("", None)),
        ("dont_know", ParsedValue("dont_know", None)),
        ("na", ParsedValue("na", None)),
    ],
    ids=repr,
)
def test_a_form_may_send_levels_as_strings_and_nothing_for_no_choice_yet(value, expected):
    assert parse_value(value, allow_na=True, from_form=True) == expected


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("0", "out_of_range"),
        ("6", "out_of_range"),
        ("-1", "invalid"),
        ("2.5", "invalid"),
        ("²", "invalid"),
        ("9" * 5000, "invalid"),
        ("3\x00", "invalid"),
        ("true", "invalid"),
    ],
    ids=["0", "6", "-1", "2.5", "superscript-two", "5000-digits", "nul", "true"],
)
def test_a_form_value_outside_the_choices_is_refused_not_crashed_on(value, code):
    with pytest.raises(InputError) as caught:
        parse_value(value, allow_na=True, from_form=True)

    assert caught.value.code == code


@pytest.mark.parametrize("from_form", [False, True])
def test_not_applicable_is_accepted_only_where_the_question_allows_it(from_form):
    assert parse_value("na", allow_na=True, from_form=from_form) == ParsedValue("na", None)

    with pytest.raises(InputError) as caught:
        parse_value("na", allow_na=False, from_form=from_form)

    assert caught.value.code == "na_not_allowed"
    assert "Not applicable" in caught.value.message


@pytest.mark.parametrize("allow_na", [False, True])
def test_dont_know_is_always_an_answer(allow_na):
    assert parse_value("dont_know", allow_na=allow_na) == ParsedValue("dont_know", None)


def test_the_out_of_range_message_names_the_level_and_the_range():
    with pytest.raises(InputError, match="Level 6 is out of range 1"):
        parse_value(6, allow_na=False)


# --- comment and evidence -------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "We have a data catalogue for finance only.",
        "Good progress 🚀👍🏽 on the platform",
        "שלום, هذا تعليق من اليمين إلى اليسار",
        "数据质量需要改进。データ品質。데이터 품질",
        "line one\nline two",
        "x" * MAX_COMMENT_LENGTH,
    ],
    ids=["ascii", "emoji", "rtl", "cjk", "multiline", "at-the-limit"],
)
def test_it_keeps_text_intact(text):
    assert clean_text(text, field="comment", max_length=MAX_COMMENT_LENGTH) == text


def test_it_trims_surrounding_whitespace():
    assert clean_text("  noted \n", field="comment", max_length=10) == "noted"


@pytest.mark.parametrize("value", [None, ""])
def test_nothing_is_an_empty_text(value):
    assert clean_text(value, field="evidence", max_length=10) == ""


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("x" * (MAX_COMMENT_LENGTH + 1), "max_length"),
        ("before\x00after", "null_characters"),
        (42, "invalid_type"),
        (["a"], "invalid_type"),
        ({"text": "a"}, "invalid_type"),
        (True, "invalid_type"),
    ],
    ids=["overlong", "nul-byte", "number", "list", "object", "boolean"],
)
def test_it_refuses_text_it_cannot_store(value, code):
    with pytest.raises(InputError) as caught:
        clean_text(value, field="comment", max_length=MAX_COMMENT_LENGTH)

    assert (caught.value.field, caught.value.code) == ("comment", code)


def test_the_length_message_says_the_limit_and_what_was_given():
    with pytest.raises(InputError, match=r"at most 2000 characters \(2001 given\)"):
        clean_text("x" * 2001, field="comment", max_length=2000)
