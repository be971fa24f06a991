"""The one outgoing-mail pipeline: write a message under its key, send it once, retry with backoff.

Writing: `email_queue` renders one message per person (in their language and time zone) and
`outbox_write` inserts it in the caller's transaction unless its key is taken — so the email of a change
exists exactly when the change does, and deciding twice sends once. After the commit one task per
message is queued; if the broker is down the message simply waits for the sweep.

Sending (`outbox_send`): the row is locked (SELECT … FOR UPDATE SKIP LOCKED) for the SMTP exchange and
marked sent in the same transaction, so a redelivered task, a second worker or the sweep finds it sent
or locked and does nothing. The one gap: a worker dying between the server's "250" and the commit
leaves the row pending and the message is sent again, with the same Message-ID (docs/digests.md).
Failures are retried with backoff (capped far below the broker's visibility timeout) up to
OUTBOX_MAX_ATTEMPTS; a refused address fails at once, and only its own message.
"""

import logging
import smtplib
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .emails import render_email
from .models import OutboxMessage

logger = logging.getLogger(__name__)


class Outcome:
    SENT = "sent"
    SKIPPED = "skipped"
    RETRY = "retry"
    FAILED = "failed"


@dataclass
class SendResult:
    outcome: str
    delay: float | None = None
    error: str = ""


def message_id(key: str) -> str:
    """The same Message-ID on every attempt of a message, so mail systems can fold a repeat."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "baltmet.org"
    return f"<{''.join(c if c.isalnum() or c in '.-' else '.' for c in key)}@{domain}>"


# Messages inserted by one statement (a digest run writes a thousand).
WRITE_BATCH = 200


def outbox_write(messages: list[OutboxMessage], *, queue: bool = True) -> list[OutboxMessage]:
    """Insert the messages whose key is not taken yet and return those; each is sent after the commit."""
    for message in messages:
        message.headers = {"Message-ID": message_id(message.key), **message.headers}
    written = []
    for start in range(0, len(messages), WRITE_BATCH):
        batch = messages[start:start + WRITE_BATCH]
        taken = set(OutboxMessage.objects.filter(key__in=[m.key for m in batch]).values_list("key", flat=True))
        batch = [message for message in batch if message.key not in taken]  # already has its message
        try:
            with transaction.atomic():
                OutboxMessage.objects.bulk_create(batch)
            written += batch
        except IntegrityError:  # a key taken meanwhile by another transaction (or twice in the list): one by one
            for message in batch:
                message.pk = None
                try:
                    with transaction.atomic():
                        message.save()
                except IntegrityError:
                    continue  # this reason already has its message for this person
                written.append(message)
    if queue:
        queue_after_commit([message.pk for message in written])
    return written


def email_queue(*, kind: str, key: str, users, template: str, context: dict,
                personal: bool = True) -> list[OutboxMessage]:
    """One message per person with an address, rendered in their language and time zone, under
    `key` and the person: a second call for the same reason writes nothing.

    `personal=False` for a template that does not address the person (it gets no `recipient`): it is
    rendered once per language and time zone, not once per person (a submitted report tells the
    whole Secretariat, in the submitter's request)."""
    messages, shared = [], {}
    for user in users:
        if not user.email:
            continue
        if personal:
            rendered = render_email(template, {**context, "recipient": user},
                                    language=user.language, time_zone=user.time_zone)
        else:
            group = (user.language, user.time_zone)
            if group not in shared:
                shared[group] = render_email(template, context, language=user.language, time_zone=user.time_zone)
            rendered = shared[group]
        person = f"u{user.pk}" if getattr(user, "pk", None) else user.email.lower()
        messages.append(OutboxMessage(
            key=f"{key}:{person}"[:200], kind=kind, recipient=user if getattr(user, "pk", None) else None,
            to=user.email, subject=rendered.subject[:300], body_text=rendered.text, body_html=rendered.html,
        ))
    return outbox_write(messages)


def queue_after_commit(ids: list[int]) -> None:
    if ids:
        transaction.on_commit(lambda: _dispatch(ids))


# Messages one task sends over one SMTP connection: a digest run of a thousand is forty tasks, not a
# thousand tasks and a thousand connections; an urgent notification is a batch of one.
SEND_BATCH = 25


def _dispatch(ids: list[int]) -> None:
    from .tasks import send_messages

    for start in range(0, len(ids), SEND_BATCH):
        batch = ids[start:start + SEND_BATCH]
        try:
            send_messages.delay(batch)
        except Exception:  # the broker is unreachable: the messages stay pending and the sweep sends them
            logger.warning("Could not queue outgoing email %s (and %s more); the sweep will send them",
                           batch[0], len(ids) - 1 - start)
            return


def retry_delay(attempts: int) -> float:
    return min(settings.OUTBOX_RETRY_BASE_SECONDS * 2 ** max(attempts - 1, 0), settings.OUTBOX_RETRY_MAX_SECONDS)


def _is_bad_address(error: Exception) -> bool:
    """A refused recipient (5xx) or an address that cannot be written: retrying will not help."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in error.recipients.values())
    return isinstance(error, ValueError)


def _email(message: OutboxMessage, connection=None) -> EmailMultiAlternatives:
    headers = {"Message-ID": message_id(message.key), **message.headers}  # (messages from before the keys)
    email = EmailMultiAlternatives(message.subject, message.body_text, to=[message.to], headers=headers,
                                   connection=connection or get_connection(fail_silently=False))
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    return email


def outbox_send(*, message_id: int, now: datetime | None = None, connection=None) -> SendResult:
    """Send one pending message, once (over `connection`, an open email connection, if given)."""
    now = now or timezone.now()
    with transaction.atomic():
        message = (
            OutboxMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_id, status=OutboxMessage.Status.PENDING).first()
        )
        if message is None:
            return SendResult(Outcome.SKIPPED)  # sent, failed, or being sent by another worker right now
        if message.next_attempt_at and message.next_attempt_at > now + timedelta(seconds=2):
            return SendResult(Outcome.SKIPPED)  # an early duplicate: the scheduled retry owns it
        message.attempts += 1
        try:
            _email(message, connection).send()
        except Exception as error:
            message.last_error = f"{type(error).__name__}: {error}"[:2000]
            if _is_bad_address(error) or message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                message.status, message.failed_at, message.next_attempt_at = OutboxMessage.Status.FAILED, now, None
                message.save()
                logger.warning("Outgoing email %s failed for good: %s", message.pk, message.last_error)
                return SendResult(Outcome.FAILED, error=message.last_error)
            delay = retry_delay(message.attempts)
            message.next_attempt_at = now + timedelta(seconds=delay)
            message.save()
            logger.info("Outgoing email %s, attempt %s failed, retrying in %ss: %s",
                        message.pk, message.attempts, delay, message.last_error)
            return SendResult(Outcome.RETRY, delay=delay, error=message.last_error)
        message.status, message.sent_at = OutboxMessage.Status.SENT, now
        message.next_attempt_at, message.last_error = None, ""
        message.save()
        return SendResult(Outcome.SENT)


def outbox_send_batch(*, message_ids: list[int]) -> list[tuple[int, SendResult]]:
    """Send each pending message of the batch once (outbox_send: its own row lock and transaction), over
    one SMTP connection. After a failure the connection is closed, so the next message starts afresh."""
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:  # each message then tries on its own and records its failure
        logger.info("Could not open the email connection for a batch: %s", error)
    results = []
    try:
        for pk in message_ids:
            result = outbox_send(message_id=pk, connection=connection)
            if result.outcome in (Outcome.RETRY, Outcome.FAILED):
                connection.close()
            results.append((pk, result))
    finally:
        connection.close()
    return results


def outbox_due_ids(*, now: datetime | None = None, limit: int = 200) -> list[int]:
    """Pending messages whose task seems lost (queued over 30 seconds ago) or whose retry is overdue."""
    now = now or timezone.now()
    return list(
        OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING)
        .filter(
            Q(next_attempt_at__isnull=True, created__lte=now - timedelta(seconds=30))
            | Q(next_attempt_at__lte=now - timedelta(seconds=30))
        )
        .order_by("created").values_list("pk", flat=True)[:limit]
    )
