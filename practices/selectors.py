"""Reads of the best-practice exchange: the search, a practice's page, an action point's practices and
what the public pages may show. Each runs a fixed number of queries whatever the number of practices.

Search: PostgreSQL full-text search over the title (weighted first), the description and the results,
ranked, through the GIN index on `search_vector` (kept by a trigger: migration 0002); on SQLite every
word must appear somewhere in those texts (icontains), newest first.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Prefetch, Q
from django.shortcuts import get_object_or_404

from actions.models import ActionPoint, FocusArea

from .models import Practice, PracticeAttachment

SEARCH_CONFIG = "english"
QUERY_MAX = 200


def published_practices():
    """The practices the public may see (published by the Secretariat), newest first."""
    return Practice.objects.filter(published_at__isnull=False).select_related("city").order_by("-published_at", "-pk")


def _listed(practices):
    return practices.select_related("city").defer("description", "results", "search_vector")


def practice_search(*, text: str = "", city=None, focus_area=None, action_point=None, published_only=False):
    """Practices matching the text (ranked best first when there is text) and the filters."""
    practices = Practice.objects.all()
    if published_only:
        practices = practices.filter(published_at__isnull=False)
    if city is not None:
        practices = practices.filter(city=city)
    # Subqueries rather than joins: a practice serving two points is listed once, with no DISTINCT.
    if focus_area is not None:
        practices = practices.filter(pk__in=Practice.focus_areas.through.objects.filter(
            focusarea_id=getattr(focus_area, "pk", focus_area)).values("practice_id"))
    if action_point is not None:
        practices = practices.filter(pk__in=Practice.action_points.through.objects.filter(
            actionpoint_id=getattr(action_point, "pk", action_point)).values("practice_id"))
    text = " ".join((text or "").replace("\x00", "").split())[:QUERY_MAX]
    if not text:
        return _listed(practices).order_by("-updated", "-pk")
    if connection.vendor == "postgresql":
        query = SearchQuery(text, search_type="websearch", config=SEARCH_CONFIG)
        return (_listed(practices).filter(search_vector=query)
                .annotate(rank=SearchRank(F("search_vector"), query)).order_by("-rank", "-updated", "-pk"))
    for word in text.split():
        practices = practices.filter(Q(title__icontains=word) | Q(description__icontains=word)
                                     | Q(results__icontains=word))
    return _listed(practices).order_by("-updated", "-pk")


def practice_detail(practice_id: int) -> Practice:
    points = ActionPoint.objects.select_related("focus_area__plan").order_by(
        "-focus_area__plan__first_year", "focus_area__number", "sequence")
    return get_object_or_404(
        Practice.objects.select_related("city", "contact", "published_by").prefetch_related(
            Prefetch("focus_areas", queryset=FocusArea.objects.select_related("plan").order_by("-plan__first_year",
                                                                                                "number")),
            Prefetch("action_points", queryset=points),
            Prefetch("attachments", queryset=PracticeAttachment.objects.order_by("added_at", "pk")),
        ),
        pk=practice_id,
    )


def practices_for_point(point: ActionPoint | int, *, limit: int = 20) -> list[Practice]:
    """The practices serving an action point, newest first (one query)."""
    return list(_listed(Practice.objects.filter(action_points=point)).order_by("-updated", "-pk")[:limit])
