"""One display rounding (decimal, half away from zero) and one money format for every
surface: pages, PDFs, slides, spreadsheets."""

from decimal import Decimal

import pytest

from common.display import display_round, format_money

NBSP = "\u00a0"


@pytest.mark.parametrize(
    ("value", "places", "shown"),
    [
        (16.25, 1, "16.3"),  # float round() gives 16.2 (half to even, binary value)
        (52.5, 0, "53"),  # round() gives 52
        (57.5, 0, "58"),
        (2.675, 2, "2.68"),  # round() gives 2.67 (2.67499999… in binary)
        (-0.05, 1, "-0.1"),  # away from zero on both sides
        (68.34, 1, "68.3"),
        (100, 1, "100.0"),
        (Decimal("12.345"), 2, "12.35"),
    ],
)
def test_halves_round_away_from_zero_as_written(value, places, shown):
    assert str(display_round(value, places)) == shown


def test_nothing_stays_nothing():
    assert display_round(None) is None


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
