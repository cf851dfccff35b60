"""Respondents pasted as lines of text: `name, email, role, title, unit` (pure Python).

One respondent a line; title and unit are optional. Fields are separated by commas, or
by tabs when the line has one (pasted from a spreadsheet). Blank lines and lines that
start with `#` are ignored. Each line is checked on its own and against the others and
the assessment's existing respondents; a bad line gets one error naming all its
problems, with its line number as the person sees it in the box.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MAX_LINES = 200
MAX_TEXT_LENGTH = 100_000
MAX_FIELD_LENGTH = 200  # name, title, unit (the model's columns)
MAX_EMAIL_LENGTH = 254
FIELDS = ("name", "email", "role", "title", "unit")

# A practical check (one @, no spaces, a dot in the domain); the address is proven by
# the invitation email reaching it.
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>.]+$")


@dataclass(frozen=True)
class Row:
    line: int
    name: str
    email: str
    role: str
    title: str = ""
    business_unit: str = ""


@dataclass(frozen=True)
class LineError:
    line: int
    message: str

    def __str__(self) -> str:
        return _("line %(number)s: %(problem)s") % {"number": self.line, "problem": self.message}


@dataclass(frozen=True)
class Parsed:
    rows: list[Row] = field(default_factory=list)
    errors: list[LineError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class TooMuchText(ValueError):
    """The paste as a whole is refused (too many lines or characters)."""


def role_lookup(choices: Mapping[str, str]) -> dict[str, str]:
    """value → label choices as a lookup by lower-case value or label."""
    lookup = {}
    for value, label in choices.items():
        lookup[value.lower()] = value
        lookup[str(label).lower()] = value
    return lookup


def parse(
    text: str,
    *,
    roles: Mapping[str, str],
    existing_emails: Collection[str] = (),
) -> Parsed:
    """The pasted respondents and the errors of the bad lines.

    `roles` is value → label (either is accepted, in any case); `existing_emails` are the
    lower-case emails already respondents of the assessment. Raises TooMuchText when
    the paste is longer than MAX_LINES respondents or MAX_TEXT_LENGTH characters.
    """
    if len(text) > MAX_TEXT_LENGTH:
        raise TooMuchText(
            _("Paste at most %(limit)s characters at once.") % {"limit": f"{MAX_TEXT_LENGTH:,}"}
        )
    lookup = role_lookup(roles)
    existing = {e.lower() for e in existing_emails}
    seen: dict[str, int] = {}
    parsed = Parsed()
    count = 0
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        count += 1
        if count > MAX_LINES:
            raise TooMuchText(
                _("Paste at most %(limit)s respondents at once.") % {"limit": MAX_LINES}
            )
        row, problems = _parse_line(number, line, lookup, roles)
        if row is not None:
            if row.email in existing:
                problems.append(
                    _("%(email)s is already a respondent of this assessment") % {"email": row.email}
                )
            elif row.email in seen:
                problems.append(
                    _("%(email)s is already on line %(number)s")
                    % {"email": row.email, "number": seen[row.email]}
                )
            else:
                seen[row.email] = number
        if problems:
            parsed.errors.append(LineError(number, "; ".join(problems)))
        else:
            parsed.rows.append(row)
    return parsed


def _parse_line(number: int, line: str, lookup, roles) -> tuple[Row | None, list[str]]:
    separator = "\t" if "\t" in line else ","
    parts = [p.strip() for p in line.split(separator)]
    if len(parts) > len(FIELDS):
        problem = _("%(count)s fields, at most %(limit)s: name, email, role, title, unit") % {
            "count": len(parts),
            "limit": len(FIELDS),
        }
        if separator == ",":
            problem += " " + _("(a name or title cannot contain a comma)")
        return None, [problem]
    parts += [""] * (len(FIELDS) - len(parts))
    name, email, role, title, unit = parts
    email = email.lower()
    problems = []
    if not name:
        problems.append(_("the name is missing"))
    elif len(name) > MAX_FIELD_LENGTH:
        problems.append(
            _("the name is longer than %(limit)s characters") % {"limit": MAX_FIELD_LENGTH}
        )
    if not email:
        problems.append(_("the email is missing"))
    elif len(email) > MAX_EMAIL_LENGTH:
        problems.append(
            _("the email is longer than %(limit)s characters") % {"limit": MAX_EMAIL_LENGTH}
        )
    elif not _EMAIL.match(email):
        problems.append(_("%(email)s is not an email address") % {"email": repr(email)})
    value = lookup.get(role.lower())
    if not role:
        problems.append(_("the role is missing (%(roles)s)") % {"roles": _role_list(roles)})
    elif value is None:
        problems.append(
            _("unknown role %(role)s (one of: %(roles)s)")
            % {"role": repr(role), "roles": _role_list(roles)}
        )
    too_long = {
        "title": _("the title is longer than %(limit)s characters"),
        "unit": _("the unit is longer than %(limit)s characters"),
    }
    for label, text in (("title", title), ("unit", unit)):
        if len(text) > MAX_FIELD_LENGTH:
            problems.append(too_long[label] % {"limit": MAX_FIELD_LENGTH})
    if problems:
        return None, problems
    return Row(number, name, email, value, title, unit), problems


def _role_list(roles: Mapping[str, str]) -> str:
    return ", ".join(str(label) for label in roles.values())
