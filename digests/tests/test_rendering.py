"""A digest is built once for everyone who gets the same one; each still gets their own name and link."""

from datetime import timedelta

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from actions.models import DeliveryStatus
from cities.models import Role
from cities.services import membership_grant
from cities.tests.factories import UserFactory
from digests import selectors, services

from .helpers import approved_report, due_periods, mayors_with_points


def _render(recipient, until):
    with CaptureQueriesContext(connection) as queries:
        rendered, links = services.digest_render(recipient=recipient, frequency="monthly",
                                                 since=until - timedelta(days=31), until=until, key="2026-11")
    return rendered, links, len(queries)


def test_two_mayors_of_a_city_share_one_build_but_not_their_names_or_links(plan, cities, secretariat):
    network = mayors_with_points(plan, count=3)
    riga = cities["riga"]
    first = network[riga][0] if riga in network else next(iter(network.values()))[0]
    city = first.memberships.get().city
    second = UserFactory(username="deputy", first_name="<b>Deputy</b>", last_name="Mayor")
    membership_grant(user=second, role=Role.MAYOR, city=city)
    until = timezone.now()

    one, one_links, built = _render(first, until)
    two, two_links, shared = _render(second, until)
    assert shared <= 2 < built  # the data version (and the second mayor's roles): no digest queries
    assert f"Dear {first.get_full_name()}," in one.text and f"Dear {first.get_full_name()}," in one.html
    assert "Dear <b>Deputy</b> Mayor," in two.text
    assert "Dear &lt;b&gt;Deputy&lt;/b&gt; Mayor," in two.html and "<b>Deputy" not in two.html
    assert one_links["preferences_url"] in one.text and two_links["preferences_url"] in two.text
    assert one_links["preferences_url"] not in two.text
    assert one.text.split("Dear", 1)[1].split("\n", 1)[1].rsplit("--", 1)[0] == \
        two.text.split("Dear", 1)[1].split("\n", 1)[1].rsplit("--", 1)[0]


def test_a_change_between_two_recipients_is_in_the_second_digest(plan, cities, secretariat):
    network = mayors_with_points(plan, count=2)
    (first, point), = [value for city, value in network.items()][:1]
    city = first.memberships.get().city
    second = UserFactory(username="deputy")
    membership_grant(user=second, role=Role.MAYOR, city=city)
    periods = due_periods(plan)
    until = timezone.now() + timedelta(minutes=1)
    one, _, _ = _render(first, until)
    assert "Reached the deadline." not in one.text
    approved_report(point=point, city=city, period=periods["Past 2"], reviewer=secretariat,
                    summary="Reached the deadline.")
    two, _, _ = _render(second, until)
    assert "Reached the deadline." in two.text


def test_a_change_after_the_windows_end_waits_for_the_next_digest(plan, cities):
    network = mayors_with_points(plan, count=1)
    (mayor, point), = network.values()
    until = timezone.now()
    before = selectors.digest_build(recipient=mayor, since=until - timedelta(days=31), until=until)
    status = before.points[0].point.get_status_display()
    point.status = DeliveryStatus.DELAYED if point.status != DeliveryStatus.DELAYED else DeliveryStatus.ON_TRACK
    point.save()  # after `until`: e.g. while a retry of this digest waits
    again = selectors.digest_build(recipient=mayor, since=until - timedelta(days=31), until=until)
    assert again.points[0].point.get_status_display() == status
    later = selectors.digest_build(recipient=mayor, since=until, until=timezone.now())
    assert later.points[0].point.get_status_display() != status


def test_a_run_ends_every_window_at_its_own_moment(plan, cities):
    mayors_with_points(plan, count=3)
    moment = timezone.now()
    deliveries = [p.delivery for p in services.digests_fan_out(now=moment, queue=False)]
    assert len(deliveries) == 3 and {d.window_end for d in deliveries} == {moment}
