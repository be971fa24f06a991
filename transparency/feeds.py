"""An Atom feed of newly published progress: the 50 reports published last."""

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from baltmet.links import link

from . import opendata, selectors

ITEMS = 50


class PublishedProgressFeed(Feed):
    feed_type = Atom1Feed

    def title(self):
        return _("Baltic Metropolises Network: newly published progress")

    def subtitle(self):
        return _("Progress on the joint action plan's points, as the Secretariat publishes it.")

    def link(self):
        return opendata.absolute(link_home())

    def feed_url(self):
        return opendata.absolute(link_feed())

    def feed_copyright(self):
        return f"{opendata.ATTRIBUTION}, {opendata.LICENCE} ({opendata.LICENCE_URL})"

    def author_name(self):
        return opendata.ATTRIBUTION

    def items(self):
        return list(selectors.published_progress().order_by("-published_at", "-pk")[:ITEMS])

    def item_title(self, report):
        return _("%(city)s on action point %(number)s, %(period)s") % {
            "city": report.city.name, "number": report.action_point.number, "period": report.period.label}

    def item_description(self, report):
        return report.summary

    def item_link(self, report):
        return opendata.absolute(link("public:action_point", report.action_point_id)) + f"#report-{report.pk}"

    def item_guid(self, report):
        return opendata.absolute(f"/public/progress/{report.pk}")

    def item_pubdate(self, report):
        return report.published_at

    def item_updateddate(self, report):
        return report.published_at

    def item_author_name(self, report):
        return report.city.name


def link_home():
    from django.urls import reverse

    return reverse("public:home")


def link_feed():
    from django.urls import reverse

    return reverse("public:feed")


feed = PublishedProgressFeed()
