import time
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxMessage
from notifications.services import outbox_send, outbox_write
from notifications.tasks import sweep_outbox
from reports.models import ProgressReport


@pytest.fixture
def broker_down(use_broker):
    """Point Celery at a port where no broker listens, as when Redis is stopped."""
    use_broker("redis://127.0.0.1:1/0")


def submit(client, report):
    return client.post(reverse("reports:report", args=[report.pk]), {
        "delivery_status": "on_track", "summary": "Done.", "next_steps": "", "version": report.version,
        "action": "submit",
    })


def test_a_report_is_saved_and_its_email_sent_later_when_the_broker_is_down(
    broker_down, assigned, periods, cities, alice, secretariat, client_for, django_capture_on_commit_callbacks,
):
    report = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"], period=periods["2011 H1"])

    started = time.monotonic()
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(client_for(alice), report)

    assert response.status_code == 302
    assert time.monotonic() - started < 15, "the request must not hang on the dead broker"
    report.refresh_from_db()
    assert report.state == "submitted"
    message = OutboxMessage.objects.get()
    assert message.sent_at is None and not mail.outbox

    OutboxMessage.objects.update(created="2000-01-01T00:00Z")  # older than the sweep's grace period
    assert sweep_outbox() == 1

    message.refresh_from_db()
    assert message.sent_at is not None
    assert [m.to for m in mail.outbox] == [[secretariat.email]]


def _message(person, key="test:1"):
    return OutboxMessage.objects.create(key=key, kind="report_submitted", to=person.email, subject="Hello",
                                        body_text="Hi")


def test_a_message_is_sent_once_however_often_it_is_asked_for(db, secretariat):
    message = _message(secretariat)

    results = [outbox_send(message_id=message.pk).outcome for _ in range(3)]

    assert results == ["sent", "skipped", "skipped"]
    assert len(mail.outbox) == 1


def test_the_same_reason_twice_writes_one_message_with_a_stable_message_id(db, secretariat):
    def write():
        return outbox_write([OutboxMessage(key="report_submitted:7:v2:u1", kind="report_submitted",
                                           to=secretariat.email, subject="S", body_text="B")], queue=False)

    assert [len(write()), len(write())] == [1, 0]
    message = OutboxMessage.objects.get()
    assert message.headers["Message-ID"] == "<report.submitted.7.v2.u1@baltmet.org>"
    outbox_send(message_id=message.pk)
    assert mail.outbox[0].extra_headers["Message-ID"] == message.headers["Message-ID"]


def test_smtp_failures_are_recorded_and_retried_until_a_limit(db, settings, secretariat):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 1, 2
    message = _message(secretariat)
    moment = timezone.now()

    outcomes = [outbox_send(message_id=message.pk, now=moment + timedelta(hours=attempt)).outcome
                for attempt in range(8)]

    assert outcomes == ["retry"] * 7 + ["failed"]
    message.refresh_from_db()
    assert message.attempts == 8 and message.failed_at is not None and message.status == "failed"
    assert "ConnectionRefusedError" in message.last_error


def test_a_batch_goes_over_one_smtp_connection_and_each_message_once(db, smtp_server, secretariat):
    from notifications.tasks import send_messages

    ids = [_message(secretariat, key=f"test:{n}").pk for n in range(30)]

    assert send_messages(ids[:25]) == 25 and send_messages(ids[25:]) == 5
    assert send_messages(ids) == 0  # delivered again (a lost worker's batch): nothing is sent twice

    assert len(smtp_server.received()) == 30 and len(smtp_server.sessions) == 2
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}


def test_in_a_batch_a_refused_address_fails_alone_and_the_rest_is_sent(db, smtp_server, secretariat):
    from notifications.tasks import send_messages

    ids = [OutboxMessage.objects.create(key=f"test:{n}", kind="report_submitted", to=f"p{n}@example.org",
                                        subject="Hello", body_text="Hi").pk for n in range(5)]
    smtp_server.refuse.add("p2@example.org")

    assert send_messages(ids) == 4
    assert [m["To"] for m in smtp_server.received()] == ["p0@example.org", "p1@example.org", "p3@example.org",
                                                          "p4@example.org"]
    assert OutboxMessage.objects.get(to="p2@example.org").status == "failed"


def test_a_submitted_report_is_rendered_once_per_language_for_the_secretariat(
    assigned, periods, cities, alice, secretariat, client_for, monkeypatch,
):
    from cities.models import Role
    from cities.services import membership_grant
    from cities.tests.factories import UserFactory
    from notifications import services

    colleagues = []
    for username, language in (("sven", "en"), ("liga", "lv")):
        person = UserFactory(username=username, language=language, time_zone=secretariat.time_zone)
        membership_grant(user=person, role=Role.SECRETARIAT)
        colleagues.append(person)
    secretariat.language = "en"
    secretariat.save()
    rendered = []

    def counting(template, context, *, language="en", time_zone=None):
        rendered.append((template, language, "recipient" in context))
        return render(template, context, language=language, time_zone=time_zone)

    render = services.render_email
    monkeypatch.setattr(services, "render_email", counting)
    report = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"], period=periods["2011 H2"])

    assert submit(client_for(alice), report).status_code == 302

    messages = OutboxMessage.objects.filter(kind="report_submitted")
    assert sorted(messages.values_list("to", flat=True)) == sorted(p.email for p in [secretariat, *colleagues])
    assert sorted(rendered) == [("report_submitted", "en", False), ("report_submitted", "lv", False)]
    english = [m for m in messages if m.to != colleagues[1].email]
    assert english[0].body_html == english[1].body_html and english[0].subject == english[1].subject
