from django.shortcuts import redirect
from django.templatetags.static import static


def favicon(request):
    """Browsers ask for /favicon.ico whatever a page says; the icon is an SVG among the static files
    (looked up per request, so the hashed name of the production manifest is used)."""
    return redirect(static("favicon.svg"), permanent=True)
