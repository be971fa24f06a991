"""sitemap.xml: the public pages only, addressed on SITE_URL."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from baltmet.links import link

from . import selectors


class _OnSiteUrl(Sitemap):
    @property
    def protocol(self):
        return urlsplit(settings.SITE_URL).scheme or "https"

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc + urlsplit(settings.SITE_URL).path.rstrip("/")


class PagesSitemap(_OnSiteUrl):
    changefreq = "weekly"

    def items(self):
        return ["public:home", "public:indicators", "public:data"]

    def location(self, name):
        return reverse(name)


class PlansSitemap(_OnSiteUrl):
    changefreq = "weekly"

    def items(self):
        return list(selectors.public_plans().values_list("pk", flat=True))

    def location(self, pk):
        return link("public:plan", pk)


class ActionPointsSitemap(_OnSiteUrl):
    changefreq = "weekly"

    def items(self):
        return list(selectors.public_points().order_by("pk").values_list("pk", flat=True))

    def location(self, pk):
        return link("public:action_point", pk)


class IndicatorsSitemap(_OnSiteUrl):
    changefreq = "monthly"

    def items(self):
        return list(selectors.public_indicators().order_by("pk").values_list("pk", flat=True))

    def location(self, pk):
        return link("public:indicator", pk)


SITEMAPS = {"pages": PagesSitemap, "plans": PlansSitemap, "action-points": ActionPointsSitemap,
            "indicators": IndicatorsSitemap}
