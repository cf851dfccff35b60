"""Helpers every API module shares."""


def rounded(value: float | None, digits: int = 1) -> float | None:
    """An API number: rounded for display (scores to one decimal), None kept as null."""
    return None if value is None else round(value, digits)
