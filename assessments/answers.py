"""Rules for one answer, shared by the browser questionnaire and the API. Pure."""

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from common.errors import InputError

NOT_APPLICABLE = "na"
DONT_KNOW = "dont_know"
MAX_COMMENT_LENGTH = 2000
MAX_EVIDENCE_LENGTH = 2000


def _value_help() -> str:
    return _('an integer level from 1 to 5, "na" or "dont_know"')


@dataclass(frozen=True)
class ParsedValue:
    kind: str  # "level", "na", "dont_know" or "" for no choice yet
    level: int | None


def parse_value(value: object, *, allow_na: bool, from_form: bool = False) -> ParsedValue:
    """Turn a submitted value into (kind, level).

    The API takes JSON integers only; HTML forms send strings, so `from_form`
    also accepts "1".."5" and an empty string (no choice yet).
    """
    # ASCII digits only, and few: int() fails on "²" and on 5000-digit strings.
    if from_form and isinstance(value, str) and re.fullmatch(r"\s*[0-9]{1,9}\s*", value):
        value = int(value)
    if from_form and value in ("", None):
        return ParsedValue("", None)
    if isinstance(value, bool):
        raise InputError(
            "value",
            "invalid_type",
            _("Must be %(expected)s, not a boolean.") % {"expected": _value_help()},
        )
    if isinstance(value, int):
        if not 1 <= value <= 5:
            raise InputError(
                "value",
                "out_of_range",
                _("Level %(level)s is out of range 1–5.") % {"level": value},
            )
        return ParsedValue("level", value)
    if value == NOT_APPLICABLE:
        if not allow_na:
            raise InputError(
                "value",
                "na_not_allowed",
                _('"Not applicable" is not allowed for this question.'),
            )
        return ParsedValue(NOT_APPLICABLE, None)
    if value == DONT_KNOW:
        return ParsedValue(DONT_KNOW, None)
    if value is None:
        raise InputError(
            "value",
            "required",
            _("A value is required: %(expected)s.") % {"expected": _value_help()},
        )
    raise InputError("value", "invalid", _("Must be %(expected)s.") % {"expected": _value_help()})


def clean_text(value: object, *, field: str, max_length: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise InputError(field, "invalid_type", _("Must be a string."))
    if "\x00" in value:
        raise InputError(field, "null_characters", _("Must not contain NUL characters."))
    value = value.strip()
    if len(value) > max_length:
        raise InputError(
            field,
            "max_length",
            _("Must be at most %(limit)s characters (%(given)s given).")
            % {"limit": max_length, "given": len(value)},
        )
    return value
