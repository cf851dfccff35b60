"""The pasted-respondents parser (assessments.bulk, pure Python): one table of lines and
what becomes of each."""

import pytest

from assessments import bulk

ROLES = {"ceo": "CEO", "cfo": "CFO", "cdo": "Chief Data Officer", "bu_head": "Business-unit head"}
EXISTING = {"taken@acme.example"}
LONG = "x" * 201


def _parse(text: str) -> bulk.Parsed:
    return bulk.parse(text, roles=ROLES, existing_emails=EXISTING)


GOOD = [
    ("Ana Ruiz, ana@acme.example, CEO", ("Ana Ruiz", "ana@acme.example", "ceo", "", "")),
    ("Ana Ruiz, ana@acme.example, ceo", ("Ana Ruiz", "ana@acme.example", "ceo", "", "")),
    (
        "Ana Ruiz , Ana@ACME.example , chief data officer , Head of Data , Group IT ",
        ("Ana Ruiz", "ana@acme.example", "cdo", "Head of Data", "Group IT"),
    ),
    (
        "Ana Ruiz\tana@acme.example\tBusiness-unit head\tVP, Retail\tRetail",
        ("Ana Ruiz", "ana@acme.example", "bu_head", "VP, Retail", "Retail"),
    ),
    (
        "Ana Ruiz, ana@acme.example, bu_head, , Retail",
        ("Ana Ruiz", "ana@acme.example", "bu_head", "", "Retail"),
    ),
]


@pytest.mark.parametrize(("line", "expected"), GOOD, ids=[g[0][:30] for g in GOOD])
def test_a_good_line(line, expected):
    parsed = _parse(line)
    assert parsed.errors == []
    [row] = parsed.rows
    assert (row.name, row.email, row.role, row.title, row.business_unit) == expected
    assert row.line == 1


BAD = [
    ("Ana Ruiz, ana@, CEO", "'ana@' is not an email address"),
    ("Ana Ruiz, ana.acme.example, CEO", "'ana.acme.example' is not an email address"),
    ("Ana Ruiz, , CEO", "the email is missing"),
    (
        "Ana Ruiz, ana@acme.example, Chief Happiness Officer",
        "unknown role 'Chief Happiness Officer'",
    ),
    ("Ana Ruiz, ana@acme.example", "the role is missing"),
    (", ana@acme.example, CEO", "the name is missing"),
    (f"{LONG}, ana@acme.example, CEO", "the name is longer than 200 characters"),
    (f"Ana, ana@acme.example, CEO, {LONG}", "the title is longer than 200 characters"),
    (f"Ana, ana@acme.example, CEO, , {LONG}", "the unit is longer than 200 characters"),
    (f"Ana, {'a' * 250}@acme.example, CEO", "the email is longer than 254 characters"),
    ("Ruiz, Ana, ana@acme.example, CEO, VP, Retail", "6 fields, at most 5"),
    ("Ana Ruiz, TAKEN@acme.example, CEO", "taken@acme.example is already a respondent"),
]


@pytest.mark.parametrize(("line", "message"), BAD, ids=[b[1][:40] for b in BAD])
def test_a_bad_line(line, message):
    parsed = _parse(line)
    assert parsed.rows == []
    [error] = parsed.errors
    assert error.line == 1
    assert message in error.message
    assert str(error).startswith("line 1: ")


def test_every_problem_of_a_line_is_named_at_once():
    [error] = _parse(", not-an-email, Pope").errors
    assert "the name is missing" in error.message
    assert "'not-an-email' is not an email address" in error.message
    assert "unknown role 'Pope' (one of: CEO, CFO, Chief Data Officer" in error.message


def test_line_numbers_are_those_of_the_box_and_duplicates_name_the_first_line():
    text = "\n".join(
        [
            "# name, email, role",
            "Ana Ruiz, ana@acme.example, CEO",
            "",
            "Ben Ode, ben@acme.example, CFO",
            "Ana Again, ANA@acme.example, CFO",
        ]
    )
    parsed = _parse(text)
    assert [(r.line, r.email) for r in parsed.rows] == [
        (2, "ana@acme.example"),
        (4, "ben@acme.example"),
    ]
    assert [str(e) for e in parsed.errors] == ["line 5: ana@acme.example is already on line 2"]
    assert not parsed.ok


def test_nothing_but_blank_lines_and_comments_is_empty():
    parsed = _parse("\n  \n# a comment\n")
    assert parsed.rows == [] and parsed.errors == [] and parsed.ok


def test_too_many_lines_or_characters_refuse_the_paste_as_a_whole():
    lines = [f"P{i}, p{i}@acme.example, CEO" for i in range(bulk.MAX_LINES + 1)]
    with pytest.raises(bulk.TooMuchText, match="at most 200 respondents"):
        _parse("\n".join(lines))
    assert len(_parse("\n".join(lines[:-1])).rows) == bulk.MAX_LINES
    with pytest.raises(bulk.TooMuchText, match="characters"):
        _parse("x" * (bulk.MAX_TEXT_LENGTH + 1))
