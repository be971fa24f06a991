"""Every kind of email the portal sends, each written once into the outbox, through the services and pages
that send them — for tests of what people receive (the language, the time zone, marked strings).

Riga (alice) coordinates 1.3 with Tallinn (bob) as partner; the Secretariat (sara) reviews; Riga's mayor
(maris) gets the digest."""

from datetime import timedelta
from decimal import Decimal

from django.test import Client
from django.urls import reverse

from actions.models import ActionPlan
from notifications.models import Kind, OutboxMessage
from reports.models import ProgressReport

INVITED = "new.delegate@example.org"


def send_every_kind(*, plan, assigned, periods, cities, alice, bob, mayor, secretariat,
                    language: str, time_zone: str = "Europe/Stockholm",
                    digest_at=None) -> dict[str, list[OutboxMessage]]:
    """{kind: its messages}, every recipient (and the invited person) reading `language` in `time_zone`;
    the digest run at `digest_at` (now by default)."""
    from accounts.services import invitation_send
    from digests import services as digests
    from initiatives.services import initiative_answer, initiative_remind
    from initiatives.tests.factories import propose
    from practices import services as practices
    from reports import services as reports
    from testing.twofactor import authenticator_for
    from twofactor.services import two_factor_reset

    for person in (alice, bob, mayor, secretariat):
        person.language, person.time_zone = language, time_zone
        person.save()
    first, second = periods["2011 H1"], periods["2011 H2"]

    # One-step review of Riga's report: submitted, returned, submitted again, approved.
    report = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"], period=first,
                                           summary="Riga mapped its start-ups.")
    report = reports.report_submit(report=report, version=report.version, user=alice)
    report = reports.report_return(report=report, reviewer=secretariat, comment="Add the sources.")
    report = reports.report_submit(report=report, version=report.version, user=alice)
    reports.report_approve(report=report, reviewer=secretariat)

    # Two-step review: Tallinn's report on 1.3 goes to Riga, the coordinating city, which accepts it.
    reports.plan_review_mode_set(plan=plan, mode=ActionPlan.ReviewMode.TWO_STEP, user=secretariat)
    partner = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["tallinn"], period=second,
                                            summary="Tallinn counted its incubators.")
    partner = reports.report_submit(report=partner, version=partner.version, user=bob)
    reports.report_accept(report=partner, coordinator=alice)
    reports.plan_review_mode_set(plan=plan, mode=ActionPlan.ReviewMode.ONE_STEP, user=secretariat)

    # An initiative: Tallinn is asked, reminded, agrees; everybody involved hears the outcome.
    fair = propose(user=alice, plan=plan, point=assigned["1.3"],
                   costs={cities["riga"]: Decimal(1000), cities["tallinn"]: Decimal(500)})
    initiative_remind(initiative=fair, user=secretariat)
    fair.refresh_from_db()
    initiative_answer(initiative=fair, city=cities["tallinn"], user=bob, approve=True, version=fair.version)

    # Account emails: an invitation, a password reset link (asked for on the page), a two-factor reset.
    invitation_send(email=INVITED, role="delegate", city=cities["riga"], invited_by=secretariat, language=language)
    Client().post(reverse("password_reset"), {"email": alice.email})
    authenticator_for(alice)
    two_factor_reset(person=alice, by=secretariat)

    # A question about a practice, the mayor's digest and a delegate's reminder of a report due soon.
    practice = practices.practice_create(user=alice, city=cities["riga"], data={
        "title": "Bicycle lanes in winter", "description": "Snow cleared first on cycle lanes.", "contact": alice})
    practices.contact_request_send(practice=practice, user=bob, message="How do you clear the lanes?")
    digests.digests_fan_out(only_email=mayor.email, now=digest_at, queue=False)
    digests.reminders_fan_out(today=second.due_date - timedelta(days=3), queue=False)

    sent = {kind: list(OutboxMessage.objects.filter(kind=kind).order_by("pk")) for kind in Kind.values}
    missing = [kind for kind, messages in sent.items() if not messages]
    assert not missing, f"no email of these kinds was written: {missing}"
    return sent

