"""/healthz and /readyz: open to anyone, cheap, and saying nothing but which check failed."""

import json

import pytest
from django.db import connection
from django.test import Client

from testing.queries import count_queries


def _get(path, **headers):
    response = Client().get(path, **headers)
    return response.status_code, json.loads(response.content)


def test_it_says_the_process_is_alive_without_touching_the_database(db):
    assert _get("/healthz") == (200, {"status": "ok"})
    assert count_queries(lambda: _get("/healthz"))[0] == 0


def test_it_is_ready_when_the_database_cache_and_broker_answer_and_migrations_are_applied(db):
    assert _get("/readyz") == (200, {"status": "ok", "checks": {
        "database": "ok", "migrations": "ok", "cache": "ok", "broker": "ok"}})
    assert count_queries(lambda: _get("/readyz"))[0] == 2  # SELECT 1, and the applied migrations


def test_probes_answer_a_load_balancer_asking_by_address_over_plain_http(db, settings):
    """In production a probe comes to a gunicorn instance directly: no TLS, any Host header."""
    settings.DEBUG = False
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["portal.baltmet.org"]
    assert _get("/healthz", HTTP_HOST="10.0.0.5:8001")[0] == 200
    assert _get("/readyz", HTTP_HOST="10.0.0.5:8001")[0] == 200
    # Every other page still refuses a host it does not know.
    assert Client().get("/accounts/login/", HTTP_HOST="10.0.0.5:8001").status_code == 400


def test_it_is_not_ready_with_the_broker_unreachable_and_says_only_which_check_failed(db, settings, caplog):
    from testing.services import free_port

    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    status, body = _get("/readyz")
    assert status == 503
    assert body == {"status": "unavailable", "checks": {"database": "ok", "migrations": "ok", "cache": "ok",
                                                        "broker": "failing"}}
    assert "127.0.0.1" not in json.dumps(body)
    assert any("Readiness check broker failed" in r.getMessage() for r in caplog.records)


def test_it_is_not_ready_with_the_caches_redis_unreachable(db, settings):
    from baltmet.settings import caches_for
    from testing.services import free_port

    url = f"redis://127.0.0.1:{free_port()}/0"
    settings.CACHE_URL = url
    settings.CACHES = caches_for(url)
    status, body = _get("/readyz")
    assert status == 503 and body["checks"]["cache"] == "failing"


@pytest.mark.django_db(transaction=True)
def test_it_is_not_ready_while_a_migration_of_the_code_is_not_applied(postgres):
    """New code started before `migrate` ran (docs/operations.md: migrations first)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, app, name, applied FROM django_migrations WHERE app = 'reports' "
                       "ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
        cursor.execute("DELETE FROM django_migrations WHERE id = %s", [row[0]])
    try:
        status, body = _get("/readyz")
        assert status == 503 and body["checks"]["migrations"] == "failing"
    finally:
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO django_migrations (id, app, name, applied) VALUES (%s, %s, %s, %s)", row)
    assert _get("/readyz")[0] == 200


def test_probes_take_no_post(db):
    assert [Client().post(path).status_code for path in ("/healthz", "/readyz", "/metrics")] == [405, 405, 405]
