"""Prometheus metrics at /metrics, for a scraper holding METRICS_TOKEN (Authorization: Bearer …); 404 when
no token is configured, 403 for anyone else. nginx does not pass /metrics on: scrape each gunicorn
instance directly (docs/operations.md).

Two kinds of series:
- this instance's, summed over its gunicorn workers (prometheus_client's multiprocess mode when
  PROMETHEUS_MULTIPROC_DIR is set, as deploy/systemd/baltmet-web@.service does): request latency by view
  and method, responses by view, method and status code;
- the network's, read at scrape time, the same on every instance (aggregate them with max, not sum):
  outbox messages by kind and status, the oldest pending message's age, queue lengths and unacknowledged
  tasks in the broker, Celery task outcomes (counted by the workers, tasks_signals.py), beat's last tick.
"""

import hmac
import logging
import os
import time

from django.conf import settings
from django.db.models import Count, Max, Min
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe
from prometheus_client import REGISTRY, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.exposition import CONTENT_TYPE_LATEST

from .clients import broker_redis
from .queues import QUEUES
from .tasks_signals import TASK_OUTCOMES_KEY

logger = logging.getLogger(__name__)

REQUEST_LATENCY = Histogram(
    "baltmet_http_request_duration_seconds", "Time from the request reaching Django to its response, by view.",
    ["view", "method"], buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
RESPONSES = Counter("baltmet_http_responses", "Responses by view, method and status code.",
                    ["view", "method", "status"])
METHODS = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"}
# kombu's Redis transport keeps priorities 3, 6 and 9 of a queue in lists of their own.
PRIORITY_SEPARATOR = "\x06\x16"


class RequestMetricsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        # A label per URL pattern, never per URL: the number of series stays the number of views.
        view = match.view_name if match else ("static" if request.path.startswith("/" + settings.STATIC_URL.lstrip("/"))
                                               else "unmatched")
        method = request.method if request.method in METHODS else "other"
        REQUEST_LATENCY.labels(view, method).observe(time.perf_counter() - started)
        RESPONSES.labels(view, method, str(response.status_code)).inc()
        return response


class NetworkCollector:
    """What every instance reads the same, from the database and the broker, at each scrape."""

    def collect(self):
        from django_celery_beat.models import PeriodicTask

        from notifications.models import Kind, OutboxMessage

        outbox = GaugeMetricFamily("baltmet_outbox_messages", "Outgoing emails by kind and status "
                                   "(digest and reminder are the digest deliveries).", labels=["kind", "status"])
        counts = {(kind, status): 0 for kind in Kind.values for status in OutboxMessage.Status.values}
        for row in OutboxMessage.objects.order_by().values("kind", "status").annotate(n=Count("pk")):
            counts[(row["kind"], row["status"])] = row["n"]
        for (kind, status), n in sorted(counts.items()):
            outbox.add_metric([kind, status], n)
        yield outbox

        oldest = OutboxMessage.objects.filter(status=OutboxMessage.Status.PENDING).aggregate(t=Min("created"))["t"]
        yield GaugeMetricFamily("baltmet_outbox_oldest_pending_age_seconds",
                                "Age of the oldest email not sent yet (0 when none waits).",
                                value=(timezone.now() - oldest).total_seconds() if oldest else 0)

        last_tick = PeriodicTask.objects.filter(enabled=True).aggregate(t=Max("last_run_at"))["t"]
        if last_tick:
            yield GaugeMetricFamily("baltmet_beat_last_tick_timestamp_seconds",
                                    "When beat last sent a scheduled task (Unix time).", value=last_tick.timestamp())

        yield from self._broker()

    def _broker(self):
        client = broker_redis()
        if client is None:
            return
        try:
            with client.pipeline(transaction=False) as pipe:
                for queue in QUEUES:
                    for key in [queue] + [f"{queue}{PRIORITY_SEPARATOR}{p}" for p in (3, 6, 9)]:
                        pipe.llen(key)
                pipe.hlen("unacked")
                pipe.hgetall(TASK_OUTCOMES_KEY)
                results = pipe.execute()
        except Exception as error:
            logger.warning("Metrics: the broker's Redis did not answer: %s", error)
            yield GaugeMetricFamily("baltmet_metrics_broker_up", "The broker answered this scrape.", value=0)
            return
        yield GaugeMetricFamily("baltmet_metrics_broker_up", "The broker answered this scrape.", value=1)
        lengths = GaugeMetricFamily("baltmet_celery_queue_length", "Tasks waiting in each queue.", labels=["queue"])
        for index, queue in enumerate(QUEUES):
            lengths.add_metric([queue], sum(results[index * 4:index * 4 + 4]))
        yield lengths
        yield GaugeMetricFamily("baltmet_celery_unacked_tasks",
                                "Tasks handed to a worker and not finished (running, or left by a dead worker).",
                                value=results[len(QUEUES) * 4])
        outcomes = CounterMetricFamily("baltmet_celery_tasks", "Finished tasks by task and outcome "
                                       "(SUCCESS, FAILURE, RETRY, …), counted by the workers.", labels=["task", "state"])
        for field, n in sorted(results[len(QUEUES) * 4 + 1].items()):
            task, _, state = field.decode().rpartition("|")
            outcomes.add_metric([task, state], int(n))
        yield outcomes


def _authorised(request) -> bool:
    scheme, _, token = request.META.get("HTTP_AUTHORIZATION", "").partition(" ")
    return scheme.lower() == "bearer" and hmac.compare_digest(token.strip().encode(), settings.METRICS_TOKEN.encode())


@require_safe
def metrics(request):
    if not settings.METRICS_TOKEN:
        return HttpResponse(status=404)
    if not _authorised(request):
        response = HttpResponse("A bearer token is needed.\n", status=403, content_type="text/plain")
        response["WWW-Authenticate"] = "Bearer"
        return response
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        process_registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(process_registry)
    else:
        process_registry = REGISTRY
    network = CollectorRegistry(auto_describe=False)
    network.register(NetworkCollector())
    response = HttpResponse(generate_latest(process_registry) + generate_latest(network),
                            content_type=CONTENT_TYPE_LATEST)
    response["Cache-Control"] = "no-store"
    return response
