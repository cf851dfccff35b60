"""OpenAPI schema post-processing (drf-spectacular's POSTPROCESSING_HOOKS)."""

import copy

from common.api_input import RefuseUnknownFields


def _error(description: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
    }


def _document(result, status: str, response: dict, applies) -> dict:
    """Add `response` as `status` to every operation for which `applies(operation)`,
    unless the view documented it itself, so that no view can forget it."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if applies(operation):
                # A copy each: the YAML renderer would write shared objects as anchors.
                operation["responses"].setdefault(status, copy.deepcopy(response))
    return result


def document_unauthenticated(result, generator, request, public):
    """Every operation that requires credentials answers 401 without valid ones (token
    authentication comes first, so it is a 401 with a challenge, never a 403). Operations
    open to everyone (the questionnaire, the token endpoint) declare no security."""
    return _document(
        result,
        "401",
        _error("No credentials, or credentials that are not an API token or session."),
        lambda operation: any(requirement for requirement in operation.get("security") or []),
    )


def document_bad_integers(result, generator, request, public):
    """Every operation with an integer parameter (an id in the path or the query, page,
    page_size) answers 400 to one that is not a whole number in its range (config/bounds.py)."""
    return _document(
        result,
        "400",
        _error("An integer parameter (an id, page, page_size) not a whole number in its range."),
        lambda operation: any(
            p.get("schema", {}).get("type") == "integer" for p in operation.get("parameters", [])
        ),
    )


def document_unsupported_media_type(result, generator, request, public):
    """Every operation that reads a body answers 415 to one it cannot parse as any of
    its media types (found by schemathesis: a malformed multipart body)."""
    return _document(
        result,
        "415",
        _error("A body in a media type the operation does not read (or not parseable as one)."),
        lambda operation: "requestBody" in operation,
    )


# Bodies checked field by field by their own code (assessments.api.answer input,
# benchmarks.baselines), which refuses unknown fields as RefuseUnknownFields does.
CLOSED_BY_THEIR_VIEWS = ("AnswerInput", "BaselinesInput")


def refuse_unknown_fields(result, generator, request, public):
    """Bodies read by a serializer with RefuseUnknownFields (config/api_input.py) are
    closed objects: say so (additionalProperties: false), for clients and for the
    schemathesis run alike."""
    schemas = result.get("components", {}).get("schemas", {})
    names = [s.__name__.removesuffix("Serializer") for s in _subclasses(RefuseUnknownFields)]
    for name in [*names, *CLOSED_BY_THEIR_VIEWS]:
        for component in (name, f"Patched{name}"):
            if component in schemas:
                schemas[component]["additionalProperties"] = False
    return result


def _subclasses(cls: type) -> list[type]:
    found = []
    for subclass in cls.__subclasses__():
        found += [subclass, *_subclasses(subclass)]
    return found
