"""The served portal under load as people use it: gunicorn on 127.0.0.1 with the deployed settings
(deploy/gunicorn.conf.py: sync workers, one per core and at least two unless --workers says otherwise); at least eight people
of different roles, each with their own session, reading the dashboard, the review queue and their
workspaces (16 connections, each pausing between pages as a person reading would), while a writer saves
and submits reports through the same server five times a second.

Two wrk processes share the 16 connections: one for the dashboard (its p95 is a budget), one for the
queue and the workspaces. Run by bench/run as `python -m bench.load --out FILE` with the environment of
the database to serve.
"""

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baltmet.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from cities.models import Membership, Role  # noqa: E402
from reports import workflow  # noqa: E402
from reports.models import ProgressReport  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "var" / "bench"
THINK_MS = (100, 400)
WRITES_PER_SECOND = 5


def session_cookie(user) -> str:
    """A logged-in session cookie, made the way the test client logs in (no password needed)."""
    from testing.twofactor import pass_second_factor

    client = Client()
    client.force_login(user)
    pass_second_factor(client, user)  # the Secretariat's session has passed its second factor
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port, timeout=30):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            return True
        except OSError:
            time.sleep(0.2)
    return False


def people() -> dict:
    """The readers: two Secretariat members and the Chair on the dashboard; a Secretariat member on the
    queue; delegates, Mayors and an observer of three cities on their workspaces."""
    def first(role, **filters):
        return [m.user for m in Membership.objects.filter(role=role, user__is_active=True, **filters)
                .select_related("user", "city").order_by("user_id")]

    secretariat, chairs = first(Role.SECRETARIAT), first(Role.CHAIR)
    dashboard = secretariat[:2] + chairs[:1]
    others = [("queue", reverse("dashboard:queue"), secretariat[-1])]
    for role in (Role.DELEGATE, Role.MAYOR, Role.OBSERVER):
        seen = set()
        for membership in Membership.objects.filter(role=role, user__is_active=True).select_related(
                "user", "city").order_by("city__name", "user_id"):
            if membership.city_id in seen or len(seen) >= (3 if role == Role.DELEGATE else 2):
                continue
            seen.add(membership.city_id)
            others.append((f"{role} workspace", reverse("reports:workspace", args=[membership.city.slug]),
                           membership.user))
    return {"dashboard": [("dashboard", reverse("dashboard:home"), person) for person in dashboard],
            "others": others}


def requests_file(name, entries) -> Path:
    path = WORK / f"load-{name}.txt"
    path.write_text("".join(f"{url}\t{session_cookie(person)}\n" for _label, url, person in entries))
    return path


def run_wrk(base, file: Path, *, seconds, connections, think=THINK_MS) -> dict:
    completed = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds}s", "--timeout", "10s", "-s",
         str(ROOT / "bench/wrk_people.lua"), base, "--", str(file), str(think[0]), str(think[1])],
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


class Writer(threading.Thread):
    """Delegates at work, five saves a second: each save opens one of their city's open reports and saves
    it (every fifth submits it), through the server like a browser (session, CSRF token, the form's
    version). The saves are started on a clock, not one after the other: a save that waits for the
    server does not delay the next one (a busy portal does not make people type slower), so the rate
    kept says whether the server keeps up with five a second. A report is never saved twice at once.
    Any answer but the redirect after a save counts as an error."""

    MAX_IN_FLIGHT = 16  # beyond that the server is not keeping up: the clock waits rather than piling on

    def __init__(self, base, reports, stop):
        super().__init__(daemon=True)
        self.base, self.reports, self.stop = base, reports, stop
        self.done = self.errors = 0
        self.details = []
        self.latencies_ms = []
        self.elapsed = 0.0
        self._lock = threading.Lock()
        # Every delegate's session before the clock starts, in the main thread (it writes to the
        # database); the saves' threads only speak HTTP.
        self._openers = {}
        for _report_id, person in reports:
            if person.pk not in self._openers:
                self._openers[person.pk] = self._opener(person)

    def _opener(self, person):
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
        name, value = session_cookie(person).split("=", 1)
        jar.set_cookie(http.cookiejar.Cookie(0, name, value, None, False, "127.0.0.1", False, False, "/", True,
                                             False, None, False, None, None, {}))
        return opener

    def write(self, opener, report_id, submit):
        url = f"{self.base}/reports/{report_id}/"
        with opener.open(url, timeout=30) as response:
            page = response.read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        version = re.search(r'name="version" value="(\d+)"', page)
        if not (token and version):
            raise RuntimeError(f"report {report_id} is no longer editable")
        data = urllib.parse.urlencode({
            "csrfmiddlewaretoken": token.group(1), "version": version.group(1), "delivery_status": "on_track",
            "summary": f"Progress written under load at {time.time():.3f}.", "next_steps": "More.",
            "action": "submit" if submit else "save",
        }).encode()
        request = urllib.request.Request(url, data=data, headers={"Referer": url})
        try:
            opener.open(request, timeout=30).close()
        except urllib.error.HTTPError as error:
            if error.code != 302:
                raise RuntimeError(f"the save answered {error.code}") from None

    def _one(self, item, submit, slots, waiting):
        report_id, person = item
        begin = time.monotonic()
        try:
            self.write(self._openers[person.pk], report_id, submit)
            with self._lock:
                self.done += 1
                self.latencies_ms.append((time.monotonic() - begin) * 1000)
        except Exception as error:  # counted, and shown with the figures
            with self._lock:
                self.errors += 1
                self.details.append(str(error)[:200])
        finally:
            if not submit:
                waiting.append(item)  # saved, not submitted: it may be saved again later
            slots.release()

    def run(self):
        from collections import deque

        waiting = deque(self.reports)
        slots = threading.BoundedSemaphore(self.MAX_IN_FLIGHT)
        threads = []
        began, n = time.monotonic(), 0
        while not self.stop.is_set():
            slots.acquire()
            try:
                item = waiting.popleft()
            except IndexError:
                slots.release()
                break
            submit = n % WRITES_PER_SECOND == WRITES_PER_SECOND - 1
            thread = threading.Thread(target=self._one, args=(item, submit, slots, waiting), daemon=True)
            thread.start()
            threads.append(thread)
            n += 1
            time.sleep(max(0.0, began + n / WRITES_PER_SECOND - time.monotonic()))
        for thread in threads:
            thread.join(timeout=30)
        self.elapsed = time.monotonic() - began  # until the last save answered

    def figures(self) -> dict:
        latencies = sorted(self.latencies_ms)
        p95 = latencies[min(len(latencies) - 1, round(0.95 * (len(latencies) - 1)))] if latencies else None
        return {"writes": self.done, "errors": self.errors,
                "rate": round(self.done / self.elapsed, 1) if self.elapsed else 0,
                "p95_ms": round(p95, 1) if p95 is not None else None, "error_detail": self.details[:5]}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def open_reports(limit=400):
    """Reports the writer can save: drafts and returned reports in open periods, with their city's delegate."""
    delegates = {m.city_id: m.user for m in Membership.objects.filter(role=Role.DELEGATE, user__is_active=True)
                 .select_related("user").order_by("-user_id")}
    found = []
    for report_id, city_id in (ProgressReport.objects.filter(state__in=workflow.EDITABLE, period__is_closed=False,
                                                             city_id__in=list(delegates))
                               .order_by("-period__start", "pk").values_list("pk", "city_id")[:limit]):
        found.append((report_id, delegates[city_id]))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--out", required=True)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--workers", type=int, default=None,
                        help="gunicorn workers (default: as deployed, WEB_CONCURRENCY or one per core, at least two)")
    options = parser.parse_args()
    if options.workers is None:  # what deploy/gunicorn.conf.py chooses
        options.workers = int(os.environ.get("WEB_CONCURRENCY", max(2, os.cpu_count() or 1)))
    WORK.mkdir(parents=True, exist_ok=True)
    result = {"workers": options.workers, "connections": options.connections, "seconds": options.seconds,
              "think_ms": list(THINK_MS), "targets": []}
    if shutil.which("wrk") is None:
        result.update(available=False, reason="wrk is not installed")
        Path(options.out).write_text(json.dumps(result, indent=2))
        return
    readers = people()
    everyone = readers["dashboard"] + readers["others"]
    result["people"] = len({person.pk for _label, _url, person in everyone})
    result["roles"] = sorted({label for label, _url, _person in everyone})
    files = {"dashboard": requests_file("dashboard", readers["dashboard"]),
             "queue and workspaces": requests_file("others", readers["others"])}
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "baltmet.wsgi:application",
         "--config", str(ROOT / "deploy" / "gunicorn.conf.py"), "--workers", str(options.workers),
         "--bind", f"127.0.0.1:{port}", "--log-level", "warning"],
        cwd=ROOT, env={**os.environ, "DJANGO_SETTINGS_MODULE": "baltmet.settings"}, start_new_session=True,
        stderr=open(WORK / "gunicorn.log", "w"),
    )
    try:
        if not wait_for(port):
            result.update(available=False, reason="gunicorn did not start (see var/bench/gunicorn.log)")
            return
        result["available"] = True
        for name, file in files.items():  # warm both workers on every page
            run_wrk(base, file, seconds=2, connections=4, think=(0, 0))
        stop = threading.Event()
        writer = Writer(base, open_reports(), stop)
        half = options.connections // 2
        outcomes = {}

        def load(name, connections):
            outcomes[name] = run_wrk(base, files[name], seconds=options.seconds, connections=connections)

        threads = [threading.Thread(target=load, args=("dashboard", half)),
                   threading.Thread(target=load, args=("queue and workspaces", options.connections - half))]
        result["load_average_before"] = os.getloadavg()  # the machine's other work, for reading the figures
        writer.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stop.set()
        writer.join(timeout=30)
        result["load_average_after"] = os.getloadavg()
        result["targets"] = [{"name": name, **figures} for name, figures in outcomes.items()]
        result["writer"] = writer.figures()
        result["errors"] = sum(t.get("errors", 1) for t in result["targets"]) + writer.errors
        # For information: how many pages a second the workers serve with nobody pausing.
        result["saturation"] = [{"name": "dashboard", **run_wrk(base, files["dashboard"], seconds=10,
                                                                connections=options.connections, think=(0, 0))}]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
        Path(options.out).write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
