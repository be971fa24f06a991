"""Beat's digest and reminder runs. They only write messages into the outbox (notifications/), whose
tasks send them; a database hiccup must not lose a run that beat fires once a month or once a day, so
they retry with backoff (capped at 10 minutes, far inside the broker's visibility timeout)."""

from celery import shared_task

from . import services

FAN_OUT = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True,
           "autoretry_for": (Exception,), "retry_backoff": 30, "retry_backoff_max": 600, "max_retries": 6}


@shared_task(**FAN_OUT)
def fan_out_digests() -> int:
    return sum(planned.created for planned in services.digests_fan_out())


@shared_task(**FAN_OUT)
def fan_out_reminders() -> int:
    return len(services.reminders_fan_out())
