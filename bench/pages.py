"""Each main page's SQL query count and server time, through Django's test client, in one database.

Run by bench/run as `python -m bench.pages --scale N --out FILE` with DJANGO_SETTINGS_MODULE=bench.settings
and DATABASE_URL pointing at a database filled by `generate_load_data`. Each page is one entry of PAGES:
a URL name (or a "module:function" called directly) and the person who asks. An entry whose URL name or
function does not exist in this checkout is reported as "not available", never replaced by another.
"""

import argparse
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


def _digest_kwargs(ctx):
    from digests.services import period_key

    until = timezone.now()
    return {"recipient": ctx.people["mayor"], "frequency": "monthly", "since": until - timedelta(days=31),
            "until": until, "key": period_key(frequency="monthly", when=until)}


PAGES = [
    Entry("trivial view (baseline)", "secretariat", url="bench_trivial", budget=False),
    Entry("delegate workspace", "delegate", url="reports:workspace", args=lambda ctx: [ctx.city.slug]),
    Entry("report page", "delegate", url="reports:report", args=lambda ctx: [ctx.report.pk]),
    Entry("action point page", "delegate", url="actions:action_point", args=lambda ctx: [ctx.point.pk]),
    Entry("dashboard", "secretariat", url="dashboard:home"),
    Entry("review queue", "secretariat", url="dashboard:queue"),
    Entry("benchmarking page", "secretariat", url="indicators:benchmark", args=lambda ctx: [ctx.indicator.pk]),
    Entry("CSV export", "secretariat", url="dashboard:export_csv"),
    Entry("digest build, one recipient", "mayor", call="digests.services:digest_render", kwargs=_digest_kwargs),
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
    return (lambda: client.get(url).status_code), url


def measure(entry: Entry, ctx: Context, *, repeat: int, warmup: int, max_seconds: float) -> dict:
    result = {"name": entry.name, "who": entry.who, "budget": entry.budget}
    work, target = _resolve(entry, ctx)
    result["target"] = target
    if work is None:
        result["available"] = False
        return result
    result["available"] = True
    try:
        for _ in range(warmup):
            status = work()
        with CaptureQueriesContext(connection) as queries:
            status = work()
    except Exception as error:  # report it in the table rather than abort the whole benchmark
        result.update(status=f"error: {type(error).__name__}: {error}")
        return result
    result["status"] = status
    result["queries"] = len(queries)
    samples, started = [], time.perf_counter()
    while len(samples) < repeat and (len(samples) < 10 or time.perf_counter() - started < max_seconds):
        begin = time.perf_counter()
        work()
        samples.append((time.perf_counter() - begin) * 1000)
    result.update(
        n=len(samples), median_ms=round(statistics.median(samples), 3),
        p95_ms=round(_percentile(samples, 0.95), 3), min_ms=round(min(samples), 3),
    )
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
    parser.add_argument("--scale", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--max-seconds", type=float, default=10.0, help="Stop repeating a slow page after this.")
    options = parser.parse_args()
    ctx = context()
    pages = [measure(entry, ctx, repeat=options.repeat, warmup=options.warmup, max_seconds=options.max_seconds)
             for entry in PAGES]
    with open(options.out, "w") as out:
        json.dump({"scale": options.scale, "data": data_sizes(), "pages": pages,
                   "people": {k: (u.username if u else None) for k, u in ctx.people.items()}}, out, indent=2)


if __name__ == "__main__":
    main()
