"""The production shape, on this machine, with real parts: nginx (Debian's) terminating TLS with a
throw-away certificate in front of two gunicorn instances, two Celery workers and one beat, PostgreSQL
and Redis, DEBUG=0, static files from collectstatic, BEHIND_PROXY=1 — every process started from the
unit files and the nginx site shipped in deploy/.

A delegate and the Secretariat go through their work over https:// on the proxy; one gunicorn instance
is killed in the middle and nobody sees an error; one worker is killed while it sends the digests and
every Mayor still gets exactly one.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.contrib.auth.hashers import make_password
from django_otp.plugins.otp_totp.models import TOTPDevice

from conftest import port_open, service_required
from testing.services import SmtpServer, _database_url, _redis_url, free_port
from testing.twofactor import authenticator_for, code_now

from .stack import ROOT, Browser, Service, Unit, nginx_service, nginx_site, socket_owner, throwaway_certificate, \
    wait_until

PASSWORD = "stack-journey-password"
SYSTEMD = ROOT / "deploy" / "systemd"
ENV_FILE = "/etc/baltmet/baltmet.env"
METRICS_TOKEN = "stack-metrics-token"


class TrackingSmtp(SmtpServer):
    """The SMTP sink, knowing which client connections are inside a transaction not yet sent."""

    def __init__(self):
        super().__init__()
        self.open_peers = set()

    async def handle_MAIL(self, server, session, envelope, address, mail_options):
        with self._lock:
            self.open_peers.add(session.peer[1])
        return await super().handle_MAIL(server, session, envelope, address, mail_options)

    async def handle_DATA(self, server, session, envelope):
        with self._lock:
            self.open_peers.discard(session.peer[1])
        return await super().handle_DATA(server, session, envelope)


def _plain_get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=5) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()
    except OSError:
        return None, ""


@pytest.fixture
def stack_tools():
    if not (shutil.which("nginx") or os.path.exists("/usr/sbin/nginx")):
        service_required("nginx", "nginx is not installed (apt-get install nginx)")
    if not shutil.which("openssl"):
        service_required("openssl", "openssl is not installed")


@pytest.fixture
def people(assigned, periods, cities, alice, secretariat, mayor):
    from cities.models import Role
    from cities.services import membership_grant
    from cities.tests.factories import UserFactory

    mayors = [mayor]
    for slug in ("tallinn", "helsinki", "stockholm", "berlin", "vilnius"):
        other = UserFactory(username=f"mayor.{slug}")
        membership_grant(user=other, role=Role.MAYOR, city=cities[slug])
        mayors.append(other)
    for person in [alice, secretariat, *mayors]:
        person.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
        person.save()
    authenticator_for(secretariat)  # the Secretariat signs in with a second factor
    return {"alice": alice, "sara": secretariat, "mayors": mayors}


@pytest.mark.django_db(transaction=True)
def test_the_production_stack_carries_the_journey_through_a_lost_web_instance_and_a_lost_worker(
    stack_tools, postgres, redis_broker, people, assigned, periods, tmp_path,
):
    from django_celery_beat.models import PeriodicTask
    from django.utils import timezone

    from baltmet import schedules
    from notifications.models import OutboxMessage
    from reports.models import ProgressReport

    redis_url = _redis_url()
    mail = TrackingSmtp()
    mail.delay = 0.4  # slow enough to kill a worker inside a transaction
    mail.start()
    redis_broker.delete("baltmet:metrics:task_outcomes")

    https_port, http_port, web_ports = free_port(), free_port(), (free_port(), free_port())
    site_url = f"https://localhost:{https_port}"
    for name in ("static", "media", "run", "logs", "nginx", "tls"):
        (tmp_path / name).mkdir()
    production = {  # /etc/baltmet/baltmet.env of this installation
        "DEBUG": "0", "SECRET_KEY": "stack-test-" + "x" * 50, "ALLOWED_HOSTS": "localhost",
        "SITE_URL": site_url, "CSRF_TRUSTED_ORIGINS": site_url, "BEHIND_PROXY": "1",
        "DATABASE_URL": _database_url(), "REDIS_URL": redis_url, "CACHE_URL": redis_url,
        "EMAIL_URL": mail.email_url, "STATIC_ROOT": str(tmp_path / "static"), "MEDIA_ROOT": str(tmp_path / "media"),
        "METRICS_TOKEN": METRICS_TOKEN, "LOG_LEVEL": "INFO", "WEB_CONCURRENCY": "2", "CELERY_CONCURRENCY": "1",
        # A dead worker's task goes to the other one after 6 s (production: an hour, README).
        "CELERY_VISIBILITY_TIMEOUT": "6", "CELERY_UNACKED_RESTORE_INTERVAL": "1", "CELERY_UNACKED_RESTORE_THROTTLE": "1",
    }
    base_env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_ALLOW", "PYTEST"))}
    base_env.update({"PYTHONPATH": str(ROOT), "DJANGO_SETTINGS_MODULE": "baltmet.settings"})
    paths = {"/srv/baltmet/app/.venv/bin/": f"{Path(sys.executable).parent}/", "/srv/baltmet/app": str(ROOT),
             "/run/": f"{tmp_path / 'run'}/"}

    def service(unit, instance, name):
        argv, env, cwd = Unit(SYSTEMD / unit).command(instance=instance, paths=paths, env_files={ENV_FILE: production},
                                                       base_env=base_env)
        return Service(name, argv, env, cwd, tmp_path / "logs" / f"{name}.log")

    collected = subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT,
                               env={**base_env, **production}, capture_output=True, text=True)
    assert collected.returncode == 0, collected.stderr

    # Beat's sweep is due at once, so its first tick comes as it starts.
    schedules.ensure()
    PeriodicTask.objects.filter(task="notifications.tasks.sweep_outbox").update(
        last_run_at=timezone.now() - timezone.timedelta(minutes=10))

    cafile = throwaway_certificate(tmp_path / "tls")
    webs = [service("baltmet-web@.service", str(port), f"web-{port}") for port in web_ports]
    workers = [service("baltmet-worker@.service", str(n), f"worker-{n}") for n in (1, 2)]
    beat = service("baltmet-beat.service", "", "beat")
    nginx = nginx_service(tmp_path / "nginx", nginx_site({
        "portal.baltmet.org": "localhost",
        "listen 443": f"listen 127.0.0.1:{https_port}",
        "listen 80": f"listen 127.0.0.1:{http_port}",
        "server 127.0.0.1:8001": f"server 127.0.0.1:{web_ports[0]}",
        "server 127.0.0.1:8002": f"server 127.0.0.1:{web_ports[1]}",
        "/etc/ssl/baltmet/": f"{tmp_path / 'tls'}/",
        "/srv/baltmet/static/": f"{tmp_path / 'static'}/",
        "/var/log/nginx/": f"{tmp_path / 'logs'}/",
    }))
    everything = [*webs, *workers, beat, nginx]
    try:
        for process in everything:
            process.start()
        for port in web_ports:
            wait_until(lambda: _plain_get(f"http://127.0.0.1:{port}/readyz")[0] == 200, timeout=60,
                       message=f"gunicorn on {port} to be ready")
        browser = Browser(site_url, cafile)
        wait_until(lambda: port_open("127.0.0.1", https_port), timeout=20, message="nginx")
        assert json.loads(browser.get("/healthz")) == {"status": "ok"}
        # Asked by address or by any other name, nginx does not answer at all.
        assert _plain_get(f"http://127.0.0.1:{http_port}/healthz") == (None, "")

        # Plain HTTP is sent to HTTPS; the proxy passes the portal's security headers on.
        assert _redirect_of(f"http://127.0.0.1:{http_port}/accounts/login/", "localhost") == \
            "https://localhost/accounts/login/"
        login_page = browser.get("/")
        assert browser.last_url == site_url + "/accounts/login/?next=/workspace/"
        assert "max-age=31536000" in browser.last_headers["Strict-Transport-Security"]

        # Static files: hashed names from collectstatic, served by nginx and kept by browsers.
        stylesheet = re.search(r'href="(/static/css/portal\.[0-9a-f]{12}\.css)"', login_page).group(1)
        css = browser.get(stylesheet)
        assert css == (tmp_path / stylesheet.removeprefix("/")).read_text()
        assert "immutable" in browser.last_headers["Cache-Control"]

        # The delegate writes and saves a draft.
        _log_in(browser, "alice")
        point, period = assigned["1.3"], periods["2011 H1"]
        new_report = f"/reports/new/{point.pk}/{period.pk}/"
        form = browser.get(new_report)
        browser.post_form(new_report, {"delivery_status": "on_track", "summary": "Tender for the bike lanes published.",
                                       "next_steps": "Choose the contractor.", "version": _version(form),
                                       "action": "save"}, form_page=form)
        report_path = re.search(r"/reports/\d+/$", browser.last_url).group(0)
        assert browser.cookie("sessionid").secure and browser.cookie("csrftoken").secure

        # One web instance is lost (SIGKILL: no goodbye). The delegate goes on and notices nothing.
        webs[0].kill()
        form = browser.get(report_path)
        browser.post_form(report_path, {"delivery_status": "on_track", "summary": "Tender for the bike lanes published.",
                                        "next_steps": "Choose the contractor.", "version": _version(form),
                                        "action": "submit"}, form_page=form)
        submit_request_id = browser.last_headers["X-Request-ID"]  # of the page after the redirect
        report = ProgressReport.objects.get()
        assert report.state == "submitted"
        _log_out(browser)

        # The Secretariat approves it and sends the Mayors' digests.
        _log_in(browser, "sara")
        review = browser.get(f"/secretariat/reports/{report.pk}/")
        browser.post_form(f"/secretariat/reports/{report.pk}/approve/", {"comment": ""}, form_page=review)
        report.refresh_from_db()
        assert report.state == "approved"
        deliveries = browser.get("/digests/")
        browser.post_form("/digests/send-now/", {}, form_page=deliveries)
        assert browser.last_url == site_url + "/digests/"

        # A worker is lost while it sends: killed inside an SMTP transaction whose message is not sent yet.
        def sending_worker():
            with mail._lock:
                peers = set(mail.open_peers)
            for peer in peers:
                owner = socket_owner(peer, mail.port, workers)
                if owner is not None and OutboxMessage.objects.filter(kind="digest", status="pending").exists():
                    return owner
            return None

        wait_until(lambda: sending_worker() is not None, timeout=60, interval=0.02, message="a worker sending a digest")
        victim = sending_worker()
        victim.kill()
        survivor = next(w for w in workers if w is not victim)
        digests = OutboxMessage.objects.filter(kind="digest")
        assert digests.filter(status="pending").exists(), "the worker was killed before every digest went out"

        wait_until(lambda: not OutboxMessage.objects.exclude(status="sent").exists(), timeout=60,
                   message="every email to be sent")
        to = sorted(str(m["To"]) for m in _digest_mails(mail))
        assert to == sorted(digests.values_list("to", flat=True)), "each digest arrives once"
        assert {m.email for m in people["mayors"]} <= set(to)
        assert len(mail.to(people["sara"].email)) == 1, "the Secretariat is told of the submission once"
        assert len(mail.to(people["alice"].email)) == 1, "the delegate is told of the approval once"

        # Nobody saw an error, and after the kill nginx sent everything to the instance left.
        assert [s for s in browser.seen if s[0] >= 400] == []
        access = [json.loads(line) for line in (tmp_path / "logs" / "baltmet.access.log").read_text().splitlines()]
        assert all(entry["status"] < 500 for entry in access)
        after_kill = access[[i for i, e in enumerate(access) if e["uri"] == report_path and e["method"] == "GET"][0]:]
        assert {e["upstream"].split(", ")[-1] for e in after_kill if e["upstream"]} == {f"127.0.0.1:{web_ports[1]}"}

        # The request id of the submission is in nginx's line, and in the worker's line of its email.
        submit_post = [e for e in access if e["method"] == "POST" and e["uri"] == report_path][-1]
        assert re.fullmatch(r"[0-9a-f]{32}", submit_post["request_id"])
        worker_lines = [json.loads(line) for w in workers for line in w.output().splitlines() if line.startswith("{")]
        assert any(line.get("request_id") == submit_post["request_id"] and "send_message" in line["message"]
                   for line in worker_lines), "the notification's task logs with the submission's request id"
        assert submit_request_id != submit_post["request_id"]  # each request its own

        # Probes and metrics, asked of the instance left directly; metrics are not public through nginx.
        assert _plain_get(f"http://127.0.0.1:{web_ports[1]}/readyz")[0] == 200
        assert _plain_get(f"http://127.0.0.1:{web_ports[0]}/healthz")[0] is None  # the killed one is gone
        status, metrics = _plain_get(f"http://127.0.0.1:{web_ports[1]}/metrics",
                                     {"Authorization": f"Bearer {METRICS_TOKEN}"})
        assert status == 200
        assert re.search(r'baltmet_http_responses_total\{method="POST",status="302",view="reports:report"\} [1-9]',
                         metrics)
        assert f'baltmet_outbox_messages{{kind="digest",status="sent"}} {digests.count()}.0' in metrics
        assert re.search(r'baltmet_celery_tasks_total\{state="SUCCESS",task="notifications.tasks.send_messages"\} '
                         r'[1-9]', metrics)
        assert "baltmet_beat_last_tick_timestamp_seconds" in metrics
        assert _plain_get(f"http://127.0.0.1:{web_ports[1]}/metrics")[0] == 403
        with pytest.raises(AssertionError, match="answered 404"):
            browser.get("/metrics")

        # The worker left and beat are alive, and the command says so; the killed worker is missed by none
        # of the queues, since the other one takes both.
        check = subprocess.run([sys.executable, "manage.py", "check_celery", "--timeout", "3"], cwd=ROOT,
                               env={**base_env, **production}, capture_output=True, text=True)
        assert check.returncode == 0, check.stdout + check.stderr
        assert "workers and beat are alive" in check.stdout
        assert survivor.alive() and beat.alive()
    finally:
        for process in everything:
            process.stop()
        mail.stop()
        if os.environ.get("STACK_TEST_KEEP_LOGS"):
            print(f"logs in {tmp_path / 'logs'}")


def _digest_mails(mail):
    return [m for m in mail.received() if m.get("List-Unsubscribe")]


def _redirect_of(url, host):
    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    opener = urllib.request.build_opener(NoRedirect)
    try:
        opener.open(urllib.request.Request(url, headers={"Host": host}), timeout=5)
    except urllib.error.HTTPError as error:
        assert error.code == 301
        return error.headers["Location"]
    raise AssertionError(f"{url} did not redirect")


def _version(page):
    return re.search(r'name="version" value="(\d*)"', page).group(1)


def _log_in(browser, username):
    page = browser.get("/accounts/login/")
    page = browser.post_form("/accounts/login/", {"username": username, "password": PASSWORD, "next": ""},
                             form_page=page)
    assert "/accounts/login/" not in browser.last_url, f"{username} could not log in"
    if "/accounts/two-factor/code/" in browser.last_url:  # the second step, with the code the app shows now
        device = TOTPDevice.objects.get(user__username=username, confirmed=True)
        address = urllib.parse.urlsplit(browser.last_url)
        page = browser.post_form(f"{address.path}?{address.query}", {"code": code_now(device)}, form_page=page)
        assert "/two-factor/" not in browser.last_url, f"{username} could not pass the second factor"
    return page


def _log_out(browser):
    page = browser.get("/workspace/") if "csrfmiddlewaretoken" not in browser.last_page else browser.last_page
    browser.post_form("/accounts/logout/", {}, form_page=page)
