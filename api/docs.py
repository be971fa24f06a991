"""The browsable docs (Swagger UI, served from the portal's own static files by drf-spectacular-sidecar)
and the schema's shared parts."""

from csp.decorators import csp_update
from django.utils.translation import gettext_lazy as _

# Swagger UI sets style attributes from its script; its scripts still come only from the portal.
csp_for_docs = csp_update({"style-src": ["'self'", "'unsafe-inline'"]})

ERROR_CODES = {
    400: _("The request is not valid (see `errors`, by field)."),
    401: _("No token, or a token that is not valid or was revoked."),
    403: _("The token's person may not do this."),
    404: _("Not found, or not visible to the token's person."),
    405: _("This method is not allowed here."),
    406: _("The response cannot be given in the asked-for format (the API speaks JSON)."),
    415: _("The request body must be JSON."),
    429: _("Too many requests: wait for the number of seconds in Retry-After."),
}
WRITE_METHODS = {"post", "put", "patch", "delete"}


def error_responses(result, generator, request, public):
    """drf-spectacular post-processing hook: every operation documents the one error body for every
    error it can answer (409 is declared by the operations that can conflict)."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", {
        "type": "object", "required": ["type", "detail", "errors"],
        "properties": {"type": {"type": "string"}, "detail": {"type": "string"},
                       "errors": {"type": "object", "additionalProperties": True}},
    })
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            if not isinstance(operation, dict) or "responses" not in operation:
                continue
            responses = operation["responses"]
            for code, description in ERROR_CODES.items():
                if code == 415 and method not in WRITE_METHODS:
                    continue
                responses.setdefault(str(code), {
                    "description": str(description),
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                })
    return result
