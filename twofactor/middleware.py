"""The gate of the second factor, in front of every page.

A signed-in session that has not passed the second factor is sent on:
- to the code page, when the person has an authenticator (a session from before they set it up, or
  one their authenticator was removed from and given again);
- to the set-up page, when the person must have one (the Secretariat, the admin's staff) and has none.
Only the pages needed to get through (and logging out) stay open. Put after django-otp's
OTPMiddleware, which tells whether the session passed the second factor.
"""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.shortcuts import resolve_url
from django.utils.http import urlencode

from .permissions import two_factor_required
from .selectors import two_factor_on

OPEN_ALWAYS = {"logout", "set_language", "twofactor:verify"}
OPEN_FOR_SETUP = {"twofactor:setup"}


def _to(name, request):
    from django.http import HttpResponseRedirect

    return HttpResponseRedirect(f"{resolve_url(name)}?{urlencode({REDIRECT_FIELD_NAME: request.get_full_path()})}")


class TwoFactorGate:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = request.user
        if not user.is_authenticated or user.is_verified():
            return None
        name = request.resolver_match.view_name if request.resolver_match else ""
        if name in OPEN_ALWAYS:
            return None
        if two_factor_on(user):
            return _to("twofactor:verify", request)
        if two_factor_required(user) and name not in OPEN_FOR_SETUP:
            return _to("twofactor:setup", request)
        return None
