"""Reads of meetings and resolutions: the timeline, a meeting's page, an action point's mandate and the
briefing pack. Each runs a fixed number of queries whatever the number of meetings, points or reports."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from actions.models import ActionPlan, ActionPoint, DeliveryStatus
from baltmet.history import HIDDEN_FIELDS, HistoryEntry, history_entries
from cities.models import City
from cities.roles import UserRoles
from reports.models import ProgressReport, WorkflowState
from reports.permissions import visible_reports

from .models import AgendaItem, Attendance, Meeting, MeetingDocument, Resolution


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
    trend: object  # reports.rollup.Trend
    cities: list


@dataclass
class IndicatorLine:
    indicator: object
    year: int | None
    median: object
    reporting: int
    host_value: object


def briefing_point_statuses(points, *, plan, until) -> dict:
    """{point id: its roll-up (reports/rollup.py)}: the overall status and the trend over the plan's periods
    that began by the meeting — the same roll-up the dashboard, the digest and the progress report show."""
    from reports.models import ReportingPeriod
    from reports.rollup import rollups

    periods = list(ReportingPeriod.objects.filter(plan=plan, start__lte=until).order_by("start"))
    return rollups(points, periods=periods, period=periods[-1] if periods else None)


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
    rolled = briefing_point_statuses(points, plan=plan, until=until)

    areas: dict[int, dict] = {}
    for point in points:
        area = areas.setdefault(point.focus_area_id, {"area": point.focus_area, "points": []})
        taking_part = ([point.coordinating_city] if point.coordinating_city else []) + list(point.partner_cities.all())
        cities = [CityLine(city=c, is_coordinator=c.pk == point.coordinating_city_id, report=latest.get((point.pk, c.pk)))
                  for c in taking_part]
        overall = rolled[point.pk].overall
        area["points"].append(PointRollup(point=point, overall_status=overall.status, overall_derived=overall.derived,
                                          trend=rolled[point.pk].trend, cities=cities))
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


# History ---------------------------------------------------------------------------------------------------

DOCUMENT_KINDS = {"+": _("added a document"), "-": _("removed a document")}
ATTENDANCE_KINDS = {"+": _("recorded attendance"), "~": _("changed attendance"), "-": _("removed attendance")}
AGENDA_KINDS = {"+": _("added an agenda item"), "~": _("changed an agenda item"), "-": _("removed an agenda item")}


def meeting_history(meeting: Meeting) -> list[HistoryEntry]:
    """Who changed what of a meeting and when, newest first: its own fields, the documents added and
    removed, each city's attendance and each agenda item. Four queries whatever the length of the record;
    render it with the viewer's time zone active."""
    records = meeting.history.select_related("history_user").order_by("history_date", "history_id")
    documents = (MeetingDocument.history.filter(meeting_id=meeting.pk).select_related("history_user")
                 .order_by("history_date", "history_id"))
    entries = history_entries(records, Meeting, added_removed=documents, added_removed_kinds=DOCUMENT_KINDS)
    for row in Attendance.history.filter(meeting_id=meeting.pk).select_related("history_user", "city"):
        who_came = f" ({row.representatives})" if row.representatives else ""
        entries.append(HistoryEntry(when=row.history_date, who=row.history_user, kind=ATTENDANCE_KINDS[row.history_type],
                                    reason=f"{row.city}: {row.get_status_display()}{who_came}"))
    for row in AgendaItem.history.filter(meeting_id=meeting.pk).select_related("history_user"):
        entries.append(HistoryEntry(when=row.history_date, who=row.history_user, kind=AGENDA_KINDS[row.history_type],
                                    reason=f"{row.number}. {row.title}"))
    entries.sort(key=lambda entry: entry.when, reverse=True)
    return entries


def resolution_history(resolution: Resolution) -> list[HistoryEntry]:
    """Who changed a resolution's title, text or meeting and when, newest first (the plans and points it
    concerns are on its page)."""
    records = resolution.history.select_related("history_user").order_by("history_date", "history_id")
    return history_entries(records, Resolution, hidden=(*HIDDEN_FIELDS, "plans", "action_points"))
