"""The Secretariat's preview before a run: who the run reaches and who it cannot, each person's exact
email, nothing written by looking, and the same email delivered by the run afterwards."""

import pytest
from django.urls import reverse

from cities.models import Role
from cities.services import membership_grant
from cities.tests.factories import UserFactory
from digests import services
from digests.models import DigestSubscription, Frequency, ReminderItem
from notifications.models import OutboxMessage
from notifications.services import outbox_send
from testing.queries import assert_constant_queries, count_queries

from .factories import DigestSubscriptionFactory
from .helpers import mayors_with_points


def _mayor(network, slug):
    return next(mayor for city, (mayor, _point) in network.items() if city.slug == slug)


@pytest.fixture
def network(plan, cities):
    """Mayors for the first eight member cities by name: Vilnius and Warsaw have none."""
    return mayors_with_points(plan, count=8)


def _delivery_tables():
    return {model.__name__: model.objects.count() for model in (
        OutboxMessage, ReminderItem, DigestSubscription, ReminderItem.history.model, DigestSubscription.history.model)}


def test_it_lists_who_the_run_reaches_and_says_who_it_cannot(network, client_for, secretariat, alice, cities):
    no_address, opted_out, had_it = _mayor(network, "berlin"), _mayor(network, "helsinki"), _mayor(network, "oslo")
    no_address.email = ""
    no_address.save()
    DigestSubscriptionFactory(user=opted_out, frequency=Frequency.NONE)
    services.digests_fan_out(only_email=had_it.email, queue=False)
    DigestSubscriptionFactory(user=alice, frequency=Frequency.QUARTERLY)
    nobody_to_write_to = UserFactory(username="no-mail", first_name="Nomail", email="")
    DigestSubscriptionFactory(user=nobody_to_write_to, frequency=Frequency.MONTHLY)

    page = client_for(secretariat).get(reverse("digests:preview"))

    assert page.status_code == 200
    run = page.context["run"]
    assert {entry.recipient for entry in run.to_write} == (
        {mayor for mayor, _ in network.values()} - {no_address, opted_out, had_it}) | {alice}
    assert [entry.recipient for entry in run.already_have] == [had_it]
    html = page.content.decode()
    riga_mayor = _mayor(network, "riga")
    assert reverse("digests:preview_recipient", args=[riga_mayor.pk]) in html
    assert f"Preview the email to {riga_mayor}" in html
    assert "The run would send 6 digests" in html  # 8 Mayors less 3, and Alice
    assert "<strong>Vilnius</strong>:\n  the city has no Mayor in the portal" in html
    assert "<strong>Warsaw</strong>:\n  the city has no Mayor in the portal" in html
    assert f"its Mayor {no_address} has no email address" in html
    assert f"its Mayor {opted_out} chose no digest" in html
    assert "Oslo</strong>" not in html  # its Mayor already has this period's digest: reached
    assert str(nobody_to_write_to) in html
    assert reverse("digests:preview") in client_for(secretariat).get(reverse("digests:deliveries")).content.decode()


def test_a_preview_sends_queues_and_records_nothing(network, client_for, secretariat, mailoutbox,
                                                    django_capture_on_commit_callbacks):
    client = client_for(secretariat)
    mayor = _mayor(network, "riga")
    before = _delivery_tables()

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        pages = [client.get(reverse("digests:preview")),
                 client.get(reverse("digests:preview_recipient", args=[mayor.pk])),
                 client.get(reverse("digests:preview_html", args=[mayor.pk]))]

    assert [page.status_code for page in pages] == [200, 200, 200]
    assert _delivery_tables() == before
    assert callbacks == [] and mailoutbox == []


def test_the_previewed_email_is_the_one_the_run_delivers(network, client_for, secretariat, smtp_server, use_broker):
    mayor = _mayor(network, "riga")
    mayor.language, mayor.time_zone = "de", "Asia/Tokyo"
    mayor.save()
    client = client_for(secretariat)

    page = client.get(reverse("digests:preview_recipient", args=[mayor.pk]))
    frame = client.get(reverse("digests:preview_html", args=[mayor.pk]))
    previewed = page.context["preview"].message
    shown = page.content.decode()
    assert previewed.subject in shown and " Dezember 2026" in previewed.body_text  # in German
    assert "sandbox" in frame["Content-Security-Policy"] and b"style=" in frame.content

    use_broker("redis://127.0.0.1:1/0")  # the button's run then happens in the request: no worker needed
    assert client.post(reverse("digests:send_now")).status_code == 302
    written = OutboxMessage.objects.get(recipient=mayor, kind="digest")
    assert outbox_send(message_id=written.pk).outcome == "sent"

    [delivered] = [m for m in smtp_server.received() if m["To"] == mayor.email]
    assert delivered["Subject"] == previewed.subject
    assert delivered.get_body(preferencelist=("plain",)).get_content().splitlines() == previewed.body_text.splitlines()
    assert delivered.get_body(preferencelist=("html",)).get_content().splitlines() == \
        frame.content.decode().splitlines()
    assert str(delivered["List-Unsubscribe"]).strip() == previewed.headers["List-Unsubscribe"]
    assert (written.key, written.to) == (previewed.key, previewed.to)


def test_the_page_of_someone_the_run_does_not_write_to_says_why(network, client_for, secretariat, alice):
    client = client_for(secretariat)
    had_it = _mayor(network, "riga")
    services.digests_fan_out(only_email=had_it.email, queue=False)

    not_subscribed = client.get(reverse("digests:preview_recipient", args=[alice.pk]))
    already = client.get(reverse("digests:preview_recipient", args=[had_it.pk]))

    assert not_subscribed.status_code == 200
    assert f"The run sends {alice} no digest" in not_subscribed.content.decode()
    assert already.status_code == 200
    assert "already has the digest for" in already.content.decode()
    for person in (alice, had_it):
        assert client.get(reverse("digests:preview_html", args=[person.pk])).status_code == 404
    assert client.get(reverse("digests:preview_recipient", args=[987654])).status_code == 404


def test_only_the_secretariat_previews_a_run(network, client_for, chair, mayor, alice):
    riga_mayor = _mayor(network, "riga")
    urls = [reverse("digests:preview"), reverse("digests:preview_recipient", args=[riga_mayor.pk]),
            reverse("digests:preview_html", args=[riga_mayor.pk])]
    for person in (chair, mayor, alice, riga_mayor):
        assert {client_for(person).get(url).status_code for url in urls} == {403}
    assert {client_for(None).get(url).status_code for url in urls} == {302}


def test_the_recipient_list_runs_the_same_queries_for_few_and_many(plan, cities, client_for, secretariat):
    def people(count, offset):
        for index in range(count):
            city = list(cities.values())[(offset + index) % 4]
            person = UserFactory(username=f"p{offset + index}", email=f"p{offset + index}@example.org")
            membership_grant(user=person, role=Role.MAYOR, city=city)
            membership_grant(user=person, role=Role.OBSERVER, city=list(cities.values())[5])
        without = UserFactory(username=f"noaddress{offset}", email="")
        membership_grant(user=without, role=Role.MAYOR, city=list(cities.values())[6])

    client = client_for(secretariat)
    people(2, 0)
    services.digests_fan_out(only_email="p0@example.org", queue=False)
    small = count_queries(lambda: client.get(reverse("digests:preview")))
    people(20, 10)
    for index in (10, 11, 12):
        services.digests_fan_out(only_email=f"p{index}@example.org", queue=False)
    large = count_queries(lambda: client.get(reverse("digests:preview")))

    assert_constant_queries(small, large)
    assert len(client.get(reverse("digests:preview")).context["run"].entries) == 22
