import logging
from datetime import timedelta

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .emails import render_email
from .models import OutboxMessage

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def email_queue(*, kind: str, users, template: str, context: dict) -> list[OutboxMessage]:
    """Record one email per user (rendered in their language) and send each after the transaction commits."""
    messages = []
    for user in users:
        if not user.email:
            continue
        rendered = render_email(
            template, {**context, "recipient": user}, language=user.language, time_zone=user.time_zone,
        )
        messages.append(OutboxMessage(
            kind=kind, to=user.email, subject=rendered.subject, body_text=rendered.text, body_html=rendered.html,
        ))
    messages = OutboxMessage.objects.bulk_create(messages)
    ids = [message.pk for message in messages]
    if ids:
        transaction.on_commit(lambda: _dispatch(ids))
    return messages


def _dispatch(ids):
    from .tasks import send_outbox_message

    for message_id in ids:
        try:
            send_outbox_message.delay(message_id)
        except Exception:  # broker unreachable: the message stays pending and the sweep sends it
            logger.warning("Could not queue outbox message %s; the sweep will send it", message_id, exc_info=True)
            return


def outbox_send(*, message_id: int) -> bool:
    """Send one pending message. The row lock makes concurrent senders (task, redelivered task,
    sweep) skip a message another is sending, and `sent_at` stops a second send afterwards."""
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, sent_at__isnull=True, failed_at__isnull=True).first()
        )
        if message is None:
            return False
        message.attempts += 1
        email = EmailMultiAlternatives(message.subject, message.body_text, to=[message.to])
        if message.body_html:
            email.attach_alternative(message.body_html, "text/html")
        try:
            email.send()
        except Exception as error:
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if message.attempts >= MAX_ATTEMPTS:
                message.failed_at = timezone.now()
            message.save(update_fields=["attempts", "last_error", "failed_at"])
            logger.warning("Sending outbox message %s failed (attempt %s): %s", message.pk, message.attempts, error)
            return False
        message.sent_at = timezone.now()
        message.save(update_fields=["attempts", "sent_at"])
        return True


def outbox_pending_ids(*, older_than: timedelta = timedelta(seconds=30), limit: int = 200) -> list[int]:
    cutoff = timezone.now() - older_than
    return list(
        OutboxMessage.objects.filter(sent_at__isnull=True, failed_at__isnull=True, created__lte=cutoff)
        .order_by("created").values_list("pk", flat=True)[:limit]
    )
