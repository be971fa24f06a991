from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from accounts import views as account_views
from api import views as api_views
from baltmet.views import favicon
from transparency.urls import sitemap as public_sitemap

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="reports:home", permanent=False), name="home"),
    # The person's API tokens (api/): next to their other account pages.
    path("accounts/api-tokens/", api_views.tokens, name="api_tokens"),
    path("accounts/api-tokens/<int:token_id>/revoke/", api_views.token_revoke, name="api_token_revoke"),
    path("accounts/", include("accounts.urls")),
    path("api/", include("api.urls")),
    path("plans/", include("actions.urls")),
    path("", include("reports.urls")),
    path("secretariat/", include("dashboard.urls")),
    path("digests/", include("digests.urls")),
    path("initiatives/", include("initiatives.urls")),
    path("indicators/", include("indicators.urls")),
    path("meetings/", include("meetings.urls")),
    path("practices/", include("practices.urls")),
    path("public/", include("transparency.urls")),
    path("sitemap.xml", public_sitemap, name="sitemap"),
    # Browsers ask for /favicon.ico whatever the page says; the icon is an SVG among the static files.
    path("favicon.ico", favicon),
    path("admin/", admin.site.urls),
    # The header's language switcher (accounts/views.py), under the name Django gives its own.
    path("i18n/setlang/", account_views.language_set, name="set_language"),
    path("", include("ops.urls")),
]
