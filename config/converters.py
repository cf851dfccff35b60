from django.urls.converters import IntConverter

from common.bounds import ID_MAX


class IdConverter(IntConverter):
    """A database id in a URL: any whole number, so that one out of range reaches
    common.bounds.BoundedUrlIdsMiddleware (a 400 naming it under /api/, a 404 page
    elsewhere) rather than matching no route. Anything else matches no route (404)."""

    regex = "-?[0-9]+"

    def to_python(self, value):
        # int() refuses more than 4,300 digits; a number that long is out of range anyway.
        if len(value.lstrip("-").lstrip("0")) > len(str(ID_MAX)):
            return -1 if value.startswith("-") else ID_MAX + 1
        return int(value)
