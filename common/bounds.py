"""Integer inputs bounded to what the database can hold, so that a number out of range is a
400 naming the parameter, never an overflow (SQLite's OverflowError beyond ±(2^63 − 1))
nor a comparison the database happens to survive (PostgreSQL).

One rule, `whole_number`, serves every integer the API reads outside a body: the id
filters of the FilterSets (`IdFilter`), `page` and `page_size` (common/pagination.py) and
the ids in URLs (`BoundedUrlIdsMiddleware`, for the integers the `<id:...>` converter
captures). Ids are BigAutoField: 1 to 2^63 − 1.
"""

import re

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field

ID_MIN = 1
ID_MAX = 2**63 - 1  # BigAutoField (settings.DEFAULT_AUTO_FIELD)
ID_SCHEMA = {"type": "integer", "format": "int64", "minimum": ID_MIN, "maximum": ID_MAX}

_INTEGER = re.compile(r"-?[0-9]+")  # ASCII digits only: int() would take "١٢" and " 5"
# More significant digits than any bound here has (int() refuses over 4,300 of them).
_DIGITS = len(str(ID_MAX))


def whole_number(raw: str | None, minimum: int, maximum: int) -> int:
    """`raw` as an int if it is a whole number from `minimum` to `maximum` (bounds of at
    most 19 digits); otherwise a ValidationError with code `invalid`. None and "" are
    no number either."""
    if (
        raw is None
        or not _INTEGER.fullmatch(raw)
        or len(raw.lstrip("-").lstrip("0")) > _DIGITS
        or not minimum <= int(raw) <= maximum
    ):
        raise ValidationError(
            _("Enter a whole number from %(minimum)s to %(maximum)s.")
            % {"minimum": minimum, "maximum": maximum},
            code="invalid",
        )
    return int(raw)


# --- query parameters: FilterSets -------------------------------------------------------


class IdFormField(forms.Field):
    """An id in a query string. Absent: no filter; present, even empty, it must be an id."""

    def to_python(self, value):
        if value is None:
            return None
        return whole_number(value, ID_MIN, ID_MAX)

    def validate(self, value):
        pass  # whole_number has said all there is (an absent filter is not required)


@extend_schema_field(ID_SCHEMA)
class IdFilter(django_filters.Filter):
    """The filter for every id (or foreign key) of a FilterSet."""

    field_class = IdFormField


# --- path parameters: the ids in URLs ---------------------------------------------------


class BoundedUrlIdsMiddleware:
    """Every integer captured from the URL (the `<id:...>` converter) must be an id.
    Under /api/ one that is not is a 400 naming the parameter, in the API's error format;
    elsewhere the page's 404. It is checked before the view, as the route itself is, so
    before authentication too (as a URL no route matches is a 404 to everyone)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        # Not resolver_match.captured_kwargs: it lacks what an include()'s prefix captured.
        extra = getattr(request.resolver_match, "extra_kwargs", None) or {}
        for name, value in view_kwargs.items():
            if name in extra or not isinstance(value, int) or isinstance(value, bool):
                continue
            try:
                whole_number(str(value), ID_MIN, ID_MAX)
            except ValidationError as error:
                if not request.path.startswith("/api/"):
                    raise Http404(f"No such {name}.") from None
                return JsonResponse(
                    {"errors": [{"field": name, "code": error.code, "message": error.messages[0]}]},
                    status=400,
                )
        return None
