"""One display rounding for every surface (common.display): decimal, half away from zero,
so a figure reads the same on the page, in the PDFs, the slides, the spreadsheets and the
API; ordinals are English, the extremes of a percentile are words, and money has one
format."""

from decimal import Decimal

import pytest
from django.utils import translation

from common.api import rounded
from common.display import (
    display_round,
    format_money,
    format_percent,
    format_score,
    format_signed,
    ordinal,
    percentile_phrase,
    percentile_short,
)


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (16.25, 1, Decimal("16.3")),
        (57.5, 0, Decimal("58")),
        (52.5, 0, Decimal("53")),
        (0.125, 2, Decimal("0.13")),
        (2.675, 2, Decimal("2.68")),  # the float is 2.67499…; the reader sees 2.675
        (-0.05, 1, Decimal("-0.1")),
        (45.44999, 1, Decimal("45.4")),
        (100, 1, Decimal("100.0")),
        (None, 1, None),
    ],
)
def test_halves_round_away_from_zero(value, places, expected):
    assert display_round(value, places) == expected


def test_every_surface_formats_through_the_same_rounding():
    assert format_score(16.25) == "16.3"
    assert format_score(52.5, 0) == "53"
    assert format_score(-0.04) == "0.0"
    assert format_score(None) == "—"
    assert format_signed(6.75) == "+6.8"
    assert format_signed(-2) == "−2.0"
    assert format_signed(0.04) == "0.0"
    assert format_percent(0.1625, 1) == "16.3%"
    assert format_percent(0.125) == "13%"
    assert rounded(16.25) == 16.3
    assert rounded(52.5, 0) == 53


@pytest.mark.parametrize(
    ("number", "label"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (13, "13th"),
     (21, "21st"), (43, "43rd"), (71, "71st"), (101, "101st"), (111, "111th")],
)  # fmt: skip
def test_ordinals_are_english(number, label):
    assert ordinal(number) == label


@pytest.mark.parametrize(
    ("percentile", "phrase", "short"),
    [
        (71.0, "71st percentile", "71st"),
        (42.6, "43rd percentile", "43rd"),
        (0, "below every peer", "lowest"),
        (0.4, "1st percentile", "1st"),
        (99.8, "99th percentile", "99th"),
        (100, "above every peer", "highest"),
        (None, "—", "—"),
    ],
)
def test_percentiles_never_read_0th_or_100th(percentile, phrase, short):
    assert percentile_phrase(percentile) == phrase
    assert percentile_short(percentile) == short


NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("amount", "currency", "shown"),
    [
        (127_500_000, "EUR", f"€127.5{NBSP}M"),
        (255_000_000, "EUR", f"€255{NBSP}M"),
        (1_200_000_000, "USD", f"$1.2{NBSP}B"),
        (999_999_999, "GBP", f"£1{NBSP}B"),  # not "£1,000 M"
        (850_000_000, "CHF", f"CHF{NBSP}850{NBSP}M"),
        (48_500.5, "EUR", "€48,501"),
        (950_000, "EUR", "€950,000"),
        (-2_500_000, "EUR", f"−€2.5{NBSP}M"),
        (None, "EUR", "—"),
    ],
)
def test_money_reads_as_people_say_it(amount, currency, shown):
    assert format_money(amount, currency) == shown


# --- German: the same numbers, written the German way ----------------------------------

NBSP = "\u00a0"


@pytest.fixture
def german():
    with translation.override("de"):
        yield


def test_german_scores_have_a_decimal_comma_and_the_rounding_is_the_same(german):
    assert format_score(59.44) == "59,4"
    assert format_score(16.25) == "16,3"
    assert format_score(52.5, 0) == "53"
    assert format_score(-0.04) == "0,0"
    assert format_score(None) == "—"
    assert format_signed(6.75) == "+6,8"
    assert format_signed(-2) == "−2,0"
    assert format_percent(0.1625, 1) == f"16,3{NBSP}%"
    assert format_percent(0.125) == f"13{NBSP}%"
    assert display_round(16.25) == Decimal("16.3")  # a number, whatever the language


@pytest.mark.parametrize(
    ("amount", "currency", "english", "german"),
    [
        (127_500_000, "EUR", "€127.5 M", "127,5 Mio. €"),
        (1_200_000_000, "EUR", "€1.2 B", "1,2 Mrd. €"),
        (1_500_000_000_000, "EUR", "€1.5 T", "1,5 Bio. €"),
        (255_000_000, "USD", "$255 M", "255 Mio. $"),
        (850_000_000, "CHF", "CHF 850 M", "850 Mio. CHF"),
        (48_500, "EUR", "€48,500", "48.500 €"),
        (1_234_567.4, "SEK", "SEK 1.2 M", "1,2 Mio. SEK"),
        (-5_000_000, "GBP", "−£5 M", "−5 Mio. £"),
        (999_960_000, "EUR", "€1 B", "1 Mrd. €"),
    ],
)
def test_money_in_english_and_in_german(amount, currency, english, german):
    assert format_money(amount, currency).replace(NBSP, " ") == english
    with translation.override("de"):
        assert format_money(amount, currency).replace(NBSP, " ") == german


def test_german_ordinals_are_a_number_and_a_point(german):
    assert [ordinal(n) for n in (1, 2, 3, 11, 71, 101)] == ["1.", "2.", "3.", "11.", "71.", "101."]


@pytest.mark.parametrize(
    ("percentile", "phrase", "short"),
    [
        (71.0, "71. Perzentil", "71."),
        (42.6, "43. Perzentil", "43."),
        (0, "unter der gesamten Vergleichsgruppe", "niedrigstes"),
        (100, "über der gesamten Vergleichsgruppe", "höchstes"),
        (None, "—", "—"),
    ],
)
def test_german_percentiles(german, percentile, phrase, short):
    assert percentile_phrase(percentile) == phrase
    assert percentile_short(percentile) == short


def test_english_is_unchanged_under_an_english_request():
    with translation.override("en"):
        assert format_score(59.44) == "59.4"
        assert format_money(127_500_000, "EUR") == f"€127.5{NBSP}M"
        assert percentile_phrase(71) == "71st percentile"
        assert ordinal(3) == "3rd"
