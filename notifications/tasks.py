"""Thin Celery tasks around the outbox. Acknowledged only after they finish (acks_late) and handed back
to the broker if the worker dies mid-task (reject_on_worker_lost): the row lock and its status make
running one twice harmless."""

from celery import shared_task

from . import services

RELIABLE = {"acks_late": True, "reject_on_worker_lost": True, "ignore_result": True}


@shared_task(bind=True, max_retries=None, **RELIABLE)
def send_message(self, message_id: int) -> str:
    result = services.outbox_send(message_id=message_id)
    if result.outcome == services.Outcome.RETRY:
        # The countdown is capped (OUTBOX_RETRY_MAX_SECONDS), well inside the broker's visibility timeout.
        raise self.retry(countdown=result.delay)
    return result.outcome


@shared_task(**RELIABLE)
def send_messages(message_ids: list[int]) -> int:
    """Send a batch over one SMTP connection; a message to retry gets its own send_message task, with its
    backoff. Redelivered after a lost worker, the batch skips what was sent."""
    sent = 0
    for pk, result in services.outbox_send_batch(message_ids=message_ids):
        sent += result.outcome == services.Outcome.SENT
        if result.outcome == services.Outcome.RETRY:
            send_message.apply_async((pk,), countdown=result.delay)
    return sent


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    """Send what the per-message tasks did not: the broker down at commit time, a worker lost, a retry
    whose task went missing. Sends here, without the broker."""
    return sum(
        services.outbox_send(message_id=pk).outcome == services.Outcome.SENT for pk in services.outbox_due_ids()
    )
