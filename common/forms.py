"""The one way a page shows a service's refusal: on the form, next to the field it
names (or above the form when the field is not on it)."""

from collections.abc import Callable
from typing import Any

from .errors import ConflictError, InputError


def add_input_error(form, error: InputError) -> None:
    for problem in error.errors:
        field = problem.field if problem.field in form.fields else None
        form.add_error(field, problem.message)


def run_on_form(form, call: Callable[[], Any]) -> tuple[bool, Any]:
    """Run a service for a valid form: (True, its result), or (False, None) with its
    InputError or ConflictError written on the form."""
    try:
        return True, call()
    except InputError as error:
        add_input_error(form, error)
    except ConflictError as error:
        form.add_error(None, str(error))
    return False, None
