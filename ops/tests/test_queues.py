"""Digests never delay notifications, and `manage.py check_celery` tells whether workers and beat live."""

import re
import subprocess
import sys
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from testing.services import BASE_DIR, wait_for


def _worker(env, queues, name):
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "baltmet", "worker", "--pool", "solo", "--loglevel", "WARNING",
         "--queues", queues, "--without-gossip", "--without-mingle", "-n", f"{name}@%h"],
        cwd=BASE_DIR, env=env, start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


@pytest.fixture
def mayors(cities):
    from cities.models import Role
    from cities.services import membership_grant
    from cities.tests.factories import UserFactory

    people = []
    for slug in ("riga", "tallinn", "helsinki", "stockholm", "berlin", "vilnius", "warsaw", "oslo"):
        person = UserFactory()
        membership_grant(user=person, role=Role.MAYOR, city=cities[slug])
        people.append(person)
    return people


@pytest.mark.django_db(transaction=True)
def test_a_submission_is_told_while_a_digest_run_is_still_going_out(
    worker_processes, smtp_server, mayors, alice, secretariat, assigned, periods, cities,
):
    from digests import tasks as digest_tasks
    from notifications.models import OutboxMessage
    from reports import services
    from reports.models import ProgressReport

    smtp_server.delay = 0.3
    env = {**worker_processes.env, "EMAIL_URL": smtp_server.email_url}
    workers = [_worker(env, "celery", "notifications"), _worker(env, "digests", "bulk")]
    worker_processes.processes.extend(workers)  # stopped by the fixture
    try:
        digest_tasks.fan_out_digests.delay()
        wait_for(lambda: len(smtp_server.received()) >= 1, timeout=60, message="the first digest")

        report = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["riga"],
                                               period=periods["2011 H1"], summary="Done.", delivery_status="on_track")
        services.report_submit(report=report, version=report.version, user=alice)
        wait_for(lambda: smtp_server.to(secretariat.email), timeout=20, message="the Secretariat's notification")
        still_waiting = OutboxMessage.objects.filter(kind="digest", status="pending").count()
        assert still_waiting >= 3, "the notification waited for the digests"
        wait_for(lambda: not OutboxMessage.objects.filter(status="pending").exists(), timeout=60,
                 message="the rest of the digests")
    finally:
        worker_processes.stop_all()


def _check(**options):
    out = StringIO()
    call_command("check_celery", stdout=out, timeout=1.5, **options)
    return out.getvalue()


def _beat_ticked(ago):
    from django_celery_beat.models import PeriodicTask

    from baltmet import schedules

    schedules.ensure()
    PeriodicTask.objects.filter(task="notifications.tasks.sweep_outbox").update(last_run_at=timezone.now() - ago)


@pytest.mark.django_db(transaction=True)
def test_check_celery_names_the_queues_nobody_serves_and_a_beat_gone_quiet(worker_processes):
    _beat_ticked(timedelta(minutes=10))
    with pytest.raises(CommandError) as refused:
        _check()
    message = str(refused.value)
    assert "no worker consumes the queue celery" in message and "no worker consumes the queue digests" in message
    assert re.search(r"beat's last tick is 6\d\d s old \(more than 180 s\)", message)

    worker = _worker(worker_processes.env, "celery", "alive")
    worker_processes.processes.append(worker)
    _beat_ticked(timedelta(seconds=30))
    wait_for(lambda: "queue celery: 1 worker" in _try_check(), timeout=30, message="the worker to answer")
    with pytest.raises(CommandError, match="no worker consumes the queue digests$"):
        _check()

    worker_processes.processes.append(_worker(worker_processes.env, "digests", "bulk"))
    wait_for(lambda: "workers and beat are alive" in _try_check(), timeout=30, message="both queues served")
    assert re.search(r"beat: last tick \d+ s ago", _check())  # about 30 s plus the waits above


def _try_check():
    """What the command printed and, when it refused, why: the queues it found served are in the former."""
    out = StringIO()
    try:
        call_command("check_celery", stdout=out, timeout=1.5)
    except CommandError as error:
        return out.getvalue() + str(error)
    return out.getvalue()
