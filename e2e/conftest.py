"""End-to-end fixtures: the portal served by a real server process, a real Celery worker process,
a real SMTP server, and Debian's Chromium driven by Playwright.

These tests run on PostgreSQL (the server and worker processes share the test database) and need
Redis, /usr/bin/chromium (`apt-get install chromium`) and axe-core (`npm ci`). Missing pieces skip
the tests with the reason, or fail them under REQUIRE_SERVICES=1.
"""

import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from conftest import service_required
from testing.services import SmtpServer, _database_url, _redis_url, free_port

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = ROOT / "test-artifacts"
PASSWORD = "password"  # what cities.tests.factories.UserFactory gives everyone
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 375, "height": 812}}


@pytest.fixture(autouse=True, scope="session")
def _orm_beside_playwright():
    # Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make are
    # still ordinary blocking calls, which Django would otherwise refuse.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def browser(django_db_setup):
    if not CHROMIUM.exists():
        service_required("Chromium", "/usr/bin/chromium is missing (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        service_required("Playwright", "the playwright package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def mail_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def mailbox(mail_server):
    """The SMTP server, emptied of earlier tests' messages."""
    with mail_server._lock:
        mail_server.messages.clear()
    return mail_server


@pytest.fixture(scope="session")
def portal(django_db_setup, django_db_blocker, mail_server):
    """`manage.py runserver` and `celery worker` processes on the test database. Yields the base URL."""
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("the end-to-end tests share the test database with server processes only on PostgreSQL")
    redis_url = _redis_url()
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}, "DATABASE_URL": _database_url(), "CONN_MAX_AGE": "0", "REDIS_URL": redis_url,
        "DEBUG": "1", "SECRET_KEY": "e2e-secret", "SITE_URL": base_url, "EMAIL_URL": mail_server.email_url,
        "MEDIA_ROOT": str(ARTIFACTS / "media"), "PYTHONPATH": str(ROOT), "LOG_LEVEL": "WARNING",
    }
    logs = ARTIFACTS / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    processes = [
        subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload", "--nothreading"],
                         cwd=ROOT, env=env, stdout=open(logs / "server.log", "w"), stderr=subprocess.STDOUT),
        subprocess.Popen([sys.executable, "-m", "celery", "-A", "baltmet", "worker", "--pool", "solo",
                          "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "-n", "e2e@%h"],
                         cwd=ROOT, env=env, stdout=open(logs / "worker.log", "w"), stderr=subprocess.STDOUT),
    ]
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(base_url + "/accounts/login/", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or processes[0].poll() is not None:
                for process in processes:
                    process.kill()
                pytest.fail("the portal server did not start; see test-artifacts/logs/server.log")
            time.sleep(0.3)
    yield base_url
    for process in processes:
        process.terminate()
    for process in processes:
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()


def _page(request, browser, portal, viewport, **options):
    context = browser.new_context(viewport=VIEWPORTS[viewport], base_url=portal, **options)
    context.set_default_timeout(15000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(exist_ok=True)
        name = "".join(c if c.isalnum() or c in "-_" else "_" for c in request.node.name)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture(params=list(VIEWPORTS))
def page(request, browser, portal, transactional_db):
    """A fresh browser page, at desktop and at phone width; a failing test leaves a screenshot."""
    yield from _page(request, browser, portal, request.param)


@pytest.fixture(params=list(VIEWPORTS))
def audit_page(request, browser, portal, transactional_db):
    """A page whose context lets the test inject axe-core past the portal's Content Security Policy."""
    if not AXE.exists():
        service_required("axe-core", "node_modules/axe-core is missing (run npm ci)")
    yield from _page(request, browser, portal, request.param, bypass_csp=True)


@pytest.fixture
def axe_violations():
    """Run axe-core's WCAG 2.1 A/AA rules on the page as it is now; returns the violations."""
    source = AXE.read_text(encoding="utf-8") if AXE.exists() else ""

    def check(page):
        page.add_script_tag(content=source)
        result = page.evaluate(
            """() => axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}})
                 .then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                                   nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))})))"""
        )
        return result

    return check


def log_in(page, username, password=PASSWORD):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password

    # The server process knows only production hashers, not the tests' fast one.
    get_user_model().objects.filter(username=username).update(password=make_password(password, hasher="pbkdf2_sha256"))
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    if "/accounts/two-factor/code/" in page.url:
        enter_code(page, username)
    elif "/accounts/two-factor/set-up/" in page.url:
        set_up_authenticator(page, password)


def set_up_authenticator(page, password=PASSWORD):
    """What a Secretariat member does at their first sign-in: type the key shown into an authenticator
    app (here: django-otp's own TOTP, fed the key read off the page), enter the code it shows."""
    from base64 import b32decode

    from django_otp.oath import TOTP

    key = page.locator("main code").first.inner_text().replace(" ", "")
    page.get_by_label("Code from the app").fill(f"{TOTP(b32decode(key)).token():06d}")
    page.get_by_label("Your password").fill(password)
    page.get_by_role("button", name="Turn on").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="I have kept them: continue").click()
    page.wait_for_load_state()


def enter_code(page, username):
    """The second step, as a person with an authenticator app does it: the code the app shows now,
    computed here from the device's key (testing/twofactor.py)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from testing.twofactor import code_now

    device = TOTPDevice.objects.get(user__username=username, confirmed=True)
    page.get_by_label("Code").fill(code_now(device))
    page.get_by_role("button", name="Continue").click()
    page.wait_for_load_state()
