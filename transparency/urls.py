from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.urls import path

from . import feeds, views
from .caching import public_page
from .sitemaps import SITEMAPS

app_name = "public"
urlpatterns = [
    path("", views.home, name="home"),
    path("plans/<int:plan_id>/", views.plan, name="plan"),
    path("action-points/<int:point_id>/", views.action_point, name="action_point"),
    path("practices/", views.practice_list, name="practices"),
    path("practices/<int:practice_id>/", views.practice, name="practice"),
    path("indicators/", views.indicator_list, name="indicators"),
    path("indicators/<int:indicator_id>/", views.indicator, name="indicator"),
    path("feed.atom", public_page(feeds.feed), name="feed"),
    path("data/", views.data, name="data"),
] + [
    path(f"data/{slug}.{fmt}", view, name=f"data_{slug.replace('-', '_')}_{fmt}")
    for (slug, fmt), view in views.DOWNLOADS.items()
]


@public_page
def sitemap(request):
    return sitemap_view(request, sitemaps=SITEMAPS)
