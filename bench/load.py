"""The served portal under load: gunicorn with 2 workers on 127.0.0.1 and wrk (16 connections, bounded
time) against the dashboard and the workspace, each with a logged-in session cookie.

Run by bench/run as `python -m bench.load --out FILE` with the environment of the database to serve.
"""

import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baltmet.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from bench.pages import context  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def session_cookie(user) -> str:
    """A logged-in session cookie, made the way the test client logs in (no password needed)."""
    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def get(url, cookie):
    opener = urllib.request.build_opener(NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers={"Cookie": cookie}), timeout=30) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def wait_for(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.2)
    return False


def run_wrk(url, cookie, *, seconds, connections) -> dict:
    completed = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s",
         "-s", str(ROOT / "bench/wrk_report.lua"),
         "-H", f"Cookie: {cookie}", url],
        capture_output=True, text=True, timeout=seconds + 60,
    )
    line = next((ln for ln in completed.stdout.splitlines() if ln.startswith("JSON ")), None)
    if line is None:
        return {"error": f"wrk gave no figures: {completed.stdout[-500:]} {completed.stderr[-500:]}"}
    raw = json.loads(line[5:])
    errors = sum(raw[k] for k in ("connect_errors", "read_errors", "write_errors", "status_errors", "timeouts"))
    return {
        "requests": raw["requests"], "rps": round(raw["requests"] / (raw["duration_us"] / 1e6), 1),
        "p50_ms": round(raw["p50_us"] / 1000, 1), "p95_ms": round(raw["p95_us"] / 1000, 1),
        "p99_ms": round(raw["p99_us"] / 1000, 1), "max_ms": round(raw["max_us"] / 1000, 1),
        "errors": errors, "error_detail": {k: raw[k] for k in raw if k.endswith("errors") or k == "timeouts"},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seconds", type=int, default=25, help="Per target; both together stay within 60 s.")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    options = parser.parse_args()
    result = {"workers": options.workers, "connections": options.connections, "seconds": options.seconds,
              "targets": []}
    if shutil.which("wrk") is None:
        result.update(available=False, reason="wrk is not installed")
        Path(options.out).write_text(json.dumps(result, indent=2))
        return
    ctx = context()
    targets = [
        ("dashboard", reverse("dashboard:home"), ctx.people["secretariat"]),
        ("delegate workspace", reverse("reports:workspace", args=[ctx.city.slug]), ctx.people["delegate"]),
    ]
    port = free_port()
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "baltmet.wsgi:application", "--workers", str(options.workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "baltmet.settings"}, start_new_session=True,
        stderr=open(ROOT / "var/bench/gunicorn.log", "w"),
    )
    try:
        if not wait_for(port):
            result.update(available=False, reason="gunicorn did not start (see var/bench/gunicorn.log)")
            return
        result["available"] = True
        for name, path, user in targets:
            url, cookie = f"http://127.0.0.1:{port}{path}", session_cookie(user)
            statuses = {get(url, cookie) for _ in range(4 * options.workers)}  # warm both workers
            entry = {"name": name, "path": path, "who": user.username, "warmup_statuses": sorted(statuses)}
            if statuses != {200}:
                entry["error"] = f"the page answered {sorted(statuses)} before the load, not 200"
            else:
                entry.update(run_wrk(url, cookie, seconds=options.seconds, connections=options.connections))
            result["targets"].append(entry)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        Path(options.out).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
