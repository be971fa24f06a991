"""Public pages as a proxy or CDN can keep them: conditional GET and `Cache-Control: public`.

Validators come from what the public pages are made of, in two cheap queries, never from the page itself:
- the ETag: the published reports' count, newest publication and newest change (reports.permissions'
  rule), and the newest history row of the plans, focus areas, action points, cities, periods, indicators,
  their values, baselines and targets, and the practices (publishing one writes a history row). Publishing moves the newest publication; unpublishing, or a city keeping its reports
  internal, lowers the count; anything else a public page shows writes a history row.
- Last-Modified: the newest of those moments and of the reports' history (which also dates unpublishing).
Both also differ per language and per address, as the page does. Nothing has to be told about a write.
"""

import hashlib
from datetime import UTC, datetime
from functools import wraps

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.dateparse import parse_datetime
from django.utils.translation import get_language
from django.views.decorators.http import condition, require_safe

from actions.models import ActionPlan, ActionPoint, FocusArea
from cities.models import City
from indicators.models import CityTarget, Indicator, IndicatorValue, NetworkTarget
from practices.models import Practice
from reports.models import ProgressReport, ReportingPeriod
from reports.permissions import published_reports

MAX_AGE = 300  # seconds a proxy, a CDN or a browser may keep a public page without asking again
SHOWN_MODELS = (ActionPlan, FocusArea, ActionPoint, City, ReportingPeriod, Indicator, IndicatorValue, CityTarget,
                NetworkTarget, Practice)


def _moment(value) -> datetime | None:
    if value is None or isinstance(value, datetime):
        moment = value
    else:  # SQLite hands raw columns back as text
        moment = parse_datetime(str(value))
    if moment is not None and moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment


def _newest_history() -> list[datetime | None]:
    """The newest history row of each shown model and of the reports, in one query (each an index scan)."""
    models = (*SHOWN_MODELS, ProgressReport)
    quote = connection.ops.quote_name
    parts = [f"(SELECT MAX({quote('history_date')}) FROM {quote(model.history.model._meta.db_table)})"
             for model in models]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return [_moment(value) for value in cursor.fetchone()]


def public_state() -> tuple[str, datetime | None]:
    """(a fingerprint of everything the public pages show, the newest change to it)."""
    published = ProgressReport.objects.filter(published_reports()).aggregate(
        count=Count("pk"), newest=Max("published_at"), changed=Max("updated"))
    *shown, reports_history = _newest_history()
    fingerprint = "|".join(str(part) for part in (published["count"], published["newest"], published["changed"], *shown))
    moments = [moment for moment in (*shown, reports_history, published["newest"], published["changed"]) if moment]
    return fingerprint, max(moments) if moments else None


def _state(request):
    if not hasattr(request, "_public_state"):
        request._public_state = public_state()
    return request._public_state


def _etag(request, *args, **kwargs):
    fingerprint, _ = _state(request)
    seed = f"{fingerprint}|{get_language()}|{request.get_full_path()}"
    return hashlib.sha256(seed.encode()).hexdigest()[:32]


def _last_modified(request, *args, **kwargs):
    return _state(request)[1]


def public_page(view):
    """GET and HEAD only; 304 when nothing the public sees changed; kept by shared caches for MAX_AGE.

    The view must not read the session or the person (`request.user`): its page is the same for everybody."""
    conditional = condition(etag_func=_etag, last_modified_func=_last_modified)(view)

    @require_safe
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = conditional(request, *args, **kwargs)
        # A response that read the session or sets a cookie is somebody's own: it stays private.
        session = getattr(request, "session", None)
        personal = bool(response.cookies) or (session is not None and session.accessed)
        # A language chosen with the switcher (its cookie) is the visitor's own: shared caches vary only on
        # Accept-Language, so such a page is kept by the browser alone.
        personal = personal or settings.LANGUAGE_COOKIE_NAME in request.COOKIES
        if response.status_code in (200, 304) and not personal:
            patch_cache_control(response, public=True, max_age=MAX_AGE)
            patch_vary_headers(response, ("Accept-Language",))
        return response

    wrapped.serves_public = True
    return wrapped
