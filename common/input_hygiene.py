"""Input hygiene: what no request may bring in, checked once for every page, form and API
operation (InputHygieneMiddleware, settings.MIDDLEWARE), so that a new view gets it
without asking.

- JSON nested deeper than MAX_JSON_DEPTH: a 400 (a parser would recurse without end).
- A lone surrogate (JSON's "\\ud800") or NUL anywhere in a JSON body, an API form body or
  a query string: a 400 naming the field (no database stores them; psycopg refuses both).
- Other control characters (C0 but tab, line feed and carriage return; DEL; C1; U+FFFE,
  U+FFFF): refused with a 400 naming the field in the API and in query strings; stripped
  from page forms, where they arrive only by accident (pasted text) and are invisible.
  A NUL in a page form is left to the form, whose every text field refuses it with an
  error next to the field (Django's ProhibitNullCharactersValidator), and to the services
  (`null_characters`); a form body cannot carry a surrogate.
- A non-finite number (1e999, NaN) in a JSON body: a 400.
- A control character in the URL's path: a 404, like any URL no object answers.
- An API query parameter with an empty value (a null): a 400 naming it.

`printable` is the same rule for text leaving the system: exports run it over stored text
so that rows written before this layer existed never break a file.
"""

import json
import math
import re

from django.http import Http404, HttpResponse, JsonResponse, QueryDict
from django.http.multipartparser import MultiPartParserError
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.translation import gettext, gettext_noop
from rest_framework.permissions import BasePermission

from .errors import InputError

MAX_JSON_DEPTH = 32

# Tab, line feed and carriage return are text; the rest of C0, DEL, C1 and the two
# noncharacters are not (XML 1.0, hence XLSX and DOCX, refuses most of them).
_CONTROL = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff"
_UNPRINTABLE = re.compile(f"[{_CONTROL}\ud800-\udfff]")
_STRIPPABLE = re.compile(f"[{_CONTROL.replace(chr(0) + '-', chr(1) + '-')}]")
_JSON_STRING = re.compile(rb'"(?:[^"\\]|\\.)*"', re.DOTALL)
_JSON_BRACKET = re.compile(rb"[\[\]{}]")


def _later(message: str, **params) -> str:
    """`message` translated when it is shown: the middleware refuses before the caller's
    language is known (LocaleMiddleware and the user's choice come after it)."""
    return _translated(message, params)


def _translate(message: str, params: dict) -> str:
    return gettext(message) % params if params else gettext(message)


_translated = lazy(_translate, str)


class Refusal(Exception):
    def __init__(self, field: str | None, code: str, message: str) -> None:
        super().__init__(message)
        self.field, self.code, self.message = field, code, message


def printable(text: str) -> str:
    """`text` without the characters no file format or database takes (see the module)."""
    return _UNPRINTABLE.sub("", text)


def text_problem(text: str) -> tuple[str, str] | None:
    """(code, message) for the first character of `text` that input may not carry."""
    found = _UNPRINTABLE.search(text)
    if found is None:
        return None
    char = found.group()
    if "\ud800" <= char <= "\udfff":
        return "surrogate", _later(
            gettext_noop("Contains an unpaired surrogate (invalid Unicode text).")
        )
    if char == "\x00":
        return "null_characters", _later(gettext_noop("Must not contain NUL characters."))
    return (
        "control_character",
        _later(
            gettext_noop(
                "Contains the control character %(character)s; text may hold tabs and line "
                "breaks but no other control characters."
            ),
            character=f"U+{ord(char):04X}",
        ),
    )


def json_depth(raw: bytes) -> int:
    """How deeply a JSON document nests arrays and objects, read without parsing it
    (strings removed first, so brackets inside them do not count)."""
    depth = deepest = 0
    for bracket in _JSON_BRACKET.finditer(_JSON_STRING.sub(b"", raw)):
        if bracket.group() in (b"[", b"{"):
            depth += 1
            deepest = max(deepest, depth)
        else:
            depth -= 1
    return deepest


def check_json(raw: bytes) -> None:
    """Refuse a JSON body that nests too deeply or carries what text or numbers may not.
    A body that is not JSON at all is left to the view's parser (its own 400)."""
    if json_depth(raw) > MAX_JSON_DEPTH:
        raise Refusal(
            None,
            "too_deep",
            _later(
                gettext_noop(
                    "The JSON body nests arrays and objects more than %(depth)s levels deep."
                ),
                depth=MAX_JSON_DEPTH,
            ),
        )
    try:
        data = json.loads(raw, parse_constant=_refuse_constant)
    except Refusal:
        raise
    except ValueError:
        return
    _check_value(data, None)


def _refuse_constant(name: str):
    raise Refusal(
        None,
        "parse_error",
        _later(gettext_noop("The body is not valid JSON: %(name)s is not a number."), name=name),
    )


def _check_value(value, field: str | None) -> None:
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise Refusal(field, *problem)
    elif isinstance(value, float) and not math.isfinite(value):
        raise Refusal(field, "invalid", _later(gettext_noop("The number is too large.")))
    elif isinstance(value, dict):
        for key, item in value.items():
            name = key if field is None else f"{field}.{key}"
            problem = text_problem(key)
            if problem:
                raise Refusal(printable(name), *problem)
            _check_value(item, name)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_value(item, f"{field}.{index}" if field else str(index))


def check_form(data: QueryDict) -> None:
    for key, values in data.lists():
        problem = text_problem(key)
        if problem:
            raise Refusal(printable(key), *problem)
        for value in values:
            if isinstance(value, str):
                problem = text_problem(value)
                if problem:
                    raise Refusal(key, *problem)


def check_no_empty_values(query: QueryDict) -> None:
    """An API query parameter is given a value or left out: an empty one (`?status=`, how
    a null is written in a query string) is no value of any parameter the schema states."""
    for key, values in query.lists():
        if "" in values:
            raise Refusal(
                key, "invalid", _later(gettext_noop("Give a value, or leave the parameter out."))
            )


def stripped_form(data: QueryDict) -> QueryDict:
    """`data` with control characters but NUL removed from every value (NUL and surrogates
    are still refused by check_form afterwards)."""
    if not any(_STRIPPABLE.search(v) for _, vs in data.lists() for v in vs if isinstance(v, str)):
        return data
    clean = QueryDict(mutable=True, encoding=data.encoding)
    for key, values in data.lists():
        clean.setlist(key, [_STRIPPABLE.sub("", v) if isinstance(v, str) else v for v in values])
    clean._mutable = False
    return clean


def _is_json(request) -> bool:
    return "json" in request.content_type


def _is_form(request) -> bool:
    return request.content_type in ("application/x-www-form-urlencoded", "multipart/form-data")


class InputHygieneMiddleware:
    """Applies the rules above before any view runs (see the module docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _UNPRINTABLE.search(request.path_info):
            raise Http404("No such page.")
        is_api = request.path.startswith("/api/")
        request.input_refusal = None
        try:
            check_form(request.GET)
            # The API's operations (not its documentation pages: Swagger UI loads its
            # set-up script from `/api/docs/?script=`).
            if request.path.startswith("/api/v1/"):
                check_no_empty_values(request.GET)
            if _is_json(request) and request.body:
                check_json(request.body)
            elif _is_form(request):
                self._check_form_body(request, is_api)
        except Refusal as refusal:
            request.input_refusal = refusal
        except MultiPartParserError:
            pass  # not a form body after all: the view's parser answers 400
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        refusal = getattr(request, "input_refusal", None)
        if refusal is None:
            return None
        view_class = getattr(view_func, "cls", None)
        if RefuseBadInput in getattr(view_class, "permission_classes", ()):
            # An API operation that needs credentials: authentication answers first (401
            # to a caller without them), then RefuseBadInput refuses; the view, which
            # alone reads the body, never runs.
            return None
        return self._refused(request, refusal, request.path.startswith("/api/"))

    def _check_form_body(self, request, is_api: bool) -> None:
        if request.method == "POST" and not is_api:
            # request.POST is what a page's view reads: it gets the stripped copy.
            request._post = stripped_form(request.POST)
        elif request.method == "POST":
            check_form(request.POST)
        elif request.content_type == "application/x-www-form-urlencoded" and request.body:
            check_form(QueryDict(request.body, encoding=request.encoding))

    @staticmethod
    def _refused(request, refusal: Refusal, is_api: bool):
        if is_api or _is_json(request):
            return JsonResponse(
                {
                    "errors": [
                        {
                            "field": refusal.field,
                            "code": refusal.code,
                            "message": str(refusal.message),
                        }
                    ]
                },
                status=400,
            )
        about = f"{refusal.field}: " if refusal.field else ""
        return HttpResponse(
            format_html('<p class="error" role="alert">{}{}</p>', about, refusal.message),
            status=400,
        )


class RefuseBadInput(BasePermission):
    """The API's side of the middleware (settings.REST_FRAMEWORK, after IsAuthenticated):
    the refusal it deferred, raised once the caller is authenticated, as a 400."""

    def has_permission(self, request, view):
        refusal = getattr(request._request, "input_refusal", None)
        if refusal is not None:
            raise InputError(refusal.field, refusal.code, str(refusal.message))
        return True
