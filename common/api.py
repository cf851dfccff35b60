"""Helpers every API module shares."""

from rest_framework import serializers

from .display import display_round


def rounded(value: float | None, digits: int = 1) -> float | None:
    """An API number: rounded as every surface shows it (common.display: half away from
    zero; scores to one decimal), None kept as null."""
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
