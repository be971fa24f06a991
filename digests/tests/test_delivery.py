"""Sending for real: an SMTP server (aiosmtpd), Redis, a Celery worker thread and killed worker processes.

The Redis tests skip without REDIS_URL (and fail under REQUIRE_SERVICES=1); the worker-process test
also needs PostgreSQL, which the worker processes share with the test.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from digests import services, tasks
from digests.models import Frequency
from notifications import tasks as outbox_tasks
from notifications.models import OutboxMessage
from notifications.services import outbox_due_ids, outbox_send
from testing.services import wait_for

from .helpers import mayors_with_points

SENT = OutboxMessage.Status.SENT


@pytest.fixture
def network(plan, cities):
    return mayors_with_points(plan)


def _text_of(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def _html_of(message):
    return message.get_body(preferencelist=("html",)).get_content()


def _planned(**kwargs):
    return [p.message for p in services.digests_fan_out(queue=False, **kwargs)]


def send(message, **kwargs):
    return outbox_send(message_id=message.pk, **kwargs)


def _assert_matches_city(message, city, point, network):
    text = _text_of(message)
    assert city.name in message["Subject"]
    assert f"== How {city.name} stands ==" in text
    assert f"Action point {point.number}: the overall status went from no status to {point.get_status_display()}." \
        in text
    others = [p.number for c, (_, p) in network.items() if c != city]
    assert not any(f"Action point {number}:" in text for number in others)
    assert f"Action point {point.number}: the overall status" in _html_of(message)


# SMTP only ---------------------------------------------------------------------------------------


def test_it_sends_html_and_text_with_an_unsubscribe_header(network, smtp_server):
    city, (mayor, point) = next(iter(network.items()))
    delivery = _planned(only_email=mayor.email)[0]

    assert send(delivery).outcome == "sent"

    [message] = smtp_server.received()
    _assert_matches_city(message, city, point, network)
    unsubscribe = str(message["List-Unsubscribe"]).strip()
    assert unsubscribe.startswith("<http") and "/digests/unsubscribe/" in unsubscribe
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "style=" in _html_of(message) and "<script" not in _html_of(message)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.subject) == ("sent", 1, message["Subject"])


def test_the_preview_matches_what_is_sent(network, smtp_server):
    mayor = next(iter(network.values()))[0]
    mayor.language, mayor.time_zone = "de", "Europe/Riga"
    mayor.save()
    preview = services.digest_preview(recipient=mayor).message

    send(_planned(only_email=mayor.email)[0])

    [message] = smtp_server.received()
    # (A long encoded subject starts on a folded line; Python's parser keeps the fold's space.)
    assert message["Subject"].strip() == preview.subject
    assert _text_of(message).strip().splitlines() == preview.body_text.strip().splitlines()
    assert _html_of(message).strip().splitlines() == preview.body_html.strip().splitlines()


def test_a_bad_address_fails_only_that_delivery(network, smtp_server):
    mayors = [mayor for mayor, _ in network.values()]
    smtp_server.refuse.add(mayors[0].email)

    outcomes = [send(d).outcome for d in _planned()]

    assert outcomes == ["failed"] + ["sent"] * 9
    failed = OutboxMessage.objects.get(recipient=mayors[0])
    assert failed.status == "failed" and "550" in failed.last_error and failed.attempts == 1
    assert len(smtp_server.received()) == 9


def test_smtp_down_is_retried_with_backoff_until_the_limit(network, smtp_server, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    mayor = next(iter(network.values()))[0]
    delivery = _planned(only_email=mayor.email)[0]
    smtp_server.stop()
    now = timezone.now()

    first = send(delivery, now=now)
    too_early = send(delivery, now=now + timedelta(seconds=5))
    second = send(delivery, now=now + timedelta(seconds=31))
    third = send(delivery, now=now + timedelta(seconds=200))

    assert (first.outcome, first.delay) == ("retry", 30)
    assert too_early.outcome == "skipped"
    assert (second.outcome, second.delay) == ("retry", 60)
    assert third.outcome == "failed"
    delivery.refresh_from_db()
    assert delivery.status == "failed" and delivery.attempts == 3 and "Connection refused" in delivery.last_error


def test_a_retry_after_the_server_is_back_sends_once(network, smtp_server):
    mayor = next(iter(network.values()))[0]
    delivery = _planned(only_email=mayor.email)[0]
    smtp_server.stop()
    assert send(delivery).outcome == "retry"
    smtp_server.start()

    later = timezone.now() + timedelta(minutes=1)
    outcomes = [send(delivery, now=later).outcome for _ in range(3)]

    assert outcomes == ["sent", "skipped", "skipped"]
    assert len(smtp_server.received()) == 1


# Redis and a Celery worker -----------------------------------------------------------------------


def _idle(redis_client):
    return redis_client.llen("celery") == 0 and not redis_client.hlen("unacked")


def _by_recipient(smtp_server):
    counts = {}
    for message in smtp_server.received():
        counts[str(message["To"])] = counts.get(str(message["To"]), 0) + 1
    return counts


@pytest.mark.django_db(transaction=True)
def test_one_beat_run_sends_each_recipient_one_digest_and_reruns_send_none_more(
    network, smtp_server, celery_worker, redis_broker,
):
    tasks.fan_out_digests.delay()  # what beat does on the first Monday of the month
    wait_for(lambda: len(smtp_server.received()) >= 10, timeout=60, message="ten digests")

    for city, (mayor, point) in network.items():
        [message] = smtp_server.to(mayor.email)
        _assert_matches_city(message, city, point, network)

    # A second beat run, and every send task delivered again.
    tasks.fan_out_digests.delay()
    for message_id in OutboxMessage.objects.values_list("pk", flat=True):
        outbox_tasks.send_message.delay(message_id)
        outbox_tasks.send_message.delay(message_id)
    wait_for(lambda: _idle(redis_broker), timeout=60, message="the worker to finish the queue")

    assert len(smtp_server.received()) == 10
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {SENT}


@pytest.mark.django_db(transaction=True)
def test_with_the_smtp_server_down_digests_are_retried_and_arrive_once_it_is_up(
    network, smtp_server, celery_worker, redis_broker, settings,
):
    settings.OUTBOX_RETRY_BASE_SECONDS = 0.5
    smtp_server.stop()

    tasks.fan_out_digests.delay()
    wait_for(lambda: OutboxMessage.objects.filter(attempts__gte=2).count() == 10, timeout=60,
             message="failed attempts")
    assert OutboxMessage.objects.filter(status="pending").exclude(last_error="").count() == 10
    smtp_server.start()

    wait_for(lambda: OutboxMessage.objects.filter(status=SENT).count() == 10, timeout=60,
             message="all sent")
    assert sorted(_by_recipient(smtp_server).values()) == [1] * 10


@pytest.mark.django_db(transaction=True)
def test_a_worker_killed_mid_fan_out_and_restarted_leaves_one_message_each(
    network, smtp_server, worker_processes, redis_broker,
):
    smtp_server.delay = 0.3  # slow enough to kill the worker in the middle of the fan-out
    env = {
        "EMAIL_URL": smtp_server.email_url,
        "CELERY_VISIBILITY_TIMEOUT": "4",
        "CELERY_UNACKED_RESTORE_INTERVAL": "1",
        "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    }
    worker = worker_processes.start(**env)

    tasks.fan_out_digests.delay()
    wait_for(lambda: len(smtp_server.received()) >= 3, timeout=60, message="the first digests")
    # Kill while the worker waits for the server in its next transaction, not in the instant between
    # the server accepting a message and the commit: that gap is the documented at-least-once one.
    wait_for(smtp_server.waiting_before_data, timeout=10, interval=0.01, message="the next transaction")
    worker_processes.kill(worker)
    sent_before_kill = len(smtp_server.received())
    assert sent_before_kill < 10

    worker_processes.start(**env)
    wait_for(lambda: OutboxMessage.objects.filter(status=SENT).count() == 10, timeout=120,
             message="every digest after the restart")
    wait_for(lambda: _idle(redis_broker), timeout=30, message="the queue to drain")

    assert _by_recipient(smtp_server) == {mayor.email: 1 for mayor, _ in network.values()}


def test_subscribers_on_a_quarterly_rhythm_get_one_digest_a_quarter(network, smtp_server):
    from .factories import DigestSubscriptionFactory

    mayor = next(iter(network.values()))[0]
    DigestSubscriptionFactory(user=mayor, frequency=Frequency.QUARTERLY)
    january = timezone.make_aware(timezone.datetime(2027, 1, 4, 8))
    february = timezone.make_aware(timezone.datetime(2027, 2, 1, 8))

    first = _planned(only_email=mayor.email, now=january)
    second = _planned(only_email=mayor.email, now=february)

    assert [d.key for d in first] == [f"digest:2027-Q1:u{mayor.pk}"]
    assert [d.pk for d in second] == [d.pk for d in first]


def test_a_reminder_email_lists_every_item(plan, cities, alice, smtp_server):
    from actions.models import ActionPoint

    from .helpers import due_periods

    periods = due_periods(plan)
    for label in ("Past 1", "Past 2"):
        periods[label].is_closed = True
        periods[label].save()
    points = list(ActionPoint.objects.filter(focus_area__plan=plan).order_by("focus_area__number", "sequence")[:2])
    points[0].coordinating_city = cities["riga"]
    points[0].save()
    points[1].partner_cities.add(cities["riga"])

    [delivery] = services.reminders_fan_out(today=periods["Now"].due_date - timedelta(days=1), queue=False)
    assert send(delivery).outcome == "sent"

    [message] = smtp_server.received()
    assert "2 reports need your attention" in message["Subject"]
    text = _text_of(message)
    assert all(f"* {p.number} · Riga · Now – Due within 7 days" in text for p in points)


def test_the_sweep_picks_pending_messages_whose_task_was_lost(network):
    messages = _planned()
    OutboxMessage.objects.filter(pk=messages[0].pk).update(created=timezone.now() - timedelta(minutes=5))
    OutboxMessage.objects.filter(pk=messages[1].pk).update(
        created=timezone.now() - timedelta(minutes=5), status="sent", sent_at=timezone.now())

    assert outbox_due_ids() == [messages[0].pk]
