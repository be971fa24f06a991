"""Celery's queues: digests never delay notifications.

- `celery` (the default): the email of a change — a report submitted, returned or approved, an
  invitation, a password reset, an initiative's request. Small and urgent.
- `digests`: the monthly and daily fan-outs, the thousands of digest and reminder emails they write, and
  the outbox's sweep (the safety net, which may find a whole digest run to send).

Run at least one worker on `celery` alone (`celery -A baltmet worker -Q celery`) and one or more on
`digests`; a worker started without -Q takes both (development, the tests). docs/operations.md.
"""

import logging

DEFAULT = "celery"
BULK = "digests"
QUEUES = (DEFAULT, BULK)

BULK_TASKS = {"digests.tasks.fan_out_digests", "digests.tasks.fan_out_reminders", "notifications.tasks.sweep_outbox"}
BULK_KINDS = {"digest", "reminder"}

logger = logging.getLogger(__name__)


def route(name, args, kwargs, options, task=None, **kw):
    """CELERY_TASK_ROUTES: where a task is published. An outbox message's task follows its kind."""
    if name in BULK_TASKS:
        return {"queue": BULK}
    if name == "notifications.tasks.send_message":
        message_id = (args or [None])[0] if args else (kwargs or {}).get("message_id")
        return {"queue": BULK if _kind_of(message_id) in BULK_KINDS else DEFAULT}
    if name == "notifications.tasks.send_messages":  # a batch is of one write, so of one kind: its first's
        message_ids = (args or [None])[0] if args else (kwargs or {}).get("message_ids")
        return {"queue": BULK if _kind_of((message_ids or [None])[0]) in BULK_KINDS else DEFAULT}
    return None


def _kind_of(message_id) -> str:
    from notifications.models import OutboxMessage

    try:
        return OutboxMessage.objects.filter(pk=message_id).values_list("kind", flat=True).first() or ""
    except Exception:  # the database unreachable while publishing: the urgent queue is never wrong
        logger.warning("Could not read the kind of outgoing email %s; queued as a notification", message_id)
        return ""
