"""/healthz: the process answers. /readyz: it can do its work — the database, the cache and the broker
answer and every migration this code knows is applied. Both are cheap (no template, no session, a
couple of round trips with short timeouts), open to anyone, and say nothing but "ok" or which check
failed; the reason goes to the log."""

import logging
import os

from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.http import JsonResponse
from django.views.decorators.http import require_safe

from .clients import broker_redis

logger = logging.getLogger(__name__)

_expected_migrations: set | None = None


def _probe_response(data: dict, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
def healthz(request):
    return _probe_response({"status": "ok"})


def _database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _migrations():
    """The code's latest migration of every app is recorded as applied (one query)."""
    global _expected_migrations
    if _expected_migrations is None:  # read from disk once per process: the code does not change under it
        _expected_migrations = set(MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes())
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations")
        applied = set(cursor.fetchall())
    missing = _expected_migrations - applied
    if missing:
        raise RuntimeError(f"{len(missing)} migrations not applied, e.g. {sorted(missing)[0]}")


def _cache():
    if not settings.CACHE_URL:
        return  # each process's own memory
    from django_redis import get_redis_connection

    get_redis_connection("default").ping()


def _broker():
    client = broker_redis()
    if client is None:
        folder = settings.CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_in"]
        os.makedirs(folder, exist_ok=True)
        if not os.access(folder, os.W_OK):
            raise RuntimeError(f"the filesystem broker's folder {folder} is not writable")
        return
    client.ping()


CHECKS = {"database": _database, "migrations": _migrations, "cache": _cache, "broker": _broker}


@require_safe
def readyz(request):
    results = {}
    for name, check in CHECKS.items():
        if name == "migrations" and results.get("database") != "ok":
            results[name] = "unknown"
            continue
        try:
            check()
        except Exception as error:
            logger.warning("Readiness check %s failed: %s: %s", name, type(error).__name__, error)
            results[name] = "failing"
        else:
            results[name] = "ok"
    ready = all(result == "ok" for result in results.values())
    return _probe_response({"status": "ok" if ready else "unavailable", "checks": results},
                           status=200 if ready else 503)
