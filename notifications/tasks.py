from celery import shared_task

from . import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_outbox_message(message_id: int) -> bool:
    return services.outbox_send(message_id=message_id)


@shared_task(ignore_result=True)
def sweep_outbox() -> int:
    """Send what the per-message tasks did not: broker down at commit time, worker lost, SMTP down."""
    sent = 0
    for message_id in services.outbox_pending_ids():
        sent += services.outbox_send(message_id=message_id)
    return sent
