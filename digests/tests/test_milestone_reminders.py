"""Overdue milestones in the reminder emails: each delegate hears of their own city's (its own, and those of
the points it coordinates), and nobody of other cities' milestones."""

from datetime import timedelta

import pytest
from django.utils import timezone

from actions import milestones
from cities.models import Role
from cities.services import membership_grant
from cities.tests.factories import UserFactory
from digests import services
from notifications.models import OutboxMessage

from .helpers import due_periods

TODAY = timezone.localdate()


@pytest.fixture
def late(assigned, cities, alice, bob, secretariat):
    """1.3 (Riga coordinates): Riga's step a day late. 2.1 (Tallinn coordinates): Tallinn's step a week late.
    Neither reminds of a milestone not yet due or done."""
    def add(point, title, city, days_late):
        return milestones.milestone_add(point=point, title=title, due_date=TODAY - timedelta(days=days_late),
                                        responsible_city=city, user=secretariat)

    riga = add(assigned["1.3"], "Riga's survey", cities["riga"], 1)
    tallinn = add(assigned["2.1"], "Tallinn's workshop", cities["tallinn"], 7)
    add(assigned["1.3"], "Not due yet", cities["tallinn"], -5)
    done = add(assigned["2.1"], "Done already", cities["riga"], 7)
    milestones.milestone_mark(milestone=done, version=1, done=True, done_on=TODAY, user=secretariat)
    return riga, tallinn


def _by_recipient(messages):
    return {message.recipient.username: message for message in messages}


def test_the_morning_reminder_tells_each_city_of_its_overdue_milestones_only(late, cities):
    outsider = UserFactory(username="vilnius.delegate")
    membership_grant(user=outsider, role=Role.DELEGATE, city=cities["vilnius"])

    sent = _by_recipient(services.reminders_fan_out(today=TODAY, queue=False))

    assert set(sent) == {"alice", "bob"}  # the outsider's city has no milestone late
    alice, bob = sent["alice"], sent["bob"]
    for body in (alice.body_text, alice.body_html):
        assert "survey" in body
        assert "workshop" not in body and "Not due yet" not in body and "Done already" not in body
    for body in (bob.body_text, bob.body_html):
        assert "workshop" in body
        assert "survey" not in body and "Not due yet" not in body and "Done already" not in body
    assert alice.subject == "BaltMet: 1 milestone is overdue"
    assert "1.3" in alice.body_text and "#milestones" in alice.body_text
    assert services.reminders_fan_out(today=TODAY, queue=False) == []  # once a day


def test_a_milestone_late_on_another_day_waits_for_a_report_reminder(late, cities):
    """Day 2 of Riga's lateness: no email for the milestone alone."""
    assert services.reminders_fan_out(today=TODAY + timedelta(days=1), queue=False) == []


def test_the_coordinator_hears_of_a_partners_late_milestone_and_the_partner_too(assigned, cities, alice, bob,
                                                                                 secretariat):
    milestones.milestone_add(point=assigned["1.3"], title="Tallinn's survey", due_date=TODAY - timedelta(days=1),
                             responsible_city=cities["tallinn"], user=secretariat)

    sent = _by_recipient(services.reminders_fan_out(today=TODAY, queue=False))

    assert set(sent) == {"alice", "bob"}
    assert "Tallinn's survey" in sent["alice"].body_text and "Tallinn's survey" in sent["bob"].body_text


def test_a_report_reminder_lists_the_overdue_milestones_too(late, plan, alice, bob, secretariat):
    periods = due_periods(plan)
    for label in ("Past 1", "Past 2"):
        periods[label].is_closed = True
        periods[label].save()

    result = services.reminders_request(period=periods["Now"], user=secretariat,
                                        city_ids=[alice.memberships.get().city_id])

    assert result.sent == 1
    [message] = OutboxMessage.objects.filter(recipient=alice)
    assert "reports need your attention" in message.subject
    assert "Riga's survey" in message.body_text and "workshop" not in message.body_text
    assert "survey" in message.body_html
