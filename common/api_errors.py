"""One error format for every API response: {"errors": [{"field", "code", "message"}]}.

The message is in the caller's language (their chosen one, else Accept-Language); the
field and the code stay English."""

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse
from django.utils.translation import gettext_lazy
from django.views import defaults
from drf_spectacular.utils import inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler
from rest_framework.views import set_rollback

from common.errors import ConflictError, InputError

NON_FIELD = None

# Every 404 of the API has this one body, whatever was not found and why: an object that
# does not exist and one of another organization must read the same, or the difference
# would tell an outsider that the id exists.
NOT_FOUND = {"field": None, "code": "not_found", "message": gettext_lazy("Not found.")}


def not_found() -> dict:
    """The 404's one error, its message in the caller's language."""
    return {**NOT_FOUND, "message": str(NOT_FOUND["message"])}


# The error format as a schema component, for every operation's error responses.
ERRORS = inline_serializer(
    "Errors",
    {
        "errors": serializers.ListField(
            child=inline_serializer(
                "Error",
                {
                    "field": serializers.CharField(allow_null=True),
                    "code": serializers.CharField(),
                    "message": serializers.CharField(),
                },
            )
        )
    },
)


def error_response(http_status: int, errors: list[dict]) -> Response:
    return Response({"errors": errors}, status=http_status)


def _flatten(detail, field=NON_FIELD) -> list[dict]:
    if isinstance(detail, dict):
        items = []
        for key, value in detail.items():
            name = None if key in ("non_field_errors", "detail") else key
            if field and name:
                name = f"{field}.{name}"
            items.extend(_flatten(value, name or field))
        return items
    if isinstance(detail, list):
        return [item for value in detail for item in _flatten(value, field)]
    return [{"field": field, "code": getattr(detail, "code", "invalid"), "message": str(detail)}]


def exception_handler(exc, context):
    if isinstance(exc, InputError | ConflictError):
        set_rollback()  # nothing of a refused request is kept (ATOMIC_REQUESTS)
    if isinstance(exc, InputError):
        return error_response(
            status.HTTP_400_BAD_REQUEST,
            [{"field": e.field, "code": e.code, "message": str(e.message)} for e in exc.errors],
        )
    if isinstance(exc, ConflictError):
        return error_response(
            status.HTTP_409_CONFLICT, [{"field": None, "code": "conflict", "message": str(exc)}]
        )
    if isinstance(exc, Http404 | exceptions.NotFound):
        set_rollback()
        return error_response(status.HTTP_404_NOT_FOUND, [not_found()])
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    response = drf_exception_handler(exc, context)
    if response is not None:
        response.data = {"errors": _flatten(response.data)}
    return response


def page_not_found(request, exception):
    """Django's 404 for a URL no route matches (a typo, a non-numeric id):
    under /api/ in the API's format, like every other API error; elsewhere the usual page."""
    if request.path.startswith("/api/"):
        return JsonResponse({"errors": [not_found()]}, status=status.HTTP_404_NOT_FOUND)
    return defaults.page_not_found(request, exception)
