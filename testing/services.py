"""Real services for tests: an SMTP server (aiosmtpd) on a free localhost port, a Celery worker
thread against Redis (celery.contrib.testing), and Celery worker processes that a test may kill.

Tests using Redis skip without it, and fail under REQUIRE_SERVICES=1 (see conftest.service_required).
Worker threads and processes read the database through their own connections, so tests using them
need committed data: `@pytest.mark.django_db(transaction=True)`.
"""

import asyncio
import email
import email.policy
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlparse

import pytest
from django.conf import settings

from conftest import port_open, service_required

BASE_DIR = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(condition, *, timeout: float = 20, interval: float = 0.05, message: str = "condition"):
    """Poll until `condition()` is true; fail the test with `message` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(interval)
    pytest.fail(f"Timed out after {timeout}s waiting for {message}")


class SmtpServer:
    """An aiosmtpd server recording what it accepts. `refuse` holds addresses answered with 550;
    `delay` slows every transaction down (before the message is sent); stop() and start() take
    it down and bring it back on the same port."""

    def __init__(self):
        self.host = "127.0.0.1"
        self.port = free_port()
        self.messages = []
        self.transactions_started = 0
        self.sessions = set()  # the clients' (address, port): one per SMTP connection
        self.refuse = set()
        self.delay = 0.0
        self._lock = threading.Lock()
        self._controller = None

    # aiosmtpd handler hooks
    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        # The delay comes before the message is sent, so a client killed meanwhile leaves no message.
        with self._lock:
            self.transactions_started += 1
            self.sessions.add(session.peer)
        if self.delay:
            await asyncio.sleep(self.delay)
        envelope.mail_from = address
        envelope.mail_options.extend(mail_options)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = email.message_from_bytes(envelope.original_content or envelope.content, policy=email.policy.default)
        with self._lock:
            self.messages.append(message)
        return "250 Message accepted for delivery"

    def start(self):
        from aiosmtpd.controller import Controller

        self._controller = Controller(self, hostname=self.host, port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    @property
    def running(self):
        return self._controller is not None

    def received(self):
        with self._lock:
            return list(self.messages)

    def waiting_before_data(self) -> bool:
        """A client is inside a transaction whose message has not been sent yet."""
        with self._lock:
            return self.transactions_started > len(self.messages)

    def to(self, address):
        return [m for m in self.received() if address.lower() in str(m["To"]).lower()]

    @property
    def email_url(self):
        return f"smtp://{self.host}:{self.port}"


@pytest.fixture
def smtp_server(settings):
    """A running SMTP server, with Django's email settings pointing at it."""
    try:
        import aiosmtpd  # noqa: F401
    except ImportError:
        service_required("aiosmtpd", "the aiosmtpd package is not installed")
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd logs every SMTP command
    server = SmtpServer()
    server.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = server.host
    settings.EMAIL_PORT = server.port
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_USE_SSL = False
    settings.EMAIL_TIMEOUT = 5
    yield server
    server.stop()


def _redis_url() -> str:
    url = settings.REDIS_URL
    if not url:
        service_required("Redis", "REDIS_URL is not set")
    parsed = urlparse(url)
    if not port_open(parsed.hostname or "127.0.0.1", parsed.port or 6379):
        service_required("Redis", f"nothing listens at {parsed.hostname}:{parsed.port or 6379}")
    return url


@pytest.fixture
def redis_broker():
    """The test's Redis broker, emptied of queued and unacknowledged tasks before and after."""
    import redis

    from baltmet.celery import app

    url = _redis_url()
    client = redis.Redis.from_url(url)

    def empty():
        app.control.purge()
        # kombu keeps delivered-but-unacknowledged tasks here; a previous test's must not come back.
        client.delete("unacked", "unacked_index", "unacked_mutex")

    empty()
    yield client
    empty()
    client.close()


@pytest.fixture
def celery_worker(request, transactional_db, monkeypatch):
    """A real Celery worker (solo pool) in a thread of this process, consuming from Redis."""
    from celery.contrib.testing.worker import start_worker
    from django.db import connection

    from baltmet.celery import app

    if connection.vendor != "postgresql":
        # SQLite's shared in-memory test database locks whole tables between threads.
        pytest.skip("a worker thread shares the test database only on PostgreSQL (run with DATABASE_URL=postgres://…)")
    request.getfixturevalue("redis_broker")
    # The worker thread opens its own connection; close it after each task so the test database
    # can be flushed and dropped.
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 0)
    try:
        with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING",
                          shutdown_timeout=20) as worker:
            yield worker
    finally:
        # The stopped worker leaves the app's connection pool closed; later tests need fresh ones.
        app._pool = None
        app.amqp._producer_pool = None


def _database_url() -> str:
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.skip("worker processes share the test database only on PostgreSQL (run with DATABASE_URL=postgres://…)")
    auth = quote(db.get("USER") or "")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"])
    return f"postgres://{auth}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


class WorkerProcesses:
    """`celery -A baltmet worker` as real processes on the test database; kill() is a SIGKILL."""

    def __init__(self, env):
        self.env = env
        self.processes = []

    def start(self, **extra_env):
        process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "baltmet", "worker", "--pool", "solo", "--loglevel", "WARNING",
             "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"test{len(self.processes)}@%h"],
            cwd=BASE_DIR, env={**self.env, **extra_env}, start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        )
        self.processes.append(process)
        return process

    def kill(self, process):
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)

    def stop_all(self):
        for process in self.processes:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                try:
                    process.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.pid, signal.SIGKILL)
                    process.wait(timeout=5)


@pytest.fixture
def worker_processes(request, transactional_db):
    """Start Celery worker processes on the test database and this test's Redis; all are stopped after."""
    database_url = _database_url()
    request.getfixturevalue("redis_broker")
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "CONN_MAX_AGE": "0",
        "REDIS_URL": settings.REDIS_URL,
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "1",
        "SITE_URL": settings.SITE_URL,
        "PYTHONPATH": str(BASE_DIR),
    }
    workers = WorkerProcesses(env)
    yield workers
    workers.stop_all()
