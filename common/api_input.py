"""Request bodies: a field the endpoint does not know is a 400, never silently ignored."""

from collections.abc import Mapping

from rest_framework import serializers


class RefuseUnknownFields:
    """Mix into a serializer that reads a request body: a misspelt field is refused
    (code `unknown_field`) instead of passing for a change that was never made. Read-only
    fields are known, so a body copied from a response is accepted."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            unknown = sorted(str(key) for key in data if key not in self.fields)
            if unknown:
                raise serializers.ValidationError(
                    {unknown[0]: [serializers.ErrorDetail("Unknown field.", code="unknown_field")]}
                )
        return super().to_internal_value(data)
