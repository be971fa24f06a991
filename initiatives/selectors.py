"""Reads of initiatives and consent, shared by the pages here, the delegates' workspace, the action
point page and the digests. Each returns everything its page shows in a fixed number of queries."""

from datetime import datetime

from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404

from actions.models import ActionPoint
from cities.models import City
from cities.selectors import reachable_city_ids

from .models import Answer, ConsentRequest, Decision, Initiative, InitiativeState


def _id(obj):
    return obj if isinstance(obj, int) else obj.pk


def _consents():
    return ConsentRequest.objects.select_related("city", "answered_by").order_by("city__name")


def _initiatives():
    return Initiative.objects.select_related("plan", "action_point__focus_area", "proposing_city", "proposed_by")


def pending_consents_for_city(*, city: City | int) -> list[ConsentRequest]:
    """Consent requests waiting for this city's answer, oldest first (the delegate's workspace tasks)."""
    return list(
        ConsentRequest.objects.filter(city_id=_id(city), answer=Answer.PENDING,
                                      initiative__state=InitiativeState.PROPOSED)
        .select_related("initiative__action_point__focus_area", "initiative__proposing_city")
        .order_by("asked_at", "pk")
    )


def approved_initiatives_for_point(*, point: ActionPoint | int) -> list[Initiative]:
    """Approved initiatives under an action point, each with its consents (and so its costs)."""
    costs = ConsentRequest.objects.filter(expected_cost__isnull=False).select_related("city").order_by("city__name")
    return list(
        Initiative.objects.filter(action_point_id=_id(point), state=InitiativeState.APPROVED)
        .prefetch_related(Prefetch("consents", queryset=costs)).order_by("-decided_at", "pk")
    )


def initiatives_approved_since(*, city_ids, since: datetime, until: datetime | None = None) -> list[Initiative]:
    """Approved initiatives involving any of these cities (any city when none is given), approved in
    (since, until] (for digests)."""
    initiatives = Initiative.objects.filter(state=InitiativeState.APPROVED, decided_at__gt=since)
    if until is not None:
        initiatives = initiatives.filter(decided_at__lte=until)
    if city_ids:
        initiatives = initiatives.filter(involved_cities__in=list(city_ids)).distinct()
    return list(initiatives.prefetch_related(Prefetch("involved_cities", queryset=City.objects.order_by("name")))
                .order_by("decided_at", "pk"))


def pending_consents_count(*, city_ids) -> dict[int, int]:
    """{city id: how many initiatives wait for its answer}, for these cities."""
    return dict(
        ConsentRequest.objects.filter(city_id__in=list(city_ids), answer=Answer.PENDING,
                                      initiative__state=InitiativeState.PROPOSED)
        .order_by().values("city_id").annotate(n=Count("id")).values_list("city_id", "n")
    )


def initiative_overview(*, state: str | None = None) -> list[Initiative]:
    """Every initiative with each asked city's answer, for the Secretariat and the list page."""
    initiatives = _initiatives().prefetch_related(Prefetch("consents", queryset=_consents()))
    if state:
        initiatives = initiatives.filter(state=state)
    return list(initiatives.order_by("-created", "-pk"))


def initiative_detail(initiative_id: int) -> Initiative:
    return get_object_or_404(
        _initiatives().prefetch_related(
            Prefetch("consents", queryset=_consents()),
            Prefetch("decisions", queryset=Decision.objects.select_related("city", "user").order_by("at", "pk")),
        ),
        pk=initiative_id,
    )


def unreachable_city_ids(initiatives) -> set[int]:
    """The cities still to answer one of these initiatives that nobody can be emailed for."""
    pending = {c.city_id for i in initiatives for c in i.consents.all() if c.answer == Answer.PENDING}
    return pending - reachable_city_ids(pending)
