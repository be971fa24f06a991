"""A digest is built once for everyone who gets the same one; each still gets their own name and links."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import DeliveryStatus
from cities.models import Role
from cities.services import membership_grant
from cities.tests.factories import UserFactory
from digests import selectors, services
from notifications.models import OutboxMessage

from .helpers import mayors_with_points


def test_two_mayors_of_a_city_share_one_build_but_not_their_names_or_links(plan, cities, secretariat):
    network = mayors_with_points(plan, count=3)
    first, _point = next(iter(network.values()))
    city = first.memberships.get().city
    second = UserFactory(username="deputy", first_name="<b>Deputy</b>", last_name="Mayor")
    membership_grant(user=second, role=Role.MAYOR, city=city)

    with CaptureQueriesContext(connection) as two_of_one_city:
        services.digests_fan_out(only_email=None, queue=False)
    one, two = (OutboxMessage.objects.get(recipient=person) for person in (first, second))
    single = UserFactory(username="single")
    OutboxMessage.objects.all().delete()
    with CaptureQueriesContext(connection) as one_each:
        services.digests_fan_out(queue=False)

    # Three cities, four people: as many queries as for three cities with one person each, plus the
    # second person's writes and roles.
    assert len(two_of_one_city) - len(one_each) <= 3
    assert f"Dear {first.get_full_name()}," in one.body_text and f"Dear {first.get_full_name()}," in one.body_html
    assert "Dear <b>Deputy</b> Mayor," in two.body_text
    assert "Dear &lt;b&gt;Deputy&lt;/b&gt; Mayor," in two.body_html and "<b>Deputy" not in two.body_html
    assert services.preferences_url(first) in one.body_text and services.preferences_url(second) in two.body_text
    assert services.preferences_url(first) not in two.body_text
    assert services.unsubscribe_url(second) in two.headers["List-Unsubscribe"]
    # Up to the signature line "--" (a signed link after it may itself hold "--").
    body = lambda message: message.body_text.split("Dear", 1)[1].split("\n", 1)[1].rsplit("\n--\n", 1)[0]  # noqa: E731
    assert body(one) == body(two)
    del single


def test_a_change_after_the_windows_end_waits_for_the_next_digest(plan, cities):
    network = mayors_with_points(plan, count=1)
    (mayor, point), = network.values()
    until = timezone.now()

    def changes(since, until):
        digest = selectors.digest_build(recipient=mayor, since=since, until=until)
        return [(line.old, line.new) for line in digest.happened if line.kind == "status"]

    before = changes(until - timedelta(days=31), until)
    old_status = point.get_status_display()
    point.status = DeliveryStatus.DELAYED if point.status != DeliveryStatus.DELAYED else DeliveryStatus.ON_TRACK
    point.save()  # after `until`: e.g. while the run writes the digests
    assert changes(until - timedelta(days=31), until) == before  # told as at the window's end
    assert changes(until, timezone.now()) == [(old_status, point.get_status_display())]  # the next one tells it


def test_a_run_ends_every_window_at_its_own_moment(plan, cities):
    mayors_with_points(plan, count=3)
    moment = timezone.now()
    messages = [p.message for p in services.digests_fan_out(now=moment, queue=False)]
    assert len(messages) == 3 and {m.window_end for m in messages} == {moment}


def test_the_next_digest_starts_where_the_last_one_sent_ended(plan, cities):
    (mayor, _point), = mayors_with_points(plan, count=1).values()
    november = timezone.make_aware(timezone.datetime(2026, 11, 2, 8))
    december = timezone.make_aware(timezone.datetime(2026, 12, 7, 8))
    [first] = [p.message for p in services.digests_fan_out(now=november, queue=False)]
    OutboxMessage.objects.filter(pk=first.pk).update(status="sent", sent_at=november)

    [second] = [p.message for p in services.digests_fan_out(now=december, queue=False)]

    assert (second.window_start, second.window_end) == (november, december)
