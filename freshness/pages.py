"""Whole pages kept in the cache per person, for the pages people open again and again.

A page is stored under a key of everything it can depend on: the view and the full URL (path and
query), the person, their language and time zone, today's date (for "overdue" and "due in"), whether
htmx asked, and the data version (version.py), which moves on every change to the portal's data. So a
stored page is served only while nothing it could show has changed, and the next request after any change
builds it afresh; nothing needs deleting.

What differs between two requests of the same person is put back on the way out: the CSRF token (stored
as a placeholder, replaced with a token of the current request) and the one-time messages (a request with
messages to show is never served from, nor stored in, the cache). Only complete 200 responses are stored.

On a hit the view does not run, so its permission checks do not either: they need not, since the
stored page was built by the view for this very person from the very same data (a changed membership,
role or account moves the data version). The decorators that stand before the view (signing in,
the Secretariat's role) still run on every request.
"""

import hashlib
import re
from functools import wraps

from django.contrib.messages import get_messages
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from . import version

TIMEOUT = 300  # seconds; only bounds the memory of pages nobody asks for again
KEY_PREFIX = "freshness:page:1:"
PLACEHOLDER = b"\x00csrf\x00"
TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Content-Language")


def cached_per_person(view):
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or not request.user.is_authenticated or _has_messages(request):
            return view(request, *args, **kwargs)
        key = page_key(request, view)
        stored = cache.get(key)
        if stored is not None:
            headers, body = stored
            if PLACEHOLDER in body:
                body = body.replace(PLACEHOLDER, get_token(request).encode())
            response = HttpResponse(body)
            for name, value in headers:
                response[name] = value
            return response
        response = view(request, *args, **kwargs)
        if _storable(response):
            headers = [(name, response[name]) for name in KEPT_HEADERS if name in response]
            body = response.content
            if response.get("Content-Type", "").startswith("text/html"):
                body = TOKEN.sub(rb"\1" + PLACEHOLDER + rb"\2", body)
            cache.set(key, (headers, body), TIMEOUT)
        return response

    return wrapper


def page_key(request, view) -> str:
    parts = (
        f"{view.__module__}.{view.__qualname__}", request.get_full_path(), request.user.pk,
        translation.get_language(), timezone.get_current_timezone_name(), timezone.localdate().isoformat(),
        request.headers.get("HX-Request", ""), version.stamp(),
    )
    return KEY_PREFIX + hashlib.sha256(repr(parts).encode()).hexdigest()


def _has_messages(request) -> bool:
    # Counting, unlike iterating, leaves them for the page that shows them.
    return len(get_messages(request)) > 0


def _storable(response) -> bool:
    # Not an error or a redirect, not a stream, nothing set for this browser alone (a cookie).
    return (response.status_code == 200 and not response.streaming
            and getattr(response, "is_rendered", True) and not response.cookies)
