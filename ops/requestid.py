"""One id per request, in every log line it causes — its own and those of the tasks it queues.

The id comes from the proxy's X-Request-ID (nginx sets it: deploy/nginx/baltmet.conf) or is made here; it is
sent back in the response's X-Request-ID, travels to Celery in a message header (tasks_signals.py) and is
restored in the worker while the task runs, so one grep follows a click into the mail it sent."""

import logging
import re
import uuid
from contextvars import ContextVar

current: ContextVar[str] = ContextVar("request_id", default="")

HEADER = "HTTP_X_REQUEST_ID"
# Anything else a client sends is replaced: an id must not carry text into the logs.
VALID = re.compile(r"[A-Za-z0-9._:-]{1,100}")


def new_id() -> str:
    return uuid.uuid4().hex


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        given = request.META.get(HEADER, "")
        request.id = given if VALID.fullmatch(given) else new_id()
        token = current.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            current.reset(token)
        response["X-Request-ID"] = request.id
        return response


class RequestIdFilter(logging.Filter):
    """Gives every record a `request_id` (empty outside a request or task) for the formatters."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", None):
            record.request_id = current.get()
        return True
