"""Request bodies take what the schema says, no more: a field the endpoint does not know
is a 400, never silently ignored, and a number is a JSON number, never a string or a
boolean that DRF would convert ("12" → 12, true → 1) although the schema says
`integer`/`number`."""

from collections.abc import Mapping

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from .bounds import ID_SCHEMA

NUMBER_FIELDS = (serializers.IntegerField, serializers.FloatField, serializers.DecimalField)


@extend_schema_field(ID_SCHEMA)
class IdRelatedField(serializers.PrimaryKeyRelatedField):
    """An object chosen by its id in a request body: a JSON integer from 1 to 2^63 − 1,
    as the schema says."""


def not_a_json_number(value) -> bool:
    return isinstance(value, bool) or not isinstance(value, int | float)


class RefuseUnknownFields:
    """Mix into a serializer that reads a request body: a misspelt field is refused
    (code `unknown_field`) instead of passing for a change that was never made, and a
    number field given anything but a JSON number is refused (code `invalid_type`).
    Read-only fields are known, so a body copied from a response is accepted."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(str(key) for key in data if key not in self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {
                        unknown[0]: [
                            serializers.ErrorDetail(_("Unknown field."), code="unknown_field")
                        ]
                    }
                )
            for name, value in data.items():
                field = self.fields[name]
                if (
                    isinstance(field, (*NUMBER_FIELDS, serializers.PrimaryKeyRelatedField))
                    and not field.read_only
                    and value is not None
                    and not_a_json_number(value)
                ):
                    raise serializers.ValidationError(
                        {name: [serializers.ErrorDetail(_("Enter a number."), code="invalid_type")]}
                    )
        return super().to_internal_value(data)
