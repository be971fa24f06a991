"""Answers every page gets, whatever the view."""

import logging

from django.db import IntegrityError
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers, patch_cache_control

logger = logging.getLogger("baltmet.conflicts")


class PrivateByDefault:
    """Nothing the portal serves may be kept by a shared cache or the browser's history unless the view
    says so (public pages set their own Cache-Control): `private, no-store` on every other response."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if "Cache-Control" not in response:
            add_never_cache_headers(response)
            patch_cache_control(response, private=True)
        return response


class SameMomentConflicts:
    """A unique row taken by somebody else between a page's checks and its write is a conflict, not a
    server error: the person is told, nothing of theirs was saved. (The services turn the races they
    expect into messages of their own; this is the net under the rest.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, IntegrityError):
            logger.warning("Conflict at %s: %s", request.path, str(exception).splitlines()[0])
            return render(request, "409.html", status=409)
        return None
