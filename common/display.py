"""Numbers as people read them, the same on every surface (pages, PDFs, slides,
spreadsheets): one rounding rule and one money format.

Rounding is decimal and half away from zero (16.25 → 16.3, 52.5 → 53), never
Python's float `round`, which rounds halves to even and works on the binary value
(round(16.25, 1) is 16.2, round(2.675, 2) is 2.67). Thresholds and bands compare the
unrounded values (DESIGN §3); these helpers are for display only.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

# Amounts at or above the first value are written in the unit beside it: €127.5 M.
MONEY_UNITS = ((Decimal(10) ** 12, "T"), (Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"))
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}
# Between the number and its unit: a no-break space, so "€127.5 M" never wraps apart.
UNIT_SPACE = "\u00a0"


def display_round(value, places: int = 1) -> Decimal | None:
    """`value` rounded to `places` decimals, half away from zero; None stays None.

    Through `str` first, so a float is rounded as it is written (16.25, not the binary
    16.2499999…)."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_money(amount, currency: str) -> str:
    """An amount for people: "€127.5 M", "$1.2 B", "CHF 850 M", "€48,500"; None → "—".

    Millions and above keep one decimal (dropped when it is 0: "€255 M"); smaller
    amounts are whole, with thousands separators. Known symbols go before the number,
    other currencies by their code."""
    if amount is None:
        return "—"
    value = Decimal(str(amount))
    sign = "−" if value < 0 else ""
    value = abs(value)
    units = [(threshold, unit) for threshold, unit in MONEY_UNITS if value >= threshold]
    if not units:
        return sign + _with_currency(f"{display_round(value, 0):,}", currency)
    threshold, unit = units[0]
    number = display_round(value / threshold)
    if number >= 1000 and len(units) < len(MONEY_UNITS):  # 999.96 M reads as 1 B
        threshold, unit = MONEY_UNITS[len(MONEY_UNITS) - len(units) - 1]
        number = display_round(value / threshold)
    return sign + _with_currency(f"{_trim(number)}{UNIT_SPACE}{unit}", currency)


def _trim(number: Decimal) -> str:
    """One decimal, without a trailing ".0": 127.5 → "127.5", 255.0 → "255"."""
    text = f"{number:,.1f}"
    return text.removesuffix(".0")


def _with_currency(number: str, currency: str) -> str:
    symbol = CURRENCY_SYMBOLS.get(currency)
    return f"{symbol}{number}" if symbol else f"{currency}{UNIT_SPACE}{number}"
