"""One shape for every error the API answers: {"type", "detail", "errors"}.

`type` is a stable code for programs (e.g. "validation", "not_authenticated", "conflict"); `detail` a
sentence for people, in the caller's language; `errors` the fields' messages ({} when none). A version
conflict adds `current`: the report as it is saved now."""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.http import Http404
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from reports.services import ReportConflict, ReportStateError

TYPES = {
    400: "validation", 401: "not_authenticated", 403: "permission_denied", 404: "not_found",
    405: "method_not_allowed", 406: "not_acceptable", 409: "conflict", 415: "unsupported_media_type",
    429: "throttled",
}


def error_body(status_code: int, detail: str, errors=None, type_: str = "") -> dict:
    return {"type": type_ or TYPES.get(status_code, "error"), "detail": str(detail), "errors": errors or {}}


def _field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return {key: _field_errors(value) if isinstance(value, dict) else [str(item) for item in _as_list(value)]
                for key, value in detail.items()}
    return {"non_field_errors": [str(item) for item in _as_list(detail)]}


def _as_list(value):
    return value if isinstance(value, list) else [value]


def handle(exc, context):
    """DRF's exception handler for the API (settings.REST_FRAMEWORK["EXCEPTION_HANDLER"])."""
    from .serializers import ReportSerializer

    if isinstance(exc, ReportConflict):
        set_rollback()
        current = ReportSerializer(exc.current, context=context).data
        body = error_body(409, _("The report changed since you read it: here is the saved version. Merge your "
                                 "changes into it and send them again with its version."), type_="conflict")
        body.update(current_version=exc.current.version, current=current)
        return Response(body, status=409)
    if isinstance(exc, ReportStateError):
        set_rollback()
        return Response(error_body(409, str(exc), type_="invalid_state"), status=409)
    if isinstance(exc, IntegrityError):
        set_rollback()
        return Response(error_body(409, _("Somebody else changed this at the same moment; nothing of yours was "
                                          "saved. Read it again and retry.")), status=409)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied(*(exc.args[:1]))
    if not isinstance(exc, exceptions.APIException):
        return None  # a real server error: Django's 500 (logged, and reported to Sentry when it is set)
    set_rollback()
    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    code = exc.status_code
    if isinstance(exc, exceptions.ValidationError):
        body = error_body(code, _("The request is not valid: see the errors by field."), _field_errors(exc.detail))
    else:
        detail = exc.detail if not isinstance(exc.detail, (list, dict)) else _("The request could not be handled.")
        body = error_body(code, detail)
    if isinstance(exc, exceptions.Throttled):
        body["detail"] = _("Too many requests: wait %(seconds)s seconds, then try again.") % {
            "seconds": int(exc.wait or 1)}
    return Response(body, status=code, headers=headers)


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any other address under /api/: the same error body, not the portal's HTML page."""
    from django.http import JsonResponse

    return JsonResponse(error_body(404, _("There is nothing at this address of the API.")),
                        status=status.HTTP_404_NOT_FOUND)
