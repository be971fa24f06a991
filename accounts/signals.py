"""Security log: logins, failed logins and logouts, on the "baltmet.security" logger; and at sign-in, the
language chosen on the login page kept on the account.

Refused accesses (403) are logged by Django's own "django.security"/"django.request" loggers;
lockouts by django-axes.
"""

import logging

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from .services import LANGUAGE_CHOSEN_BEFORE_SIGN_IN, user_language_set

logger = logging.getLogger("baltmet.security")


def _address(request):
    return request.META.get("REMOTE_ADDR", "?") if request is not None else "?"


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    logger.info("login user=%s address=%s", user.get_username(), _address(request))


@receiver(user_logged_in)
def _language_chosen_before_sign_in(sender, request, user, **kwargs):
    # The language picked on the login page is the person's latest choice: it goes on their account.
    chosen = request.session.pop(LANGUAGE_CHOSEN_BEFORE_SIGN_IN, None) if request is not None else None
    if chosen in dict(settings.LANGUAGES):
        user_language_set(user=user, language=chosen)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    # A wrong second-factor code (twofactor/views.py) is a failed login too, marked with its step.
    step = f" step={credentials['step'].replace(' ', '_')}" if credentials.get("step") else ""
    logger.warning("login failed user=%s address=%s%s", credentials.get("username", "?"), _address(request), step)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    logger.info("logout user=%s address=%s", user.get_username() if user else "?", _address(request))
