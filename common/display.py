"""How a number is shown to people, the same on every surface: pages, PDFs, slides,
spreadsheets and the API. One rounding rule, decimal half away from zero (16.25 → 16.3,
52.5 → 53, -0.05 → -0.1), because binary floats and Python's `round` (half to even)
disagree with what a reader does by hand and made one figure read differently from one
document to the next.

Money has one format too (`format_money`: €127.5 M).

Every text is written in the active language (django.utils.translation.get_language):
English as above, German with a decimal comma, a point between thousands, the units and
the currency after the number ("59,4", "127,5 Mio. €", "48.500 €", "16 %", "3."). The
numbers themselves (`display_round`) never depend on the language.

Pure: no framework but the active language; the template filters and the API fields call
these.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext as _

MISSING = "—"
# Amounts at or above the first value are written in the unit beside it: €127.5 M.
MONEY_UNITS = ((Decimal(10) ** 12, "T"), (Decimal(10) ** 9, "B"), (Decimal(10) ** 6, "M"))
CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£", "JPY": "¥"}
# German money units (short scale names): 127,5 Mio. €, 1,2 Mrd. €, 1,5 Bio. €.
GERMAN_MONEY_UNITS = {"T": "Bio.", "B": "Mrd.", "M": "Mio."}
# Between the number and its unit: a no-break space, so "€127.5 M" never wraps apart.
UNIT_SPACE = "\u00a0"
# English separators → German: 1,234.5 → 1.234,5.
_GERMAN_SEPARATORS = str.maketrans({",": ".", ".": ","})


def is_german() -> bool:
    """Whether the active language is German (de, de-de, de-at…)."""
    return (get_language() or "en").split("-")[0].lower() == "de"


def localize_number(text: str) -> str:
    """A number written the English way ("1,234.5") in the active language's separators
    ("1.234,5" in German)."""
    return text.translate(_GERMAN_SEPARATORS) if is_german() else text


def display_round(value: float | Decimal | None, places: int = 1) -> Decimal | None:
    """`value` rounded to `places` decimals, half away from zero; None stays None.

    `Decimal(str(value))` takes the float as printed (16.25, not 16.2499999…), so the
    half is the half a reader sees."""
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def format_score(value: float | Decimal | None, places: int = 1) -> str:
    """A score as displayed: "45.4", "53" with places=0; an em dash when there is none.
    Never "-0.0": a value that rounds to zero is shown as zero."""
    rounded = display_round(value, places)
    if rounded is None:
        return MISSING
    if rounded == 0:
        rounded = abs(rounded)
    return localize_number(f"{rounded:.{places}f}")


def format_signed(value: float | Decimal | None, places: int = 1) -> str:
    """A change: "+6.8", "−2.0" (a true minus sign), "0.0"."""
    rounded = display_round(value, places)
    if rounded is None:
        return MISSING
    if rounded == 0:
        return localize_number(f"{abs(rounded):.{places}f}")
    sign = "+" if rounded > 0 else "−"
    return f"{sign}{localize_number(f'{abs(rounded):.{places}f}')}"


def format_percent(share: float | None, places: int = 0) -> str:
    """A share (0–1) as a percentage: 0.1625 → "16%" (places=0), "16.3%" (places=1);
    German "16 %", "16,3 %" (a no-break space before the sign)."""
    if share is None:
        return MISSING
    number = format_score(Decimal(str(share)) * 100, places)
    return f"{number}{UNIT_SPACE}%" if is_german() else f"{number}%"


def ordinal(number: int) -> str:
    """1 → "1st", 2 → "2nd", 3 → "3rd", 11 → "11th", 71 → "71st", 43 → "43rd";
    German "1.", "71."."""
    if is_german():
        return f"{number}."
    if 10 <= number % 100 <= 20:
        return f"{number}th"
    return f"{number}{ {1: 'st', 2: 'nd', 3: 'rd'}.get(number % 10, 'th') }"


def percentile_phrase(percentile: float | None) -> str:
    """A peer percentile as a reader says it: "71st percentile"; the extremes in words,
    because "0th percentile" and "100th percentile" read as errors ("below every peer",
    "above every peer"). An em dash when there is none."""
    if percentile is None:
        return MISSING
    if percentile <= 0:
        return _("below every peer")
    if percentile >= 100:
        return _("above every peer")
    return _("%(rank)s percentile") % {"rank": ordinal(_inner_rank(percentile))}


def percentile_is_rank(percentile: float | None) -> bool:
    """Whether `percentile_phrase` names a rank ("71st percentile") rather than an
    extreme in words ("below every peer")."""
    return percentile is not None and 0 < percentile < 100


def percentile_short(percentile: float | None) -> str:
    """The same in a table cell or a key figure: "71st", "lowest", "highest"."""
    if percentile is None:
        return MISSING
    if percentile <= 0:
        return pgettext("percentile", "lowest")
    if percentile >= 100:
        return pgettext("percentile", "highest")
    return ordinal(_inner_rank(percentile))


def _inner_rank(percentile: float) -> int:
    """A percentile strictly between the extremes, rounded but never to 0 or 100 (0.4
    is not "below every peer")."""
    return min(99, max(1, int(display_round(percentile, 0))))


def format_money(amount, currency: str) -> str:
    """An amount for people: "€127.5 M", "$1.2 B", "CHF 850 M", "€48,500"; None → "—".
    German: "127,5 Mio. €", "1,2 Mrd. $", "850 Mio. CHF", "48.500 €".

    Millions and above keep one decimal (dropped when it is 0: "€255 M"); smaller
    amounts are whole, with thousands separators. Known symbols go before the number,
    other currencies by their code; in German every currency follows the number."""
    if amount is None:
        return MISSING
    value = Decimal(str(amount))
    sign = "−" if value < 0 else ""
    value = abs(value)
    units = [(threshold, unit) for threshold, unit in MONEY_UNITS if value >= threshold]
    if not units:
        return sign + _with_currency(localize_number(f"{display_round(value, 0):,}"), currency)
    threshold, unit = units[0]
    number = display_round(value / threshold)
    if number >= 1000 and len(units) < len(MONEY_UNITS):  # 999.96 M reads as 1 B
        threshold, unit = MONEY_UNITS[len(MONEY_UNITS) - len(units) - 1]
        number = display_round(value / threshold)
    if is_german():
        unit = GERMAN_MONEY_UNITS[unit]
    return sign + _with_currency(f"{localize_number(_trim(number))}{UNIT_SPACE}{unit}", currency)


def _trim(number: Decimal) -> str:
    """One decimal, without a trailing ".0": 127.5 → "127.5", 255.0 → "255"."""
    text = f"{number:,.1f}"
    return text.removesuffix(".0")


def _with_currency(number: str, currency: str) -> str:
    symbol = CURRENCY_SYMBOLS.get(currency)
    if is_german():
        return f"{number}{UNIT_SPACE}{symbol or currency}"
    return f"{symbol}{number}" if symbol else f"{currency}{UNIT_SPACE}{number}"
