from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from cities.models import City

from .models import ActionPlan, ActionPoint, FocusArea


def plan_overview(plan_id: int) -> ActionPlan:
    """A plan with its focus areas and their action points, cities included, in four queries."""
    points = ActionPoint.objects.select_related("coordinating_city").prefetch_related(
        Prefetch("partner_cities", queryset=City.objects.order_by("name"))
    ).order_by("sequence")
    areas = FocusArea.objects.order_by("number").prefetch_related(Prefetch("action_points", queryset=points))
    return get_object_or_404(
        ActionPlan.objects.select_related("predecessor").prefetch_related(Prefetch("focus_areas", queryset=areas)),
        pk=plan_id,
    )


def action_point_detail(point_id: int) -> ActionPoint:
    return get_object_or_404(
        ActionPoint.objects.select_related("focus_area__plan", "coordinating_city", "continues__focus_area__plan")
        .prefetch_related(Prefetch("partner_cities", queryset=City.objects.order_by("name"))),
        pk=point_id,
    )
