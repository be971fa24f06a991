"""/metrics: Prometheus' text format for a bearer of METRICS_TOKEN only; what a person watching would read."""

import re

import pytest
from django.test import Client

from notifications.models import OutboxMessage

TOKEN = "metrics-test-token"


@pytest.fixture
def metrics(settings):
    settings.METRICS_TOKEN = TOKEN

    def scrape():
        response = Client().get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        return response.content.decode()

    return scrape


def _value(text, series):
    match = re.search(rf"^{re.escape(series)} ([0-9.e+]+)$", text, re.M)
    return float(match.group(1)) if match else None


def test_it_is_off_without_a_token_and_refuses_anyone_without_the_right_one(db, settings):
    settings.METRICS_TOKEN = ""
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer anything").status_code == 404
    settings.METRICS_TOKEN = TOKEN
    assert Client().get("/metrics").status_code == 403
    assert Client().get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert Client().get("/metrics", HTTP_AUTHORIZATION=f"Basic {TOKEN}").status_code == 403


def test_it_counts_responses_and_latency_by_view_not_by_url(metrics, db):
    series = 'baltmet_http_responses_total{method="GET",status="200",view="login"}'
    before = _value(metrics(), series) or 0
    Client().get("/accounts/login/")
    Client().get("/accounts/login/?next=/somewhere/")
    Client().get("/no/such/page/")
    text = metrics()
    assert _value(text, series) == before + 2
    assert _value(text, 'baltmet_http_responses_total{method="GET",status="404",view="unmatched"}') >= 1
    assert _value(text, 'baltmet_http_request_duration_seconds_count{method="GET",view="login"}') >= 2
    assert "/accounts/login/" not in text


def test_it_tells_outbox_messages_by_kind_and_state_and_the_oldest_waiting(metrics, alice):
    from datetime import timedelta

    from django.utils import timezone

    for n, (kind, status) in enumerate([("digest", "sent"), ("digest", "sent"), ("digest", "failed"),
                                        ("report_submitted", "pending")]):
        OutboxMessage.objects.create(key=f"k{n}", kind=kind, status=status, to="a@example.org", subject="s",
                                     body_text="b", sent_at=timezone.now() if status == "sent" else None,
                                     failed_at=timezone.now() if status == "failed" else None)
    OutboxMessage.objects.filter(status="pending").update(created=timezone.now() - timedelta(minutes=5))
    text = metrics()
    assert _value(text, 'baltmet_outbox_messages{kind="digest",status="sent"}') == 2
    assert _value(text, 'baltmet_outbox_messages{kind="digest",status="failed"}') == 1
    assert _value(text, 'baltmet_outbox_messages{kind="reminder",status="pending"}') == 0  # present, at zero
    assert 299 < _value(text, "baltmet_outbox_oldest_pending_age_seconds") < 400


@pytest.mark.django_db(transaction=True)
def test_queue_lengths_show_digests_apart_from_notifications(metrics, redis_broker, alice, secretariat,
                                                             assigned, periods, cities):
    """Without a worker the tasks wait: a digest run's emails in `digests`, a submission's in `celery`."""
    from digests.services import digests_fan_out
    from reports import services
    from reports.models import ProgressReport

    report = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"], period=periods["2011 H1"],
                                           summary="Done.", delivery_status="on_track")
    services.report_submit(report=report, version=report.version, user=alice)
    from cities.models import Role
    from cities.services import membership_grant
    from cities.tests.factories import UserFactory

    for slug in ("riga", "tallinn", "helsinki"):
        membership_grant(user=UserFactory(), role=Role.MAYOR, city=cities[slug])
    digests = [p for p in digests_fan_out() if p.created]
    assert len(digests) >= 3

    text = metrics()
    assert _value(text, 'baltmet_celery_queue_length{queue="celery"}') == 1  # the Secretariat's notification
    from notifications.services import SEND_BATCH

    # One task per batch of a run's emails (sent over one SMTP connection).
    assert _value(text, 'baltmet_celery_queue_length{queue="digests"}') == -(-len(digests) // SEND_BATCH)
    assert _value(text, "baltmet_metrics_broker_up") == 1


@pytest.mark.django_db(transaction=True)
def test_it_counts_task_outcomes_the_workers_report(metrics, celery_worker, redis_broker, smtp_server, alice,
                                                    secretariat, assigned, periods, cities):
    from reports import services
    from reports.models import ProgressReport
    from testing.services import wait_for

    redis_broker.delete("baltmet:metrics:task_outcomes")
    report = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"], period=periods["2011 H1"],
                                           summary="Done.", delivery_status="on_track")
    services.report_submit(report=report, version=report.version, user=alice)
    wait_for(lambda: smtp_server.received(), timeout=30, message="the notification")
    series = 'baltmet_celery_tasks_total{state="SUCCESS",task="notifications.tasks.send_messages"}'
    wait_for(lambda: _value(metrics(), series) == 1, timeout=10, message="the outcome counted")
