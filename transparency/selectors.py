"""What the public sees, for the public pages, the open data and the API's public endpoints alike.

- Reports: only `reports.permissions.published_reports()` — approved, published by the Secretariat, of a
  city that does not keep its reports internal. Nothing else about reports is read here.
- Plans: adopted and closed plans (a draft plan is the Secretariat's work in progress), with their focus
  areas, action points and coordinating and partner cities.
- A point's status for the public: the overall-status rule (reports.status) over the cities' latest
  *published* reports alone — not the coordinator's own word, nor approved reports not yet published.
- Indicators: those the Secretariat marks public, with their values.

Every function reads in a fixed number of queries, whatever the size of the data.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q
from django.http import Http404

from actions.models import ActionPlan, ActionPoint, DeliveryStatus, FocusArea
from cities.models import City
from indicators.models import Indicator, IndicatorValue
from reports import status as report_status
from reports.models import ProgressReport, ReportingPeriod
from reports.permissions import published_reports

PUBLIC_PLAN_STATUSES = (ActionPlan.Status.ADOPTED, ActionPlan.Status.CLOSED)


def public_plans():
    return ActionPlan.objects.filter(status__in=PUBLIC_PLAN_STATUSES).order_by("-first_year", "pk")


def current_plan() -> ActionPlan | None:
    return ActionPlan.objects.filter(status__in=PUBLIC_PLAN_STATUSES).current()


def published_progress():
    """Published reports of public plans, with what the public pages and the open data show of them."""
    return (ProgressReport.objects.filter(published_reports())
            .filter(period__plan__status__in=PUBLIC_PLAN_STATUSES)
            .select_related("city", "period", "action_point__focus_area")
            .defer("review_comment", "action_point__coordinator_summary", "action_point__text")
            .order_by("-period__start", "action_point__focus_area__number", "action_point__sequence", "city__name"))


def public_points():
    return (ActionPoint.objects.filter(focus_area__plan__status__in=PUBLIC_PLAN_STATUSES)
            .select_related("focus_area__plan", "coordinating_city")
            .prefetch_related(Prefetch("partner_cities", queryset=City.objects.order_by("name")))
            .order_by("-focus_area__plan__first_year", "focus_area__number", "sequence"))


def public_statuses(points) -> dict[int, report_status.OverallStatus]:
    """Each point's status as the public is told it: the one overall-status rule (reports.status) over
    published reports alone, in one query."""
    return report_status.overall_statuses(points, public=True)


@dataclass
class AreaProgress:
    """How a focus area's points stand by what was published: points per status, and points without any."""

    area: FocusArea
    points: int = 0
    by_status: list[tuple[str, str, int]] = field(default_factory=list)  # (status, label, points)
    unreported: int = 0

    @property
    def reported(self):
        return self.points - self.unreported


def area_progress(areas, statuses) -> list[AreaProgress]:
    """`areas` with their points prefetched; `statuses` from public_statuses()."""
    result = []
    for area in areas:
        counts, item = Counter(), AreaProgress(area=area)
        for point in area.action_points.all():
            item.points += 1
            overall = statuses[point.pk]
            if overall.status is None:
                item.unreported += 1
            else:
                counts[overall.status] += 1
        item.by_status = [(value, label, counts[value]) for value, label in DeliveryStatus.choices if counts[value]]
        result.append(item)
    return result


def plan_get(plan_id: int) -> ActionPlan:
    """A public plan with its focus areas, their points and cities; each point carries `public_status`,
    the plan `progress` (AreaProgress per focus area). Five queries."""
    points = ActionPoint.objects.select_related("coordinating_city").prefetch_related(
        Prefetch("partner_cities", queryset=City.objects.order_by("name"))).order_by("sequence")
    areas = FocusArea.objects.order_by("number").prefetch_related(Prefetch("action_points", queryset=points))
    plan = (public_plans().select_related("predecessor").prefetch_related(Prefetch("focus_areas", queryset=areas))
            .filter(pk=plan_id).first())
    if plan is None:
        raise Http404
    every_point = [point for area in plan.focus_areas.all() for point in area.action_points.all()]
    statuses = public_statuses(every_point)
    for point in every_point:
        point.public_status = statuses[point.pk]
    plan.progress = area_progress(plan.focus_areas.all(), statuses)
    return plan


def plan_summaries():
    """Public plans with their number of focus areas and action points (one query)."""
    return public_plans().select_related("predecessor").annotate(
        area_count=Count("focus_areas", distinct=True), point_count=Count("focus_areas__action_points", distinct=True))


def point_get(point_id: int) -> ActionPoint:
    """A public plan's action point with its cities, `public_status`, `progress` (its published reports,
    newest period first) and `public_indicators`."""
    point = (public_points().select_related("continues__focus_area__plan")
             .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.filter(is_public=True).order_by("name")))
             .filter(pk=point_id).first())
    if point is None:
        raise Http404
    point.progress = list(published_progress().filter(action_point=point))
    point.public_status = public_statuses([point])[point.pk]
    if point.continues is not None and point.continues.focus_area.plan.status not in PUBLIC_PLAN_STATUSES:
        point.continues = None
    return point


def periods(plan_id: int | None = None):
    qs = ReportingPeriod.objects.filter(plan__status__in=PUBLIC_PLAN_STATUSES).order_by("plan_id", "start")
    return qs.filter(plan_id=plan_id) if plan_id is not None else qs


def public_indicators():
    points = ActionPoint.objects.filter(focus_area__plan__status__in=PUBLIC_PLAN_STATUSES).select_related(
        "focus_area").order_by("focus_area__number", "sequence")
    return (Indicator.objects.filter(is_public=True).prefetch_related(Prefetch("action_points", queryset=points))
            .order_by("name"))


def indicator_get(indicator_id: int) -> Indicator:
    indicator = public_indicators().filter(pk=indicator_id).first()
    if indicator is None:
        raise Http404
    return indicator


def public_indicator_values():
    return (IndicatorValue.objects.filter(indicator__is_public=True).select_related("indicator", "city")
            .order_by("indicator__name", "year", "city__name"))


def cities():
    """The cities named on the public pages: those taking part in a public plan's points, or with a value
    of a public indicator."""
    in_plans = ActionPoint.objects.filter(focus_area__plan__status__in=PUBLIC_PLAN_STATUSES)
    return City.objects.filter(
        Q(coordinated_action_points__in=in_plans) | Q(partnered_action_points__in=in_plans)
        | Q(indicator_values__indicator__is_public=True)
    ).distinct().order_by("name")
