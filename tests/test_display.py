"""One display rounding for every surface (common.display): decimal, half away from zero,
so a figure reads the same on the page, in the PDFs, the slides, the spreadsheets and the
API; ordinals are English, the extremes of a percentile are words, and money has one
format."""

from decimal import Decimal

import pytest

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
