"""Each main page's SQL query count and server time, built from the database (the portal caches no
page), through Django's test client.

Run by bench/run as `python -m bench.pages --db 1=baltmet_bench_1 --db 10=baltmet_bench_10 --out FILE` with
DJANGO_SETTINGS_MODULE=bench.settings and DATABASE_URL pointing at the first of those databases.
Each page is one entry of PAGES:
a URL name (or a "module:function" called directly) and the person who asks. An entry whose URL name or
function does not exist in this checkout is reported as "not available", never replaced by another.
"""

import argparse
import gc
import importlib
import json
import os
import statistics
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Callable

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402
from django.utils import timezone  # noqa: E402

from actions.models import ActionPlan, ActionPoint  # noqa: E402
from cities.models import City, Membership, Role  # noqa: E402
from reports.models import ProgressReport  # noqa: E402

BENCH_CITY = "riga"


@dataclass
class Entry:
    name: str
    who: str  # "delegate", "mayor" or "secretariat" of the bench context
    url: str | None = None  # URL name, reversed with args(context)
    args: Callable = lambda ctx: []
    call: str | None = None  # "module:function", called with kwargs(context) instead of a request
    kwargs: Callable = lambda ctx: {}
    budget: bool = True  # False for the baseline itself
    query: dict | None = None  # a query string for the URL


def _digest_kwargs(ctx):
    from digests.rendering import DigestFor
    from digests.services import period_key, preferences_url

    until = timezone.now()
    item = DigestFor(recipient=ctx.people["mayor"], frequency="monthly", period_key=period_key(frequency="monthly"),
                     since=until - timedelta(days=31), until=until)
    return {"items": [item], "preferences_url": preferences_url}


PAGES = [
    Entry("trivial view (baseline)", "secretariat", url="bench_trivial", budget=False),
    Entry("delegate workspace", "delegate", url="reports:workspace", args=lambda ctx: [ctx.city.slug]),
    Entry("report page", "delegate", url="reports:report", args=lambda ctx: [ctx.report.pk]),
    Entry("action point page", "delegate", url="actions:action_point", args=lambda ctx: [ctx.point.pk]),
    Entry("dashboard", "secretariat", url="dashboard:home"),
    Entry("review queue", "secretariat", url="dashboard:queue"),
    Entry("benchmarking page", "secretariat", url="indicators:benchmark", args=lambda ctx: [ctx.indicator.pk]),
    Entry("CSV export", "secretariat", url="dashboard:export_csv"),
    Entry("XLSX export", "secretariat", url="dashboard:export_xlsx", budget=False),
    Entry("practices search", "mayor", url="practices:list", query={"q": "city cooperation"}),
    Entry("digest build, one recipient", "mayor", call="digests.rendering:render_digests", kwargs=_digest_kwargs),
]


@dataclass
class Context:
    """The people and objects the pages are asked about: Riga's, in the current plan."""

    city: City
    people: dict
    point: ActionPoint | None = None
    report: ProgressReport | None = None
    indicator: object = None
    notes: list = field(default_factory=list)


def context() -> Context:
    city = City.objects.get(slug=BENCH_CITY)
    people = {}
    for key, role, in_city in (("delegate", Role.DELEGATE, True), ("mayor", Role.MAYOR, True),
                               ("secretariat", Role.SECRETARIAT, False)):
        membership = (Membership.objects.filter(role=role, user__is_active=True, **({"city": city} if in_city else {}))
                      .select_related("user").order_by("user_id").first())
        people[key] = membership.user if membership else None
    plan = ActionPlan.objects.current()
    ctx = Context(city=city, people=people)
    ctx.point = (ActionPoint.objects.for_city(city).filter(focus_area__plan=plan)
                 .order_by("focus_area__number", "sequence").first())
    ctx.report = (ProgressReport.objects.filter(city=city, action_point=ctx.point)
                  .order_by("-period__start").first())
    try:
        from indicators.models import Indicator
    except ImportError:
        pass
    else:
        ctx.indicator = Indicator.objects.order_by("-last_year", "-pk").first()
    return ctx


def _percentile(samples, fraction):
    ordered = sorted(samples)
    index = min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))
    return ordered[index]


def _resolve(entry: Entry, ctx: Context):
    """A zero-argument function doing the measured work once (returns an HTTP status), or a reason why not."""
    if entry.call:
        module_name, function_name = entry.call.split(":")
        try:
            function = getattr(importlib.import_module(module_name), function_name)
        except (ImportError, AttributeError):
            return None, f"{entry.call} does not exist"
        try:
            kwargs = entry.kwargs(ctx)
        except (ImportError, AttributeError) as error:
            return None, f"cannot prepare the call: {error}"
        return (lambda: function(**kwargs) and 200), entry.call
    try:
        url = reverse(entry.url, args=entry.args(ctx))
    except NoReverseMatch:
        return None, f"no URL named {entry.url}"
    except AttributeError as error:  # e.g. no indicator in this database
        return None, f"nothing to show: {error}"
    client = Client()
    client.force_login(ctx.people[entry.who])
    from testing.twofactor import pass_second_factor

    pass_second_factor(client, ctx.people[entry.who])  # the Secretariat's pages need the second factor passed

    def work():
        response = client.get(url, entry.query or {})
        if response.streaming:  # an export: the time is the whole file's
            for _chunk in response.streaming_content:
                pass
        return response.status_code

    return work, url


def use_database(name: str):
    """Point the default connection at another bench database, connected before anything is timed (a
    server keeps its connections: the reconnection is the benchmark's, not the first page's)."""
    connection.close()
    connection.settings_dict["NAME"] = name
    connection.ensure_connection()


def measure_all(databases: dict, *, rounds: int, warmup: int) -> dict:
    """Measure every page at every scale, interleaved: in each round every page is asked once at each
    scale (the scales in alternating order), so that a machine that gets busier or quieter during the
    run affects all pages and both scales alike, and no page gets the warm caches of asking it twice
    in a row."""
    prepared = {}
    for scale, database in databases.items():
        use_database(database)
        ctx = context()
        rows = []
        for entry in PAGES:
            result = {"name": entry.name, "who": entry.who, "budget": entry.budget}
            work, target = _resolve(entry, ctx)
            result["target"], result["available"] = target, work is not None
            if work is not None:
                try:
                    for _ in range(warmup):
                        work()
                    with CaptureQueriesContext(connection) as queries:
                        status = work()
                    result.update(status=status, queries=len(queries))
                except Exception as error:  # shown in the table rather than aborting the benchmark
                    result.update(status=f"error: {type(error).__name__}: {error}")
                    work = None
            rows.append((entry, result, work, []))
        prepared[scale] = {"rows": rows, "data": data_sizes(),
                           "people": {k: (u.username if u else None) for k, u in ctx.people.items()}}
    order = list(databases)
    for round_number in range(rounds):
        for scale in (order if round_number % 2 == 0 else order[::-1]):
            use_database(databases[scale])
            for _entry, result, work, samples in prepared[scale]["rows"]:
                if work is None:
                    continue
                # Each sample starts from a collected heap, so no page pays for another's garbage
                # (the trivial view would otherwise collect the dashboard's).
                gc.collect()
                begin = time.perf_counter()
                work()
                samples.append((time.perf_counter() - begin) * 1000)
    out = {}
    for scale, item in prepared.items():
        pages = []
        for _entry, result, _work, samples in item["rows"]:
            if samples:
                result.update(
                    n=len(samples), median_ms=round(statistics.median(samples), 3),
                    p95_ms=round(_percentile(samples, 0.95), 3), min_ms=round(min(samples), 3),
                )
            pages.append(result)
        out[scale] = {"scale": scale, "database": databases[scale], "data": item["data"], "pages": pages,
                      "people": item["people"], "export_memory": export_memory()}
    return out


def export_memory() -> dict:
    """Peak Python memory while an export is written: the current plan's reports, and every report of
    every plan (at scale 10 some 30 times as many). A streamed export peaks alike for both."""
    import tracemalloc

    from dashboard import exports
    from dashboard.selectors import reports_filtered

    plan = ActionPlan.objects.current()
    result = {}
    for label, reports in (("current plan", reports_filtered(plan=plan)), ("all plans", reports_filtered())):
        count = reports.count()
        for kind, write in (("csv", exports.reports_csv), ("xlsx", exports.reports_xlsx)):
            gc.collect()
            tracemalloc.start()
            size = sum(len(chunk) for chunk in write(reports))
            _current, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            result[f"{kind}, {label}"] = {"reports": count, "bytes": size, "peak_kib": round(peak / 1024)}
    return result


def data_sizes() -> dict:
    sizes = {
        "plans": ActionPlan.objects.count(),
        "action_points": ActionPoint.objects.count(),
        "reports": ProgressReport.objects.count(),
        "report_history_rows": ProgressReport.history.count(),
        "users": get_user_model().objects.count(),
    }
    try:
        from indicators.models import IndicatorValue
        sizes["indicator_values"] = IndicatorValue.objects.count()
    except ImportError:
        pass
    return sizes


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", action="append", required=True, metavar="SCALE=DATABASE",
                        help="A scale and its database, e.g. 1=baltmet_bench_1; give one per scale.")
    parser.add_argument("--out", required=True)
    parser.add_argument("--rounds", type=int, default=25, help="Timed requests per page and scale.")
    parser.add_argument("--warmup", type=int, default=5)
    options = parser.parse_args()
    databases = dict(item.split("=", 1) for item in options.db)
    results = measure_all(databases, rounds=options.rounds, warmup=options.warmup)
    with open(options.out, "w") as out:
        json.dump(results, out, indent=2)


if __name__ == "__main__":
    main()
