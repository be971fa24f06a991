"""`manage.py check_celery`: are the workers and beat alive? Exits 1, naming what is missing, when a queue
has no worker consuming it or beat has not ticked for --beat-max-age seconds (beat sends the outbox sweep
every minute, and writes each tick's time: CELERY_BEAT_SYNC_EVERY=1). For a cron job or a monitoring
agent (docs/operations.md)."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Max
from django.utils import timezone


class Command(BaseCommand):
    help = "Checks that every Celery queue has a live worker and that beat ticked recently."

    def add_arguments(self, parser):
        parser.add_argument("--timeout", type=float, default=3.0, help="Seconds to wait for workers to answer.")
        parser.add_argument("--beat-max-age", type=int, default=180,
                            help="Seconds since beat's last tick beyond which it counts as dead (default 180).")

    def handle(self, *args, timeout, beat_max_age, **options):
        from django_celery_beat.models import PeriodicTask

        from baltmet.celery import app
        from ops.queues import QUEUES

        problems = []
        try:
            answers = app.control.inspect(timeout=timeout).active_queues() or {}
        except Exception as error:
            answers = {}
            problems.append(f"the broker did not answer ({type(error).__name__}: {error})")
        consumers = {queue: sorted(worker for worker, queues in answers.items()
                                   if queue in {q["name"] for q in queues or []}) for queue in QUEUES}
        for queue, workers in consumers.items():
            if workers:
                self.stdout.write(f"queue {queue}: {len(workers)} worker(s): {', '.join(workers)}")
            else:
                problems.append(f"no worker consumes the queue {queue}")

        last_tick = PeriodicTask.objects.filter(enabled=True).aggregate(t=Max("last_run_at"))["t"]
        if last_tick is None:
            problems.append("beat has never run a scheduled task")
        else:
            age = timezone.now() - last_tick
            self.stdout.write(f"beat: last tick {int(age.total_seconds())} s ago ({last_tick.isoformat()})")
            if age > timedelta(seconds=beat_max_age):
                problems.append(f"beat's last tick is {int(age.total_seconds())} s old (more than {beat_max_age} s)")

        if problems:
            raise CommandError("; ".join(problems))
        self.stdout.write(self.style.SUCCESS("workers and beat are alive"))
