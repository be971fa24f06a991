"""Digest content, the engine's bookkeeping, pages, signed links and the command (no broker needed)."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from actions.models import ActionPoint, DeliveryStatus
from cities.models import Role
from cities.services import membership_grant
from cities.tests.factories import UserFactory
from digests import selectors, services
from digests.models import DigestSubscription, Frequency, ReminderItem
from notifications.models import OutboxMessage
from reports.models import ProgressReport, WorkflowState

from .factories import DigestSubscriptionFactory
from .helpers import approved_report, due_periods, mayors_with_points


@pytest.fixture
def network(plan, cities):
    return mayors_with_points(plan)


def test_it_tells_a_mayor_what_needs_them_what_changed_and_how_their_city_stands(network, plan, secretariat):
    riga = next(city for city in network if city.slug == "riga")
    mayor, point = network[riga]
    periods = due_periods(plan)
    approved_report(point=point, city=riga, period=periods["Past 2"], reviewer=secretariat, summary="Data shared.")

    digest = selectors.digest_build(recipient=mayor, since=timezone.now() - timedelta(days=31))

    assert [city.name for city in digest.cities] == ["Riga"]
    # Needs you: the report Riga still owes for Past 1 (Past 2 is in), as a count with the oldest period.
    overdue = next(item for item in digest.attention if item.kind == "overdue")
    assert (overdue.count, overdue.period, overdue.url) == (1, periods["Past 1"], f"/cities/riga/?period={periods['Past 1'].pk}")
    assert len(digest.attention) <= 3
    # What changed: the point's overall status, and the approval.
    kinds = {line.kind: line for line in digest.happened}
    assert kinds["status"].point_number == point.number and kinds["status"].new == point.get_status_display()
    assert kinds["approved"].excerpt == "Data shared." and kinds["approved"].period == periods["Past 2"]
    # How Riga stands: one point, coordinated; the latest period past its due date, whose report is in.
    [standing] = digest.standings
    assert (standing.points, standing.coordinates, standing.period) == (1, 1, periods["Past 2"])
    assert (standing.approved, standing.missing, standing.overdue) == (1, 0, False)


def test_it_names_a_delegate_whose_city_missed_two_deadlines_running(network, plan, cities):
    due_periods(plan)  # and no reports at all: every city missed Past 1 and Past 2
    riga = cities["riga"]
    delegate = UserFactory(username="late-delegate", first_name="Late")
    membership_grant(user=delegate, role=Role.DELEGATE, city=riga)

    digest = selectors.digest_build(recipient=network[riga][0], since=timezone.now() - timedelta(days=31))

    late = [item for item in digest.attention if item.kind == "late_delegate"]
    assert [(item.city, item.people) for item in late] == [(riga, [str(delegate)])]


def test_without_changes_the_mayors_workspace_gets_the_same_attention_and_standing_in_fewer_queries(
        network, plan, secretariat):
    """The workspace shows what needs the Mayor and how the city stands; what changed is the email's."""
    riga = next(city for city in network if city.slug == "riga")
    mayor, point = network[riga]
    periods = due_periods(plan)
    approved_report(point=point, city=riga, period=periods["Past 2"], reviewer=secretariat, summary="Data shared.")
    since, until = timezone.now() - timedelta(days=31), timezone.now()
    network_read = selectors.network_at(since=since, until=until)

    def build(**options):
        with CaptureQueriesContext(connection) as queries:
            digest = selectors.digest_build(recipient=mayor, since=since, until=until, network=network_read, **options)
        return digest, len(queries)

    (full, full_queries), (short, short_queries) = build(), build(changes=False)
    assert full.happened and short.happened == []
    assert short.attention == full.attention and short.standings == full.standings
    assert short_queries < full_queries


def test_a_digest_is_one_screen_however_much_happened(plan, cities, secretariat):
    network = mayors_with_points(plan, count=1)
    (mayor, _point), = network.values()
    riga = mayor.memberships.get().city
    periods = due_periods(plan)
    for point in ActionPoint.objects.filter(focus_area__plan=plan)[:14]:
        point.coordinating_city = riga
        point.status = DeliveryStatus.DELAYED
        point.save()
        approved_report(point=point, city=riga, period=periods["Past 2"], reviewer=secretariat)

    digest = selectors.digest_build(recipient=mayor, since=timezone.now() - timedelta(days=31))
    rendered = services.digest_preview(recipient=mayor).message

    assert len(digest.attention) <= 3 and len(digest.happened) == 8 and digest.more_happened > 10
    assert "And " in rendered.body_text and "more changes." in rendered.body_text
    assert len(rendered.body_text.splitlines()) < 60


def test_it_builds_a_digest_with_the_same_number_of_queries_whatever_the_data(plan, cities, secretariat):
    def build():
        mayor = type(network[riga][0]).objects.get(pk=network[riga][0].pk)
        with CaptureQueriesContext(connection) as queries:
            selectors.digest_build(recipient=mayor, since=timezone.now() - timedelta(days=31))
        return len(queries)

    network = mayors_with_points(plan, count=2)
    riga = next(iter(network))
    periods = due_periods(plan)
    small = build()

    # Many more points, partners and reports for the same mayor.
    for point in ActionPoint.objects.filter(focus_area__plan=plan)[:30]:
        point.coordinating_city = riga
        point.status = DeliveryStatus.AT_RISK
        point.save()
        point.partner_cities.add(cities["tallinn"], cities["oslo"])
        for period in periods.values():
            approved_report(point=point, city=riga, period=period, reviewer=secretariat)
            ProgressReport.objects.get_or_create(action_point=point, city=cities["tallinn"], period=period)
    large = build()

    assert small == large


def test_subscribers_are_mayors_by_default_and_whoever_chose_a_frequency(network, alice, bob):
    riga_mayor = next(mayor for city, (mayor, _) in network.items() if city.slug == "riga")
    DigestSubscriptionFactory(user=riga_mayor, frequency=Frequency.NONE)
    DigestSubscriptionFactory(user=alice, frequency=Frequency.QUARTERLY)

    people = {user: user.digest_frequency for user in selectors.subscribers()}

    assert riga_mayor not in people and bob not in people
    assert people[alice] == Frequency.QUARTERLY
    assert len(people) == 10


def test_fan_out_creates_one_delivery_per_person_and_period_however_often_it_runs(
    network, django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks() as callbacks:
        first = services.digests_fan_out(queue=False)
        second = services.digests_fan_out(queue=False)

    assert len(first) == 10 and all(p.created for p in first)
    assert not any(p.created for p in second)
    assert OutboxMessage.objects.filter(kind="digest").count() == 10
    assert callbacks == []


def test_period_keys_follow_the_frequency():
    when = timezone.make_aware(timezone.datetime(2026, 11, 2, 8, 0))
    assert services.period_key(frequency=Frequency.MONTHLY, when=when) == "2026-11"
    assert services.period_key(frequency=Frequency.QUARTERLY, when=when) == "2026-Q4"


# Signed links ------------------------------------------------------------------------------------


def test_it_changes_the_frequency_through_the_signed_link_without_login(network, client):
    mayor = next(iter(network.values()))[0]
    url = reverse("digests:preferences", args=[services.preferences_token(user=mayor)])

    page = client.get(url)
    response = client.post(url, {"frequency": Frequency.QUARTERLY})

    assert page.status_code == 200
    assert response.status_code == 302
    assert DigestSubscription.objects.get(user=mayor).frequency == Frequency.QUARTERLY
    assert [u.digest_frequency for u in selectors.subscribers(only_email=mayor.email)] == [Frequency.QUARTERLY]


def test_it_refuses_a_forged_link(network, client):
    mayor, other = [pair[0] for pair in list(network.values())[:2]]
    token = services.preferences_token(user=mayor)
    forged = token.replace(token.split(":")[0], services.preferences_token(user=other).split(":")[0])

    for url in (reverse("digests:preferences", args=[forged]), reverse("digests:unsubscribe", args=[forged]),
                reverse("digests:preferences", args=["not-a-token"])):
        assert client.post(url, {"frequency": Frequency.NONE}).status_code == 400
    assert not DigestSubscription.objects.exists()


def test_one_click_unsubscribe_needs_no_csrf_token(network):
    from django.test import Client

    mayor = next(iter(network.values()))[0]
    client = Client(enforce_csrf_checks=True)
    url = reverse("digests:unsubscribe", args=[services.preferences_token(user=mayor)])

    response = client.post(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert DigestSubscription.objects.get(user=mayor).frequency == Frequency.NONE


# Secretariat pages --------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["digests:deliveries", "digests:preview"])
def test_only_the_secretariat_sees_the_pages(name, client_for, mayor, alice, secretariat):
    url = reverse(name)
    assert client_for(None).get(url).status_code == 302
    assert client_for(mayor).get(url).status_code == 403
    assert client_for(alice).get(url).status_code == 403
    assert client_for(secretariat).get(url).status_code == 200
    assert client_for(mayor).post(reverse("digests:send_now")).status_code == 403


def test_the_deliveries_page_runs_the_same_queries_for_few_and_many(network, client_for, secretariat):
    client = client_for(secretariat)
    services.digests_fan_out(queue=False)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("digests:deliveries")).status_code == 200
    for user in [mayor for mayor, _ in network.values()]:
        services.digests_fan_out(only_email=user.email, period="2025-01", queue=False)
        services.digests_fan_out(only_email=user.email, period="2025-02", queue=False)
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("digests:deliveries"), {"status": "pending"})
    assert len(few) == len(many)
    assert page.context["page"].paginator.count == 30


def test_send_now_hands_the_run_to_a_worker_and_the_run_writes_each_digest_once(
    network, client_for, secretariat, monkeypatch,
):
    from digests import tasks

    runs = []
    monkeypatch.setattr(tasks.fan_out_digests, "delay", lambda: runs.append(tasks.fan_out_digests()))
    client = client_for(secretariat)
    response = client.post(reverse("digests:send_now"), follow=True)
    client.post(reverse("digests:send_now"))

    assert runs == [10, 0]  # the second click finds everybody's digest written
    assert "on their way to the 10 people due" in response.content.decode()
    assert OutboxMessage.objects.filter(kind="digest").count() == 10


def test_send_now_runs_in_the_request_when_the_broker_is_down(network, client_for, secretariat, use_broker):
    use_broker("redis://127.0.0.1:1/0")
    assert client_for(secretariat).post(reverse("digests:send_now")).status_code == 302
    assert OutboxMessage.objects.filter(kind="digest").count() == 10


def test_the_preview_shows_the_next_digest(network, client_for, secretariat):
    mayor, point = next(iter(network.values()))
    client = client_for(secretariat)

    page = client.get(reverse("digests:preview"), {"recipient": mayor.pk}, follow=True)
    html = client.get(reverse("digests:preview_html", args=[mayor.pk]))

    assert page.status_code == 200 and html.status_code == 200
    assert page.redirect_chain == [(reverse("digests:preview_recipient", args=[mayor.pk]), 302)]
    assert point.number in page.context["preview"].message.body_text
    assert "sandbox" in html["Content-Security-Policy"]
    assert b"style=" in html.content
    assert not OutboxMessage.objects.exists()  # a preview sends nothing


# Reminders ---------------------------------------------------------------------------------------


@pytest.fixture
def reminder_setup(plan, cities, alice):
    periods = due_periods(plan)
    point = ActionPoint.objects.filter(focus_area__plan=plan).order_by("focus_area__number", "sequence").first()
    point.coordinating_city = cities["riga"]
    point.save()
    other = ActionPoint.objects.filter(focus_area__plan=plan).order_by("focus_area__number", "sequence")[1]
    other.partner_cities.add(cities["riga"])
    return periods, point, other


def test_reminders_list_every_item_in_one_email_a_day(reminder_setup, alice):
    periods, point, other = reminder_setup
    due = periods["Now"].due_date

    first = services.reminders_fan_out(today=due - timedelta(days=3), queue=False)
    again = services.reminders_fan_out(today=due - timedelta(days=3), queue=False)
    next_day = services.reminders_fan_out(today=due - timedelta(days=2), queue=False)

    assert [d.recipient for d in first] == [alice]
    assert again == [] and next_day == []
    items = ReminderItem.objects.filter(message=first[0], period=periods["Now"])
    assert {(i.action_point, i.stage) for i in items} == {(point, "due_soon"), (other, "due_soon")}


def test_overdue_reminders_come_at_1_7_and_30_days(reminder_setup, alice):
    periods, point, _ = reminder_setup
    due = periods["Now"].due_date
    stages = []
    for days in range(0, 40):
        for delivery in services.reminders_fan_out(today=due + timedelta(days=days), queue=False):
            items = delivery.reminder_items.filter(action_point=point, period=periods["Now"])
            stages += [(days, item.stage) for item in items]
    assert stages == [(0, "due_soon"), (1, "overdue_1"), (7, "overdue_7"), (30, "overdue_30")]


def test_a_submitted_report_stops_the_reminders(reminder_setup, alice):
    periods, point, other = reminder_setup
    for label in ("Past 1", "Past 2"):
        periods[label].is_closed = True
        periods[label].save()
    now = timezone.now()
    for p in (point, other):
        ProgressReport.objects.create(action_point=p, city=alice.memberships.get().city, period=periods["Now"],
                                      state=WorkflowState.SUBMITTED, submitted_at=now, summary="In.")
    assert services.reminders_fan_out(today=periods["Now"].due_date + timedelta(days=1), queue=False) == []


# The command -------------------------------------------------------------------------------------


def test_the_command_dry_run_changes_nothing(network):
    out = StringIO()
    call_command("send_digests", "--dry-run", stdout=out)
    assert "10 digest(s) would be sent" in out.getvalue()
    assert not OutboxMessage.objects.exists()


def test_the_command_sends_one_person_and_resends_a_period_on_purpose(network, mailoutbox):
    mayor = next(iter(network.values()))[0]
    out = StringIO()
    call_command("send_digests", "--only", mayor.email, stdout=out)
    call_command("send_digests", "--only", mayor.email, stdout=out)
    key = services.period_key(frequency=Frequency.MONTHLY)
    call_command("send_digests", "--only", mayor.email, "--period", key, stdout=out)

    assert [m.to for m in mailoutbox] == [[mayor.email], [mayor.email]]
    assert sorted(OutboxMessage.objects.filter(recipient=mayor).values_list("key", "status")) == [
        (f"digest:{key}:u{mayor.pk}", "sent"), (f"digest:{key}:u{mayor.pk}:copy1", "sent")]
    assert "already sent" in out.getvalue()


def test_the_deliveries_page_lists_what_each_reminder_said(reminder_setup, alice, client_for, secretariat):
    periods, point, _ = reminder_setup
    services.reminders_fan_out(today=periods["Now"].due_date - timedelta(days=2), queue=False)

    page = client_for(secretariat).get(reverse("digests:deliveries"), {"kind": "reminder"})

    assert page.status_code == 200
    assert f"{point.number} · Riga · Now – Due within 7 days" in page.content.decode()


def test_approved_initiatives_of_the_city_are_in_the_digest(network, plan, cities):
    from initiatives.models import Initiative, InitiativeState

    riga = cities["riga"]
    mayor = network[riga][0]
    initiative = Initiative.objects.create(
        plan=plan, title="Joint cluster study", proposing_city=riga, state=InitiativeState.APPROVED,
        decided_at=timezone.now(),
    )
    initiative.involved_cities.set([riga, cities["tallinn"]])
    Initiative.objects.create(plan=plan, title="Still proposed", proposing_city=riga).involved_cities.set([riga])

    rendered = services.digest_preview(recipient=mayor).message

    assert "The initiative “Joint cluster study” was approved." in rendered.body_text
    assert "Still proposed" not in rendered.body_text
