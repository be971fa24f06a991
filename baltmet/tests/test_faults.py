"""Faults a production portal meets: the broker gone, the database restarted, a save cut short."""

import os
import shutil
import signal
import subprocess
import sys
import textwrap
import urllib.request
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.urls import reverse

from baltmet.celery import app as celery_app
from baltmet.settings import caches_for
from conftest import service_required
from notifications.models import OutboxMessage
from testing.services import SmtpServer, _database_url, free_port, wait_for
from testing.twofactor import authenticator_for, code_now

ROOT = Path(__file__).resolve().parents[2]


def _env(**extra):
    return {**os.environ, "DATABASE_URL": _database_url(), "CONN_MAX_AGE": "0", "DEBUG": "1",
            "SECRET_KEY": "fault-tests", "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING", **extra}


class PrivateRedis:
    """A Redis server of this test's own, so stopping it disturbs nothing else."""

    def __init__(self):
        if not shutil.which("redis-server"):
            service_required("Redis", "redis-server is not installed")
        self.port = free_port()
        self.process = None

    @property
    def url(self):
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        import redis

        wait_for(lambda: _pings(redis.Redis.from_url(self.url)), message="the private Redis")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)


def _pings(client):
    try:
        return client.ping()
    except Exception:
        return False


@pytest.mark.django_db(transaction=True)
def test_with_redis_stopped_a_delegate_still_submits_and_the_email_follows_when_it_returns(
    postgres, use_broker, riga_report, alice, secretariat, client_for,
):
    redis = PrivateRedis()
    mail = SmtpServer()
    mail.start()
    use_broker(redis.url)  # Redis is not running yet: "stopped"
    try:
        response = client_for(alice).post(reverse("reports:report", args=[riga_report.pk]), {
            "delivery_status": "on_track", "summary": "Submitted while the broker is down.", "next_steps": "",
            "version": riga_report.version, "action": "submit",
        })
        assert response.status_code == 302
        riga_report.refresh_from_db()
        assert riga_report.state == "submitted"
        assert OutboxMessage.objects.get().sent_at is None

        # Redis comes back; beat's next sweep (queued here as beat would) reaches a real worker.
        redis.start()
        OutboxMessage.objects.update(created="2000-01-01T00:00Z")
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "baltmet", "worker", "--pool", "solo", "--loglevel", "WARNING",
             "--without-gossip", "--without-mingle", "-n", "faults@%h"],
            cwd=ROOT, env=_env(REDIS_URL=redis.url, EMAIL_URL=mail.email_url), start_new_session=True,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            use_broker(redis.url)
            celery_app.send_task("notifications.tasks.sweep_outbox")
            wait_for(lambda: mail.to(secretariat.email), timeout=60, message="the Secretariat's email")
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=20)
        assert OutboxMessage.objects.get().sent_at is not None
        assert len(mail.to(secretariat.email)) == 1
    finally:
        redis.stop()
        mail.stop()


@pytest.mark.django_db(transaction=True)
def test_with_the_caches_redis_killed_people_still_log_in_read_and_save(
    postgres, riga_report, alice, secretariat, settings, caplog,
):
    """The cache only saves work: a real Redis as the cache, killed mid-session, and the portal goes on."""
    redis = PrivateRedis()
    redis.start()
    settings.CACHES = caches_for(redis.url)  # as production sets it from CACHE_URL
    report_url = reverse("reports:report", args=[riga_report.pk])

    def work(person, summary):
        browser = Client()
        login = browser.post(reverse("login"), {"username": person.username, "password": "password"})
        assert login.status_code == 302, "the login page refused a right password"
        pages = [reverse("reports:workspace", args=["riga"]), report_url, reverse("actions:action_point",
                 args=[riga_report.action_point_id])]
        assert [browser.get(url).status_code for url in pages] == [200, 200, 200]
        riga_report.refresh_from_db()
        saved = browser.post(report_url, {"delivery_status": "on_track", "summary": summary, "next_steps": "",
                                          "version": riga_report.version, "action": "save"})
        assert saved.status_code == 302
        riga_report.refresh_from_db()
        assert riga_report.summary == summary
        assert browser.post(reverse("logout")).status_code == 302

    try:
        work(alice, "Saved while the cache runs.")
        redis.stop()  # SIGKILL: the cache's server is gone
        caplog.clear()
        work(alice, "Saved with the cache down.")
        browser = Client()
        device = authenticator_for(secretariat)
        browser.post(reverse("login"), {"username": secretariat.username, "password": "password"})
        browser.post(reverse("twofactor:verify"), {"code": code_now(device)})  # the Secretariat's second factor
        assert browser.get(reverse("dashboard:home")).status_code == 200
        # Whatever uses the cache finds it empty, and the log says so in one line.
        cache.set("anything", "kept")
        assert cache.get("anything") is None
    finally:
        redis.stop()
    cache_lines = [r for r in caplog.records if r.name.startswith("django_redis")]
    assert cache_lines, "an unreachable cache is logged"
    assert all(r.exc_info is None and "ConnectionError" in r.getMessage() for r in cache_lines)


@pytest.mark.django_db(transaction=True)
def test_a_save_cut_short_leaves_the_old_version_whole(postgres, riga_report, alice):
    """A process killed between writing a report and committing: the database keeps the old version,
    report and history alike, never a mix."""
    before = (riga_report.summary, riga_report.version, riga_report.history.count())
    script = textwrap.dedent(f"""
        import django, sys, time
        django.setup()
        from django.db import transaction
        from accounts.models import User
        from reports import services
        from reports.models import ProgressReport
        report = ProgressReport.objects.get(pk={riga_report.pk})
        with transaction.atomic():
            services.report_update(report=report, version=report.version, user=User.objects.get(pk={alice.pk}),
                                   data={{"delivery_status": "delayed", "summary": "Half-written", "next_steps": "x"}})
            print("written", flush=True)
            time.sleep(60)
    """)
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT, env={**_env(), "DJANGO_SETTINGS_MODULE": "baltmet.settings"},
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "written"
    child.kill()
    child.wait(timeout=10)

    riga_report.refresh_from_db()
    assert (riga_report.summary, riga_report.version, riga_report.history.count()) == before
    assert riga_report.delivery_status == "not_started"


@pytest.mark.django_db(transaction=True)
def test_after_a_database_restart_the_next_requests_recover(postgres, plan, alice):
    """The app keeps connections open (CONN_MAX_AGE); after PostgreSQL restarts they are dead, and
    health checks must replace them without restarting the app."""
    if os.environ.get("CI") != "true" and os.environ.get("FAULT_TESTS_RESTART_POSTGRES") != "1":
        pytest.skip("restarts the machine's PostgreSQL: runs in CI (CI=true) or with FAULT_TESTS_RESTART_POSTGRES=1")
    versions = os.listdir("/etc/postgresql") if os.path.isdir("/etc/postgresql") else []
    if not versions or not shutil.which("pg_ctlcluster"):
        service_required("pg_ctlcluster", "this is not a Debian PostgreSQL cluster the test can restart")
    from django.contrib.auth.hashers import make_password

    alice.password = make_password("password", hasher="pbkdf2_sha256")
    alice.save()
    port = free_port()
    env = _env(CONN_MAX_AGE="600", SITE_URL=f"http://127.0.0.1:{port}")
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "baltmet.wsgi", "-b", f"127.0.0.1:{port}", "-w", "1"],
                              cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(lambda: _status(base + "/accounts/login/") == 200, timeout=30, message="gunicorn")
        assert _status(base + "/accounts/login/") == 200

        connection.close()
        subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", versions[0], "main", "restart"],
                       check=True, timeout=120)
        wait_for(lambda: subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"]).returncode == 0, timeout=60,
                 message="PostgreSQL back")

        statuses = [_status(base + "/accounts/login/") for _ in range(3)]
        assert statuses == [200, 200, 200]
    finally:
        server.terminate()
        server.wait(timeout=20)


def _status(url):
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None
