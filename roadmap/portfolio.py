"""The rule for a use case's figures (baseline, target and actual percentages), the one
place it is written: the model, the forms, the API and the services all read it. Pure."""

import math

PERCENT_MIN, PERCENT_MAX = -100, 100
PERCENT_MESSAGE = "Enter a percentage from −100 to 100."


def percent_problem(value) -> tuple[str, str] | None:
    """(code, message) when `value` is not a percentage from −100 to 100, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "invalid", "Enter a number."
    if not math.isfinite(value) or not PERCENT_MIN <= value <= PERCENT_MAX:
        return "out_of_range", PERCENT_MESSAGE
    return None
