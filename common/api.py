"""Helpers every API module shares."""

from rest_framework import serializers

from common.display import display_round


def rounded(value: float | None, digits: int = 1) -> float | None:
    """An API number: rounded for display (scores to one decimal) by the one rule every
    surface uses (`display_round`: decimal, half away from zero), None kept as null."""
    return None if value is None else float(display_round(value, digits))


class RoundedField(serializers.FloatField):
    """A number as the API shows it: rounded by `rounded` (scores to one decimal).

    A null value never reaches the field (the serializer writes null itself); declare
    allow_null=True where the value can be missing, so the schema says so."""

    def __init__(self, digits: int = 1, **kwargs):
        self.digits = digits
        super().__init__(**kwargs)

    def to_representation(self, value) -> float:
        return rounded(value, self.digits)
