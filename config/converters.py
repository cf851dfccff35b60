from django.urls.converters import IntConverter


class IdConverter(IntConverter):
    """A database id in a URL: at most 18 digits, so it always fits a 64-bit integer.
    A longer number cannot be an id and is a 404, not an overflow in the database."""

    regex = "[0-9]{1,18}"
