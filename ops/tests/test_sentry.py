"""Errors go to Sentry through its SDK when SENTRY_DSN is set — here a local server speaking Sentry's
envelope protocol stands in for sentry.io — and nowhere without it."""

import gzip
import json
import os
import subprocess
import sys
import textwrap
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

FAILING_VIEW = textwrap.dedent("""
    import django
    django.setup()
    import sentry_sdk
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import path

    def boom(request):
        raise RuntimeError("the view broke")

    urlpatterns = [path("boom/", boom)]
    # Sessions in a signed cookie: the gate asks who this is, and this script has no database tables.
    with override_settings(ROOT_URLCONF="__main__", ALLOWED_HOSTS=["testserver"],
                           SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies"):
        status = Client(raise_request_exception=False).get(
            "/boom/", HTTP_X_REQUEST_ID="sentry-req-1", HTTP_COOKIE="sessionid=secret-session").status_code
    print(status, sentry_sdk.get_client().is_active())
    sentry_sdk.flush(5)
""")


class SentryInbox(ThreadingHTTPServer):
    def __init__(self):
        self.envelopes = []
        inbox = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                if self.headers.get("Content-Encoding") == "gzip":
                    body = gzip.decompress(body)
                inbox.envelopes.append((self.path, body.decode()))
                self.send_response(200)
                self.end_headers()
                self.wfile.write(b"{}")

            def log_message(self, *args):
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()


@pytest.fixture
def inbox():
    server = SentryInbox()
    yield server
    server.shutdown()


def _run(**env):
    base = {k: v for k, v in os.environ.items() if k != "SENTRY_DSN"}
    return subprocess.run([sys.executable, "-c", FAILING_VIEW], cwd=ROOT, capture_output=True, text=True, timeout=60,
                          env={**base, "DEBUG": "1", "SECRET_KEY": "sentry-test", "PYTHONPATH": str(ROOT),
                               "LOG_LEVEL": "CRITICAL", "DJANGO_SETTINGS_MODULE": "baltmet.settings", **env})


def test_with_a_dsn_an_error_reaches_sentry_with_its_request_id_and_without_cookies(inbox):
    run = _run(SENTRY_DSN=f"http://publickey@127.0.0.1:{inbox.server_port}/42", SENTRY_ENVIRONMENT="stack-test",
               RELEASE="abc123")
    assert run.stdout.split() == ["500", "True"], run.stderr
    events = [body for path, body in inbox.envelopes if path == "/api/42/envelope/" and '"type":"event"' in
              body.replace(" ", "")]
    assert len(events) == 1, inbox.envelopes
    event = json.loads(events[0].splitlines()[2])
    assert event["exception"]["values"][-1]["value"] == "the view broke"
    assert event["tags"]["request_id"] == "sentry-req-1"
    assert (event["environment"], event["release"]) == ("stack-test", "abc123")
    assert "secret-session" not in events[0]


def test_without_a_dsn_nothing_is_sent(inbox):
    run = _run()
    assert run.stdout.split() == ["500", "False"], run.stderr
    assert inbox.envelopes == []
