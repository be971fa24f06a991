"""The whole digest run: the digests app's fan-out for N recipients (building every digest and writing it
into the outbox), sent by a real Celery worker (two processes) through Redis to a local SMTP sink; wall
time from the fan-out until the sink has every message.

Run by bench/run as `python -m bench.digest_run --recipients 1000 --out FILE` with DATABASE_URL, REDIS_URL
and EMAIL_URL (smtp://127.0.0.1:PORT) set; it starts the sink in this process and the worker as a child.
"""

import argparse
import json
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlparse

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baltmet.settings")

import django  # noqa: E402

django.setup()

from aiosmtpd.controller import Controller  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


class CountingSink:
    def __init__(self):
        self.count = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        with self.lock:
            self.count += len(envelope.rcpt_tos)
        return "250 OK"


def subscribe_exactly(n: int) -> list:
    """Make exactly n people digest recipients (monthly): the first n active people with an address;
    everybody else opts out, so mayors are not added on top by the default rule."""
    from simple_history.utils import bulk_create_with_history

    from digests.models import DigestSubscription, Frequency

    users = list(get_user_model().objects.filter(is_active=True).exclude(email="").order_by("pk"))
    chosen = {u.pk for u in users[:n]}
    DigestSubscription.objects.all().delete()
    bulk_create_with_history(
        [DigestSubscription(user=u, frequency=Frequency.MONTHLY if u.pk in chosen else Frequency.NONE)
         for u in get_user_model().objects.order_by("pk")],
        DigestSubscription, batch_size=2000, default_change_reason="Benchmark",
    )
    return users[:n]


def wait_for_worker(app, timeout=60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if app.control.ping(timeout=0.5):
            return True
        time.sleep(0.5)
    return False


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--out", required=True)
    parser.add_argument("--timeout", type=float, default=180)
    parser.add_argument("--concurrency", type=int, default=2)
    options = parser.parse_args()
    result = {"recipients": options.recipients}
    try:
        from digests import services as digest_services
        from notifications.models import OutboxMessage
        fan_out = digest_services.digests_fan_out
    except (ImportError, AttributeError) as error:
        result.update(available=False, reason=f"digests fan-out not available: {error}")
        Path(options.out).write_text(json.dumps(result, indent=2))
        return

    import redis

    from baltmet.celery import app

    email = urlparse(os.environ["EMAIL_URL"])
    sink = CountingSink()
    controller = Controller(sink, hostname=email.hostname, port=email.port)
    controller.start()
    redis.Redis.from_url(settings.CELERY_BROKER_URL).flushdb()
    OutboxMessage.objects.filter(kind="digest").delete()  # a rerun on the same bench database starts clean
    subscribe_exactly(options.recipients)
    planned = len(digest_services.digests_plan())
    result["planned"] = planned

    worker = subprocess.Popen(
        [str(Path(sys.executable).parent / "celery"), "-A", "baltmet", "worker", "--loglevel", "WARNING",
         "--concurrency", str(options.concurrency), "--without-gossip", "--without-mingle", "--without-heartbeat",
         "-n", f"bench-{os.getpid()}@%h"],
        cwd=ROOT, env=os.environ.copy(), stdout=subprocess.DEVNULL, stderr=open(ROOT / "var/bench/worker.log", "w"),
        start_new_session=True,
    )
    try:
        if not wait_for_worker(app):
            result.update(available=True,
                          error="the Celery worker did not answer within 60 s (see var/bench/worker.log)")
            return
        started = time.perf_counter()
        fan_out()  # writes every digest into the outbox and queues one send task each after the commit
        queued = time.perf_counter()
        deadline = started + options.timeout
        sent = 0
        while time.perf_counter() < deadline:
            sent = OutboxMessage.objects.filter(kind="digest", status="sent").count()
            if sink.count >= planned and sent >= planned:
                break
            time.sleep(0.05)
        wall = time.perf_counter() - started
        result.update(
            available=True, wall_s=round(wall, 2), fan_out_s=round(queued - started, 2),
            received=sink.count, sent=sent,
            failed=OutboxMessage.objects.filter(kind="digest", status="failed").count(),
            messages_per_s=round(sink.count / wall, 1) if wall else None,
            complete=sink.count >= planned and sent >= planned,
            worker_processes=options.concurrency,
        )
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
        controller.stop()
        Path(options.out).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
