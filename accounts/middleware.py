"""A signed-in person's pages in the language and time zone stored on their account, the ones the emails
they get are written in; everybody else gets the language of the switcher's cookie or their browser."""

import zoneinfo

from django.conf import settings
from django.utils import timezone, translation


class PersonsLanguage:
    """After LocaleMiddleware (which chose from the cookie or Accept-Language) and after
    transparency's PublicPagesAreAnonymous, so a public page, being the same for everybody, keeps that choice.
    Works in process_view, when the view (and so whether the page is public) is known."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            response = self.get_response(request)
        finally:
            timezone.deactivate()
        language = getattr(request, "persons_language", None)
        name = settings.LANGUAGE_COOKIE_NAME
        if language and request.COOKIES.get(name) != language and name not in response.cookies:
            # The public pages and the login page, which do not know the person, follow their choice too.
            response.set_cookie(name, language, max_age=settings.LANGUAGE_COOKIE_AGE,
                                path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
                                secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
                                samesite=settings.LANGUAGE_COOKIE_SAMESITE)
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        if user.language in dict(settings.LANGUAGES):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
            request.persons_language = user.language
        try:
            timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            pass  # an unknown zone keeps the portal's own
