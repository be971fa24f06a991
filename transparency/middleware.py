"""Public pages are served as to an anonymous visitor, whoever asks.

A view marked `serves_public` (transparency.caching.public_page) sees `request.user` as AnonymousUser, and nothing after this middleware reads the session for it:
the page cannot mix in anything of the person's, and it carries no `Vary: Cookie`, so one copy in a
shared cache serves everybody. Placed after AuthenticationMiddleware, before any middleware that looks
at the person in process_view."""

from django.contrib.auth.models import AnonymousUser


def serves_public(view_func) -> bool:
    return bool(getattr(view_func, "serves_public", False)
                or getattr(getattr(view_func, "cls", None), "serves_public", False)
                or getattr(getattr(view_func, "view_class", None), "serves_public", False))


class PublicPagesAreAnonymous:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if serves_public(view_func):
            request.user = AnonymousUser()
