"""Celery's signals, in the processes that queue tasks and in the workers that run them:

- the request id of the web request (or task) that queues a task goes with it, in a message header, and is
  the current id while the worker runs it (requestid.py);
- each finished task counts its outcome (succeeded, failed, retried) in the broker's Redis, where any web
  instance's /metrics reads it: the number is the network's, not one worker's (metrics.py)."""

from celery import signals

from . import requestid
from .clients import broker_redis

TASK_OUTCOMES_KEY = "baltmet:metrics:task_outcomes"


@signals.before_task_publish.connect
def _carry_request_id(headers=None, **kwargs):
    request_id = requestid.current.get()
    if request_id and headers is not None:
        headers.setdefault("request_id", request_id)


@signals.task_prerun.connect
def _restore_request_id(task=None, task_id=None, **kwargs):
    given = getattr(task.request, "request_id", None) if task is not None else None
    requestid.current.set(given if given and requestid.VALID.fullmatch(str(given)) else (task_id or ""))


@signals.task_postrun.connect
def _count_outcome(task=None, state=None, **kwargs):
    requestid.current.set("")
    client = broker_redis()
    if client is None or task is None:
        return
    try:
        client.hincrby(TASK_OUTCOMES_KEY, f"{task.name}|{state or 'UNKNOWN'}", 1)
    except Exception:  # a metric must never fail a task
        pass
