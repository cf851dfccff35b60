"""The two ways a service refuses a request, shared by every app. Pure Python, so the
pure domain modules raise them too.

- `InputError`: the input is wrong and the person can correct it (HTTP 400, a form error).
  It names the field, a stable code and a message a person can act on; several problems
  found at once travel together (`InputError.many`).
- `ConflictError`: the input is fine but the object's current state forbids the action
  (HTTP 409, a message on the page).

Each is mapped once: for the API in `common.api_errors`, for forms in `common.forms`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class FieldError:
    field: str | None  # None: about the request as a whole
    code: str
    message: str


class InputError(ValueError):
    def __init__(self, field: str | None, code: str, message: str) -> None:
        self.errors: list[FieldError] = [FieldError(field, code, message)]
        super().__init__(message)

    @classmethod
    def many(cls, errors: Iterable[FieldError]) -> InputError:
        errors = list(errors)
        if not errors:
            raise ValueError("InputError.many needs at least one error")
        error = cls(errors[0].field, errors[0].code, errors[0].message)
        error.errors = errors
        error.args = (
            "; ".join(f"{e.field}: {e.message}" if e.field else e.message for e in errors),
        )
        return error

    @property
    def field(self) -> str | None:
        return self.errors[0].field

    @property
    def code(self) -> str:
        return self.errors[0].code

    @property
    def message(self) -> str:
        return self.errors[0].message


class ConflictError(Exception):
    """The action is not possible in the object's current state (HTTP 409)."""
