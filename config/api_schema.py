"""OpenAPI schema post-processing (drf-spectacular's POSTPROCESSING_HOOKS)."""

import copy

UNAUTHENTICATED = {
    "description": "No credentials, or credentials that are not an API token or session.",
    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Errors"}}},
}


def document_unauthenticated(result, generator, request, public):
    """Every operation that requires credentials answers 401 without valid ones (token
    authentication comes first, so it is a 401 with a challenge, never a 403): document
    it on each of them, so a view cannot forget it. Operations open to everyone (the
    questionnaire, the token endpoint) declare no security and are left alone."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            security = operation.get("security") or []
            if any(requirement for requirement in security):
                # A copy each: the YAML renderer would write shared objects as anchors.
                operation["responses"].setdefault("401", copy.deepcopy(UNAUTHENTICATED))
    return result
