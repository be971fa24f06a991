from django.db.models import Count, Prefetch, Q
from django.shortcuts import get_object_or_404

from cities.models import City

from .models import ActionPlan, ActionPoint, FocusArea, Milestone


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


def taking_part_of(points) -> dict[int, set[int]]:
    """{point id: ids of the cities taking part} for points already read (their coordinating city is on
    them), the partners in one query. ActionPoint.objects.taking_part() does the same from a queryset."""
    taking_part = {point.pk: {point.coordinating_city_id} - {None} for point in points}
    for point_id, city_id in (ActionPoint.partner_cities.through.objects.filter(actionpoint_id__in=list(taking_part))
                              .values_list("actionpoint_id", "city_id")):
        taking_part[point_id].add(city_id)
    return taking_part


def milestones_of(point: ActionPoint) -> list[Milestone]:
    """The point's milestones in due order, their cities included, in one query."""
    return list(Milestone.objects.filter(action_point=point).select_related("responsible_city"))


def milestone_history(point: ActionPoint):
    """Every recorded change of the point's milestones, removed ones included: each milestone's records
    oldest first, in one query."""
    return (Milestone.history.filter(action_point_id=point.pk).select_related("history_user")
            .order_by("id", "history_date", "history_id"))


def milestone_get(milestone_id: int) -> Milestone:
    """A milestone with what its pages and permission checks read (point, plan, cities)."""
    return get_object_or_404(
        Milestone.objects.select_related("action_point__focus_area__plan", "action_point__coordinating_city",
                                         "responsible_city")
        .prefetch_related(Prefetch("action_point__partner_cities", queryset=City.objects.order_by("name"))),
        pk=milestone_id,
    )


def milestone_counts(points) -> dict[int, tuple[int, int]]:
    """{point id: (milestones done, milestones)} for the points that have any, in one query."""
    rows = (Milestone.objects.filter(action_point__in=[point.pk for point in points]).order_by()
            .values("action_point_id").annotate(total=Count("pk"), done_count=Count("pk", filter=Q(done=True))))
    return {row["action_point_id"]: (row["done_count"], row["total"]) for row in rows}


def overdue_milestones(*, plan, today, city_ids=None) -> list[Milestone]:
    """The plan's milestones past their due date and not done, oldest first, in one query; with `city_ids`,
    those the cities answer for or whose point they coordinate."""
    milestones = Milestone.objects.overdue(today).filter(action_point__focus_area__plan=plan)
    if city_ids is not None:
        milestones = milestones.concerning_city(city_ids)
    rows = list(milestones.select_related("action_point__focus_area", "action_point__coordinating_city",
                                          "responsible_city").order_by("due_date", "pk"))
    for milestone in rows:
        milestone.days_late = (today - milestone.due_date).days
    return rows


def overdue_milestones_by_city(*, plan, today, city_ids) -> dict[int, list[Milestone]]:
    """{city id: its overdue milestones} for many cities at once (reminders), in one query."""
    by_city = {city_id: [] for city_id in city_ids}
    for milestone in overdue_milestones(plan=plan, today=today, city_ids=list(city_ids)):
        for city_id in {milestone.responsible_city_id, milestone.action_point.coordinating_city_id}:
            if city_id in by_city:
                by_city[city_id].append(milestone)
    return by_city


MILESTONE_REMINDER_DAYS = (1, 7, 30)  # the days late a report is reminded of, too (digests.selectors.reminder_stage)


def milestone_reminder_cities(*, plan, today) -> set[int]:
    """Cities with a milestone of the plan exactly 1, 7 or 30 days late today (its own, or of a point it
    coordinates): their delegates get the day's reminder even if no report is due."""
    from datetime import timedelta

    late = (Milestone.objects.overdue(today).filter(action_point__focus_area__plan=plan)
            .filter(due_date__in=[today - timedelta(days=days) for days in MILESTONE_REMINDER_DAYS])
            .order_by().values_list("responsible_city_id", "action_point__coordinating_city_id"))
    return {city_id for pair in late for city_id in pair if city_id is not None}
