"""Reads of the best-practice exchange: the search, a practice's page, an action point's practices and
what the public pages may show. Each runs a fixed number of queries whatever the number of practices.

Search: PostgreSQL full-text search over the title (weighted first), the description and the results
(`search_vector`, kept by a trigger, with a GIN index: migration 0002); on SQLite every word must appear
somewhere in those texts (icontains), newest first. On PostgreSQL a search ranks at most SEARCH_RANKED
matches — the most recently updated ones, best first — and says when more match: ranking and counting
every match of a common word ("city" is in most practices) costs as much as there are practices, these
cost the same at any size.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import F, Prefetch, Q
from django.shortcuts import get_object_or_404

from actions.models import ActionPoint, FocusArea

from .models import ContactRequest, Practice, PracticeAttachment

SEARCH_CONFIG = "english"
QUERY_MAX = 200
SEARCH_RANKED = 200


class RankedPractices:
    """The ranked matches of a search, for a Paginator: their ids and order come from one query (at most
    SEARCH_RANKED + 1 rows, which also tells whether more match); a page's practices from one more."""

    def __init__(self, practices, ids: list[int], *, more: bool):
        self._practices, self.ids, self.more = practices, ids, more

    def count(self) -> int:
        return len(self.ids)

    def __len__(self) -> int:
        return len(self.ids)

    def __getitem__(self, index):
        ids = self.ids[index] if isinstance(index, slice) else [self.ids[index]]
        by_id = {practice.pk: practice for practice in self._practices.filter(pk__in=ids)}
        found = [by_id[pk] for pk in ids if pk in by_id]
        return found if isinstance(index, slice) else found[0]

    def __iter__(self):
        return iter(self[:])


def published_practices():
    """The practices the public may see (published by the Secretariat), newest first."""
    return Practice.objects.filter(published_at__isnull=False).select_related("city").order_by("-published_at", "-pk")


def _listed(practices):
    return practices.select_related("city").defer("description", "results", "search_vector")


def practice_search(*, text: str = "", city=None, focus_area=None, action_point=None, published_only=False):
    """Practices matching the text (ranked best first when there is text) and the filters: a QuerySet, or
    on PostgreSQL with text the RankedPractices (whose `more` says that more than SEARCH_RANKED match)."""
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
        # The newest matches (read along the index on `updated`), ranked only they: PostgreSQL computes
        # the rank of the rows it returns, not of every match.
        window = list(practices.filter(search_vector=query).order_by("-updated", "-pk")
                      .annotate(rank=SearchRank(F("search_vector"), query)).values_list("pk", "rank")
                      [:SEARCH_RANKED + 1])
        more = len(window) > SEARCH_RANKED
        window = window[:SEARCH_RANKED]
        window.sort(key=lambda row: -row[1])  # stable: equal ranks stay newest first
        return RankedPractices(_listed(Practice.objects.all()), [pk for pk, _rank in window], more=more)
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


def attachment_history(practice: Practice):
    """Every link or file added to or removed from the practice (a removed one lives on only here)."""
    return (PracticeAttachment.history.filter(practice_id=practice.pk).select_related("history_user")
            .order_by("history_date", "history_id"))


def questions_asked(practice: Practice, *, roles, user, limit: int = 50) -> list[ContactRequest]:
    """The record of "Ask this city" for the practice's page, newest first: every question for its city
    and the Secretariat, an asker's own for the asker (one query)."""
    from . import permissions

    requests = ContactRequest.objects.filter(practice=practice).select_related("asked_by", "asking_city")
    if not permissions.can_read_questions(roles, practice):
        requests = requests.filter(asked_by=user)
    return list(requests.order_by("-created", "-pk")[:limit])


def published_practice(practice_id: int) -> Practice:
    """A practice for the public pages: 404 unless the Secretariat published it. Its focus areas and action
    points are those of plans the public sees (adopted or closed)."""
    from transparency.selectors import PUBLIC_PLAN_STATUSES

    points = (ActionPoint.objects.filter(focus_area__plan__status__in=PUBLIC_PLAN_STATUSES)
              .select_related("focus_area__plan").order_by("-focus_area__plan__first_year", "focus_area__number",
                                                           "sequence"))
    areas = (FocusArea.objects.filter(plan__status__in=PUBLIC_PLAN_STATUSES).select_related("plan")
             .order_by("-plan__first_year", "number"))
    return get_object_or_404(
        published_practices().prefetch_related(Prefetch("focus_areas", queryset=areas),
                                                Prefetch("action_points", queryset=points)),
        pk=practice_id,
    )
