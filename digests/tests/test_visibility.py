"""A Mayor's digest tells nothing the same Mayor could not open in the portal: the same rule decides both."""

import re
from datetime import timedelta

from django.utils import timezone

from digests import services
from reports.models import ProgressReport, WorkflowState

from .helpers import approved_report, due_periods, mayors_with_points


def test_a_mayors_digest_holds_nothing_the_mayor_gets_403_for(plan, cities, secretariat, client_for, settings):
    settings.SITE_URL = "http://testserver"
    network = mayors_with_points(plan)
    riga, tallinn = cities["riga"], cities["tallinn"]
    mayor, point = network[riga]
    point.partner_cities.add(tallinn)
    periods = due_periods(plan)
    # On Riga's point this month: Tallinn drafted one report and submitted another; one is approved.
    ProgressReport.objects.create(action_point=point, city=tallinn, period=periods["Now"], summary="Tallinn draft")
    ProgressReport.objects.create(action_point=point, city=tallinn, period=periods["Past 1"], summary="Sent",
                                  state=WorkflowState.SUBMITTED, submitted_at=timezone.now())
    visible = approved_report(point=point, city=tallinn, period=periods["Past 2"], reviewer=secretariat)

    rendered = services.digest_preview(recipient=mayor, now=timezone.now() + timedelta(seconds=1)).message

    text = rendered.body_text
    assert "1 report of a partner city on your action points was approved." in text  # seen on its pages too
    assert "Tallinn draft" not in text and "Sent" not in text  # its draft and submitted report: 403
    links = set(re.findall(r'href="http://testserver(/[^"]*)"', rendered.body_html))
    links |= set(re.findall(r"http://testserver(/\S*)", text))
    assert links, "the digest links to the portal"
    browser = client_for(mayor)
    refused = {link for link in links if browser.get(link).status_code == 403}
    assert refused == set()
    assert browser.get(f"/reports/{visible.pk}/").status_code == 200


def test_a_chair_who_is_also_a_mayor_shares_no_digest_with_the_citys_other_mayor(plan, cities, secretariat):
    from cities.models import Role
    from cities.services import membership_grant
    from cities.tests.factories import UserFactory
    from notifications.models import OutboxMessage

    network = mayors_with_points(plan)
    riga, tallinn = cities["riga"], cities["tallinn"]
    mayor, point = network[riga]
    point.partner_cities.add(tallinn)
    periods = due_periods(plan)
    chair = UserFactory(username="aaa-chair")  # built first, whatever the order
    membership_grant(user=chair, role=Role.MAYOR, city=riga)
    membership_grant(user=chair, role=Role.CHAIR)
    ProgressReport.objects.create(action_point=point, city=tallinn, period=periods["Now"], summary="Sent",
                                  state=WorkflowState.SUBMITTED, submitted_at=timezone.now())

    services.digests_fan_out(queue=False)

    chairs, mayors = (OutboxMessage.objects.get(recipient=person).body_text for person in (chair, mayor))
    assert "1 report waits for the Secretariat's review." in chairs  # the Chair sees the network's work
    assert "waits for the Secretariat's review" not in mayors
