"""Thin Celery tasks: they take ids, call a service and retry. Acknowledged only after they finish
(acks_late) and handed back to the broker if the worker dies mid-task (reject_on_worker_lost): the
delivery rows make running one twice harmless."""

from celery import shared_task

from . import services

RELIABLE = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


@shared_task(bind=True, max_retries=None, **RELIABLE)
def send_delivery(self, delivery_id: int) -> str:
    result = services.delivery_send(delivery_id=delivery_id)
    if result.outcome == services.Outcome.RETRY:
        # The countdown is capped at services.RETRY_MAX_DELAY, well inside the broker's visibility timeout.
        raise self.retry(countdown=result.delay)
    return result.outcome


# Beat fires these once a month or once a day, so a database hiccup must not lose the run: retry with
# backoff (capped at 10 minutes, far inside the broker's visibility timeout).
FAN_OUT = {**RELIABLE, "autoretry_for": (Exception,), "retry_backoff": 30, "retry_backoff_max": 600, "max_retries": 6}


@shared_task(**FAN_OUT)
def fan_out_digests() -> int:
    return len(services.digests_fan_out())


@shared_task(**FAN_OUT)
def fan_out_reminders() -> int:
    return len(services.reminders_fan_out())


@shared_task(ignore_result=True)
def sweep_deliveries() -> int:
    return services.deliveries_requeue()
