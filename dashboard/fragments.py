"""The dashboard's expensive parts, computed and rendered once and kept in Django's cache.

What is cached is the HTML of the parts every viewer sees alike (the "what needs you" summary
without its reminder button, the matrix, the shares and the history), rendered without the request:
nothing in it depends on who asks. The Secretariat's reminder button, the CSRF token and the filter
form are rendered on every request around it.

The key holds everything the fragments depend on, so nothing needs deleting when data changes: a
change makes a new key, and the old entry simply ages out.
  - the filters (plan, period, focus area, city), the language, the time zone and today's date
    (dates are formatted per language and time zone; "overdue" depends on the day);
  - the values of the plan's periods, the focus areas and the cities, which the page loads on every
    request anyway for the filter drop-downs;
  - the portal's data version (freshness), which moves on every change to the data, made by any
    process, the admin included.
Shared by every Secretariat member and the Chair (the page around them is kept per person by
freshness.pages), so after a change the first of them to look rebuilds the fragments for all.
"""

import hashlib

from django.core.cache import cache
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

import freshness

from . import selectors
from .charts import status_chart

# A safety net only: entries are never stale by design (see the key), but a lapse bounds the
# memory kept for old filters and any change the version might miss.
TIMEOUT = 300
KEY_PREFIX = "dashboard:home:1:"


def _signature(objects, fields):
    return [tuple(getattr(obj, name) for name in fields) for obj in objects]


def home_key(*, plan, period, focus_area, city, periods, focus_areas, cities, version, today) -> str:
    parts = (
        plan.pk, getattr(period, "pk", None), getattr(focus_area, "pk", None), getattr(city, "pk", None),
        translation.get_language(), timezone.get_current_timezone_name(), today.isoformat(),
        _signature(periods, ("pk", "label", "start", "end", "due_date", "is_closed")),
        _signature(focus_areas, ("pk", "number", "title")),
        _signature(cities, ("pk", "name", "left")),
        version,
    )
    return KEY_PREFIX + hashlib.sha256(repr(parts).encode()).hexdigest()


def home_fragments(*, plan, period, focus_area, city, periods, focus_areas, cities) -> dict:
    """{"summary": HTML, "matrix": HTML, "has_missing": bool} for the dashboard, from the cache
    when nothing it shows has changed. `periods`, `focus_areas`, `cities`: the filter form's lists."""
    today = timezone.localdate()
    version = freshness.stamp()
    key = home_key(plan=plan, period=period, focus_area=focus_area, city=city, periods=periods,
                   focus_areas=focus_areas, cities=cities, version=version, today=today)
    fragments = cache.get(key)
    if fragments is None:
        fragments = _render(plan=plan, period=period, focus_area=focus_area, city=city, periods=periods,
                            cities=cities)
        cache.set(key, fragments, TIMEOUT)
    return {**fragments, "summary": mark_safe(fragments["summary"]), "matrix": mark_safe(fragments["matrix"])}


def filter_fields(form) -> str:
    """The filter form's fields (rendered by Django's widgets, slow for a few dozen options), from the
    cache: they depend only on the submitted values, the drop-downs' options and the language."""
    parts = (
        "filters", translation.get_language(),
        sorted((name, form.data.getlist(name)) for name in form.fields if name in form.data),
        _signature(form.plans, ("pk", "title")), _signature(form.periods, ("pk", "label")),
        _signature(form.focus_areas, ("pk", "number", "title")), _signature(form.cities, ("pk", "name")),
    )
    key = KEY_PREFIX + hashlib.sha256(repr(parts).encode()).hexdigest()
    html = cache.get(key)
    if html is None:
        html = str(render_to_string("_form_fields.html", {"form": form}))
        cache.set(key, html, TIMEOUT)
    return mark_safe(html)


def _render(*, plan, period, focus_area, city, periods, cities) -> dict:
    data = selectors.dashboard(plan=plan, period=period, focus_area=focus_area, city=city, periods=periods,
                               all_cities=cities)
    context = {"plan": plan, "period": period, **data, "chart": status_chart(data["history"])}
    return {
        "summary": str(render_to_string("dashboard/_home_summary.html", context)),
        "matrix": str(render_to_string("dashboard/_home_matrix.html", context)),
        "has_missing": bool(data["missing"]),
    }
