"""Rules for an organization's baselines, shared by the browser form and the API. Pure.

Every problem is reported at once, per field, with a stable code and a message a
person can act on; nothing is saved unless everything is valid.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.display import localize_number
from common.errors import FieldError, InputError

CURRENCIES = (
    "EUR",
    "USD",
    "GBP",
    "CHF",
    "JPY",
    "CAD",
    "AUD",
    "SEK",
    "NOK",
    "DKK",
    "INR",
    "CNY",
    "BRL",
    "SGD",
)
DECIMAL_PLACES = 2
CENT = Decimal("0.01")
# field → (label, largest whole-number digits the column holds)
AMOUNTS = {
    "annual_operating_cost": (gettext_lazy("Annual operating cost"), 16),
    "annual_revenue": (gettext_lazy("Annual revenue"), 16),
    "process_hours_per_year": (gettext_lazy("Process hours a year"), 12),
    "cost_per_hour": (gettext_lazy("Cost per hour"), 10),
    "planned_ai_investment": (gettext_lazy("Planned AI investment"), 16),
}
# field → label: percentages 0–100 of a baseline (DESIGN §7, the addressable share)
SHARES = {
    "operating_cost_addressable_share": gettext_lazy("Addressable share of the operating cost (%)"),
    "revenue_addressable_share": gettext_lazy("Addressable share of the revenue (%)"),
}
FIELDS = (*AMOUNTS, *SHARES, "currency")
MAX_INPUT_LENGTH = 40
# ASCII digits with an optional decimal point: no "1,5" (ambiguous), "1e6", "²" or "١".
PLAIN_NUMBER = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")


def parse_baselines(data: Mapping, *, partial: bool = False) -> dict:
    """Validate submitted baselines; returns {field: Decimal | None, "currency": code}.

    A missing or empty amount clears it; currency is required unless `partial`
    (then only the fields given are returned). Unknown fields are refused.
    """
    errors = [
        FieldError(
            str(name), "unknown_field", _("Unknown field %(name)s.") % {"name": repr(str(name))}
        )
        for name in data
        if name not in FIELDS
    ]
    cleaned: dict = {}
    for name, (label, digits) in AMOUNTS.items():
        if partial and name not in data:
            continue
        try:
            cleaned[name] = parse_amount(data.get(name), label=label, digits=digits)
        except _Invalid as exc:
            errors.append(FieldError(name, exc.code, exc.message))
    for name, label in SHARES.items():
        if partial and name not in data:
            continue
        try:
            cleaned[name] = parse_share(data.get(name), label=label)
        except _Invalid as exc:
            errors.append(FieldError(name, exc.code, exc.message))
    if not partial or "currency" in data:
        try:
            cleaned["currency"] = parse_currency(data.get("currency"))
        except _Invalid as exc:
            errors.append(FieldError("currency", exc.code, exc.message))
    if errors:
        raise InputError.many(errors)
    return cleaned


class _Invalid(Exception):
    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message


def parse_amount(value: object, *, label: str, digits: int) -> Decimal | None:
    """A non-negative number with at most two decimals, or None for empty."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _Invalid("invalid_type", _("%(label)s must be a number.") % {"label": label})
    if isinstance(value, float) and not math.isfinite(value):
        raise _Invalid("invalid", _("%(label)s must be a finite number.") % {"label": label})
    if isinstance(value, str):
        number = _from_text(value, label)
    elif isinstance(value, int):
        number = value  # compared before any conversion: an int may have thousands of digits
    else:
        number = Decimal(str(value))  # str: 0.1 stays 0.1, not its binary expansion
    if number < 0:
        raise _Invalid("negative", _("%(label)s cannot be negative.") % {"label": label})
    if number >= 10**digits:
        raise _Invalid(
            "too_large",
            _("%(label)s must be less than %(limit)s.")
            % {"label": label, "limit": localize_number(f"{10**digits:,}")},
        )
    number = Decimal(number)
    cents = number.quantize(CENT, rounding=ROUND_DOWN)
    if number != cents:
        raise _Invalid(
            "max_decimal_places",
            _("%(label)s: use at most %(places)s decimals.")
            % {"label": label, "places": DECIMAL_PLACES},
        )
    return cents


def parse_share(value: object, *, label: str) -> Decimal | None:
    """A percentage from 0 to 100 with at most two decimals, or None for empty."""
    share = parse_amount(value, label=label, digits=4)
    if share is not None and share > 100:
        raise _Invalid("too_large", _("%(label)s is a percentage: at most 100.") % {"label": label})
    return share


def _from_text(value: str, label: str) -> Decimal:
    if "\x00" in value:
        raise _Invalid(
            "null_characters", _("%(label)s must not contain NUL characters.") % {"label": label}
        )
    text = value.strip()
    negative = text.startswith("-")
    if len(text) > MAX_INPUT_LENGTH or not PLAIN_NUMBER.fullmatch(text.removeprefix("-")):
        raise _Invalid(
            "invalid", _("%(label)s must be a plain number such as 1250000.50.") % {"label": label}
        )
    try:
        number = Decimal(text.removeprefix("-"))
    except InvalidOperation as exc:  # unreachable after the pattern; kept for safety
        raise _Invalid(
            "invalid", _("%(label)s must be a plain number.") % {"label": label}
        ) from exc
    return -number if negative and number else number


def parse_currency(value: object) -> str:
    if value is None or value == "":
        raise _Invalid(
            "required",
            _("A currency is required: one of %(currencies)s.")
            % {"currencies": ", ".join(CURRENCIES)},
        )
    if not isinstance(value, str):
        raise _Invalid("invalid_type", _("The currency must be a three-letter code such as EUR."))
    if "\x00" in value:
        raise _Invalid("null_characters", _("The currency must not contain NUL characters."))
    code = value.strip().upper()
    if code not in CURRENCIES:
        shown = value if len(value) <= 10 else value[:10] + "…"
        raise _Invalid(
            "unknown_currency",
            _("Unknown currency %(currency)s; use one of %(currencies)s.")
            % {"currency": repr(shown), "currencies": ", ".join(CURRENCIES)},
        )
    return code
