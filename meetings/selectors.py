"""Reads of meetings and resolutions: the timeline, a meeting's page, an action point's mandate and the
briefing pack. Each runs a fixed number of queries whatever the number of meetings, points or reports."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone

from actions.models import ActionPlan, ActionPoint, DeliveryStatus
from cities.models import City
from cities.roles import UserRoles
from reports.models import ProgressReport, WorkflowState
from reports.permissions import visible_reports

from .models import Meeting, Resolution


def _resolutions():
    return Resolution.objects.select_related("meeting__host_city").order_by("meeting__date", "pk")


# The timeline ---------------------------------------------------------------------------------------------


@dataclass
class TimelineEntry:
    when: date
    kind: str  # "meeting", "resolution", "plan"
    obj: object


@dataclass
class TimelineYear:
    year: int
    entries: list = field(default_factory=list)


def timeline() -> list[TimelineYear]:
    """Meetings, resolutions and plans, newest year first; within a year in order of date. Three queries."""
    entries = []
    for meeting in Meeting.objects.select_related("host_city"):
        entries.append(TimelineEntry(meeting.date, "meeting", meeting))
    for resolution in _resolutions().prefetch_related("plans"):
        entries.append(TimelineEntry(resolution.meeting.date, "resolution", resolution))
    for plan in ActionPlan.objects.defer("introduction"):
        entries.append(TimelineEntry(date(plan.first_year, 1, 1), "plan", plan))
    order = {"plan": 0, "meeting": 1, "resolution": 2}
    entries.sort(key=lambda e: (e.when, order[e.kind], e.obj.pk))
    years: dict[int, TimelineYear] = {}
    for entry in entries:
        years.setdefault(entry.when.year, TimelineYear(entry.when.year)).entries.append(entry)
    return sorted(years.values(), key=lambda y: -y.year)


# Pages ----------------------------------------------------------------------------------------------------


def meeting_detail(meeting_id: int) -> Meeting:
    from .models import Attendance

    return get_object_or_404(
        Meeting.objects.select_related("host_city").prefetch_related(
            "agenda_items", "documents",
            Prefetch("attendance", queryset=Attendance.objects.select_related("city").order_by("city__name")),
            Prefetch("resolutions", queryset=Resolution.objects.order_by("pk")),
        ),
        pk=meeting_id,
    )


def resolution_detail(resolution_id: int) -> Resolution:
    points = ActionPoint.objects.select_related("focus_area__plan").order_by(
        "focus_area__plan__first_year", "focus_area__number", "sequence")
    return get_object_or_404(
        _resolutions().prefetch_related(Prefetch("plans", queryset=ActionPlan.objects.order_by("first_year")),
                                        Prefetch("action_points", queryset=points)),
        pk=resolution_id,
    )


def plan_resolutions(plan: ActionPlan | int) -> list[Resolution]:
    """The resolutions behind a plan, oldest first."""
    return list(_resolutions().filter(plans=plan))


@dataclass
class Mandate:
    point: list  # resolutions naming the point itself
    plan: list  # resolutions behind the point's plan (not naming the point)

    def __bool__(self):
        return bool(self.point or self.plan)


def mandate_for_point(point: ActionPoint) -> Mandate:
    """An action point's mandate: the resolutions that concern it, and those behind its plan. One query
    (the action point page is at its query budget)."""
    names_point = Exists(Resolution.action_points.through.objects.filter(resolution=OuterRef("pk"), actionpoint=point))
    behind_plan = Exists(Resolution.plans.through.objects.filter(resolution=OuterRef("pk"),
                                                                 actionplan=point.focus_area.plan_id))
    resolutions = list(_resolutions().annotate(names_point=names_point).filter(Q(names_point=True) | behind_plan))
    return Mandate(point=[r for r in resolutions if r.names_point], plan=[r for r in resolutions if not r.names_point])


# The briefing pack ----------------------------------------------------------------------------------------


def previous_meeting(meeting: Meeting) -> Meeting | None:
    """The meeting of the same kind before this one: the pack tells what happened since."""
    return (Meeting.objects.filter(kind=meeting.kind, date__lt=meeting.date).select_related("host_city")
            .order_by("-date", "-pk").first())


def plan_for(meeting: Meeting) -> ActionPlan | None:
    """The plan in force on the meeting's day: adopted or closed first, the one that started last; else the
    current plan."""
    year = meeting.date.year
    plans = [p for p in ActionPlan.objects.defer("introduction") if p.first_year <= year <= p.last_year]
    plans.sort(key=lambda p: (p.status == ActionPlan.Status.DRAFT, -p.first_year))
    return plans[0] if plans else ActionPlan.objects.current()


@dataclass
class CityLine:
    city: City
    is_coordinator: bool
    report: dict | None = None  # {"state", "delivery_status", "period"} of its latest report since


@dataclass
class PointRollup:
    point: ActionPoint
    overall_status: str | None
    overall_derived: bool
    cities: list


@dataclass
class IndicatorLine:
    indicator: object
    year: int | None
    median: object
    reporting: int
    host_value: object


def _overall(points) -> dict:
    """{point id: (status, derived)} by the portal's rule for a point's overall status, where it has one."""
    try:
        from reports.status import overall_statuses
    except ImportError:
        return {p.pk: (p.status, False) for p in points}
    return {pk: (o.status, o.derived) for pk, o in overall_statuses(points).items()}


def briefing_pack(*, meeting: Meeting, roles: UserRoles) -> dict:
    """What a Mayor takes into the room: progress since the previous meeting of the same kind, per focus
    area — each point's overall status and each taking-part city's latest report (as far as this person
    may see it, by reports/permissions.py), the initiatives decided and the indicators."""
    from indicators.models import Indicator, IndicatorValue
    from initiatives.models import Initiative, InitiativeState

    previous = previous_meeting(meeting)
    since, until = (previous.date if previous else None), meeting.date
    plan = plan_for(meeting)
    context = {"meeting": meeting, "previous": previous, "since": since, "until": until, "plan": plan,
               "areas": [], "initiatives": [], "indicators": [], "generated": timezone.now(),
               "agenda": list(meeting.agenda_items.all()), "resolutions": [],
               "statuses": DeliveryStatus.choices, "states": WorkflowState.choices}
    if plan is None:
        return context

    points = list(
        ActionPoint.objects.filter(focus_area__plan=plan).select_related("focus_area", "coordinating_city")
        .prefetch_related(Prefetch("partner_cities", queryset=City.objects.order_by("name")))
        .order_by("focus_area__number", "sequence")
    )
    # Each city's latest report on each point in the periods that overlap the window, as far as this person
    # may see it (reports/permissions.py), in one query: the periods come with their reports.
    reports = ProgressReport.objects.filter(period__plan=plan, period__start__lte=until)
    if since is not None:
        reports = reports.filter(period__end__gte=since)
    latest = {}
    rows = (reports.filter(visible_reports(roles)).order_by("period__start")
            .values_list("action_point_id", "city_id", "state", "delivery_status", "period__label"))
    for point_id, city_id, state, status, label in rows:
        latest[(point_id, city_id)] = {"state": state, "delivery_status": status, "period": label}
    overall = _overall(points)

    areas: dict[int, dict] = {}
    for point in points:
        area = areas.setdefault(point.focus_area_id, {"area": point.focus_area, "points": []})
        taking_part = ([point.coordinating_city] if point.coordinating_city else []) + list(point.partner_cities.all())
        cities = [CityLine(city=c, is_coordinator=c.pk == point.coordinating_city_id, report=latest.get((point.pk, c.pk)))
                  for c in taking_part]
        status, derived = overall.get(point.pk, (point.status, False))
        area["points"].append(PointRollup(point=point, overall_status=status, overall_derived=derived, cities=cities))
    context["areas"] = list(areas.values())

    decided = (Initiative.objects.filter(plan=plan, decided_at__isnull=False)
               .exclude(state=InitiativeState.PROPOSED)
               .select_related("action_point__focus_area", "proposing_city")
               .prefetch_related(Prefetch("involved_cities", queryset=City.objects.order_by("name")))
               .order_by("decided_at", "pk"))
    context["initiatives"] = [i for i in decided
                              if (since is None or timezone.localdate(i.decided_at) > since)
                              and timezone.localdate(i.decided_at) <= until]

    indicators = list(Indicator.objects.filter(action_points__focus_area__plan=plan).distinct().order_by("name"))
    values = defaultdict(lambda: defaultdict(dict))
    for indicator_id, city_id, year, value in IndicatorValue.objects.filter(
            indicator__in=indicators, year__lte=until.year).values_list("indicator_id", "city_id", "year", "value"):
        values[indicator_id][year][city_id] = value
    from indicators.selectors import median

    for indicator in indicators:
        years = values.get(indicator.pk, {})
        year = max(years) if years else None
        by_city = years.get(year, {}) if year else {}
        context["indicators"].append(IndicatorLine(
            indicator=indicator, year=year, median=median(by_city.values()), reporting=len(by_city),
            host_value=by_city.get(meeting.host_city_id),
        ))
    context["resolutions"] = plan_resolutions(plan)
    return context
