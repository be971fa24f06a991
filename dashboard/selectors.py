"""Reads for the Secretariat's pages. Every function runs a fixed number of queries, whatever the
number of reports, so the dashboard stays fast as years of reports pile up."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import Truncator

from actions.models import ActionPlan, ActionPoint, DeliveryStatus, FocusArea
from actions.selectors import taking_part_of
from baltmet.links import link, link_pattern
from cities.models import City, Membership, Role
from cities.selectors import reachable_city_ids
from reports import workflow
from reports.models import ProgressReport, ReportingPeriod, WorkflowState
from reports.rollup import rollups

COUNTED_STATUSES = (DeliveryStatus.ON_TRACK, DeliveryStatus.AT_RISK, DeliveryStatus.DELAYED, DeliveryStatus.COMPLETED)
STALE_AFTER_PERIODS = 2


@dataclass(slots=True)
class Cell:
    """One city's latest status on one point; `period_label` when it is from an earlier period."""

    status: str | None = None
    period_label: str = ""
    earlier_period: bool = False
    report_url: str = ""  # the report it summarises (the review page)
    is_coordinator: bool = False
    is_partner: bool = False


@dataclass
class Row:
    point: ActionPoint
    cells: list
    last_reported: object = None
    is_stale: bool = False
    # What the matrix shows of the point, worked out once here rather than by the template per row.
    number: str = ""
    url: str = ""
    short_text: str = ""


@dataclass
class AreaBlock:
    area: FocusArea
    rows: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)

    @property
    def count_items(self):
        return [(status, DeliveryStatus(status).label, self.counts.get(status, 0)) for status in COUNTED_STATUSES]


@dataclass
class CityShare:
    city: City
    expected: int
    submitted: int

    @property
    def percent(self):
        return round(100 * self.submitted / self.expected) if self.expected else None


@dataclass
class MissingForCity:
    city: City
    points: list
    overdue: bool
    reachable: bool = True  # has a delegate to remind

    @property
    def numbers(self) -> str:
        """The points' numbers, "1.2, 3.4" (one string, not a template loop over a hundred points)."""
        return ", ".join(point.number for point in self.points)


# Plans, periods, points ---------------------------------------------------------------------------------


def plan_points(plan: ActionPlan, focus_area: FocusArea | None = None):
    points = (
        ActionPoint.objects.filter(focus_area__plan=plan)
        .select_related("focus_area", "coordinating_city")
        .prefetch_related(Prefetch("partner_cities", queryset=City.objects.order_by("name")))
        .order_by("focus_area__number", "sequence")
    )
    if focus_area is not None:
        points = points.filter(focus_area=focus_area)
    return list(points)


def member_cities(city: City | None = None, all_cities=None):
    """The chosen city, else the current members by name (picked from `all_cities` when given)."""
    if city is not None:
        return [city]
    if all_cities is not None:
        return sorted((c for c in all_cities if c.left is None), key=lambda c: c.name)
    return list(City.objects.filter(left__isnull=True).order_by("name"))


def plan_periods(plan: ActionPlan):
    return list(ReportingPeriod.objects.filter(plan=plan).order_by("start"))


def assigned_pairs(points, taking_part=None) -> set[tuple[int, int]]:
    """(point id, city id) for every city taking part in a point (from `taking_part`, the points'
    actions.selectors.taking_part_of, when the caller has it; else their prefetched partners)."""
    if taking_part is not None:
        return {(point.pk, city_id) for point in points for city_id in taking_part.get(point.pk, ())}
    return {(point.pk, city_id) for point in points for city_id in point.taking_part_ids()}


class ReportRow(NamedTuple):
    """What the dashboard counts of one report (no texts)."""

    point_id: int
    city_id: int
    status: str
    period_id: int
    pk: int
    state: str
    submitted_at: object


def plan_report_rows(periods) -> list[ReportRow]:
    """Every report in the plan whose `periods` are given, a few columns each, in one query: the matrix,
    the freshness flags, the history and the roll-up are all worked out from these rows. A plan has a
    handful of periods and a few thousand reports at most; other plans' years are not read."""
    return [ReportRow(*row) for row in (
        ProgressReport.objects.filter(period_id__in=[p.pk for p in periods]).order_by()
        .values_list("action_point_id", "city_id", "delivery_status", "period_id", "pk", "state", "submitted_at")
    )]


def latest_statuses(rows: list[ReportRow], period: ReportingPeriod | None, periods) -> dict:
    """{(point id, city id): (delivery status, period label, period id, report id)} from each city's latest
    reported report on each point, in `period` or before it. `periods`: the plan's, in order; `rows`: its
    plan_report_rows. Reading them in the order of their periods and keeping the last is cheaper than
    asking the database to rank them."""
    order = {p.pk: index for index, p in enumerate(periods)}
    labels = {p.pk: p.label for p in periods}
    up_to = {p.pk for p in periods if period is None or p.start <= period.start}
    latest = {}
    for row in sorted((row for row in rows if row.period_id in up_to and row.state in workflow.REPORTED),
                      key=lambda row: order[row.period_id]):
        latest[(row.point_id, row.city_id)] = (row.status, labels[row.period_id], row.period_id, row.pk)
    return latest


def reported_pairs(period: ReportingPeriod) -> set[tuple[int, int]]:
    return set(
        ProgressReport.objects.filter(period=period, state__in=workflow.REPORTED)
        .values_list("action_point_id", "city_id")
    )


def missing_reports(points, cities, period: ReportingPeriod | None, today=None, *, reported=None,
                    taking_part=None) -> list[MissingForCity]:
    """Per city, the assigned points with no submitted or approved report for the period
    (`reported`: the period's reported_pairs when the caller has them already)."""
    if period is None:
        return []
    today = today or timezone.localdate()
    if reported is None:
        reported = reported_pairs(period)
    by_city = {city.pk: city for city in cities}
    missing = defaultdict(list)
    for point in points:
        for point_id, city_id in sorted(assigned_pairs([point], taking_part)):
            if city_id in by_city and (point_id, city_id) not in reported:
                missing[city_id].append(point)
    overdue = period.due_date < today
    return [
        MissingForCity(city=by_city[city_id], points=missing[city_id], overdue=overdue)
        for city_id in sorted(missing, key=lambda pk: by_city[pk].name)
    ]


def _with_reachability(missing: list[MissingForCity]) -> list[MissingForCity]:
    reachable = reachable_city_ids([item.city.pk for item in missing]) if missing else set()
    for item in missing:
        item.reachable = item.city.pk in reachable
    return missing


@dataclass(frozen=True)
class BeforeClosing:
    """What closing a period would stop: reports still being written, reports waiting for review (no
    step is taken in a closed period, review included) and the reports never started."""

    being_written: int
    awaiting_review: int
    missing: list


def before_closing(period: ReportingPeriod) -> BeforeClosing:
    states = Counter(ProgressReport.objects.filter(period=period).values_list("state", flat=True))
    missing = missing_reports(plan_points(period.plan), member_cities(), period)
    return BeforeClosing(
        being_written=sum(states[state] for state in workflow.EDITABLE),
        awaiting_review=sum(states[state] for state in workflow.AWAITING_REVIEW),
        missing=missing,
    )


# The dashboard -------------------------------------------------------------------------------------------


def reported_counts(rows: list[ReportRow]) -> list[dict]:
    """The plan's reported reports (`rows`: its plan_report_rows) counted by period, delivery status and
    workflow state."""
    counted = Counter((row.period_id, row.status, row.state) for row in rows if row.state in workflow.REPORTED)
    return [{"period_id": period_id, "delivery_status": status, "state": state, "n": n}
            for (period_id, status, state), n in counted.items()]


def status_history(periods, rows: list[dict]) -> list[dict]:
    """For each period, how many reported reports gave each delivery status (`rows`: the plan's
    reported_counts)."""
    counts = defaultdict(Counter)
    for row in rows:
        counts[row["period_id"]][row["delivery_status"]] += row["n"]
    return [
        {
            "period": period,
            "counts": [(status, label, counts[period.pk].get(status, 0)) for status, label in DeliveryStatus.choices],
            "total": sum(counts[period.pk].values()),
        }
        for period in periods
    ]


def freshness(rows: list[ReportRow], periods, period: ReportingPeriod | None):
    """When each point was last reported on, and the points with an approved report in the last
    two periods up to `period` (None until two periods have begun). `rows`: the plan's plan_report_rows."""
    recent = [p for p in periods if period is None or p.start <= period.start][-STALE_AFTER_PERIODS:]
    window = {p.pk for p in recent}
    last, fresh = {}, set()
    for row in rows:
        if row.submitted_at is not None and (row.point_id not in last or row.submitted_at > last[row.point_id]):
            last[row.point_id] = row.submitted_at
        if row.state == WorkflowState.APPROVED and (not recent or row.period_id in window):
            fresh.add(row.point_id)
    return last, (fresh if len(recent) == STALE_AFTER_PERIODS else None)


def dashboard(*, plan: ActionPlan, period: ReportingPeriod | None, focus_area=None, city=None,
              periods=None, all_cities=None) -> dict:
    """Everything the dashboard shows, its roll-up panel included. `periods` (the plan's, in order) and
    `all_cities` (every city by name) may be passed when the caller has loaded them already, e.g. for the
    filter form."""
    # Every point of the plan: the roll-up panel lists them all, the matrix those of the chosen area.
    all_points = list(
        ActionPoint.objects.filter(focus_area__plan=plan).select_related("focus_area")
        .order_by("focus_area__number", "sequence")
    )
    points = [point for point in all_points if focus_area is None or point.focus_area_id == focus_area.pk]
    taking_part = taking_part_of(points)
    cities = member_cities(city, all_cities)
    periods = plan_periods(plan) if periods is None else list(periods)
    rows = plan_report_rows(periods)
    latest = latest_statuses(rows, period, periods)
    last_reported, fresh = freshness(rows, periods, period)
    counts = reported_counts(rows)
    current_label = period.label if period is not None else None

    areas = {}
    review_link = link_pattern("dashboard:review")
    for point in points:
        block = areas.get(point.focus_area_id)
        if block is None:
            block = areas[point.focus_area_id] = AreaBlock(area=point.focus_area, counts=Counter())
        point_id, coordinator_id = point.id, point.coordinating_city_id
        partners = taking_part[point_id] - {coordinator_id}
        cells = []
        for member_id in [member.id for member in cities]:
            status, label, _period_id, report_id = latest.get((point_id, member_id), (None, "", None, None))
            cells.append(Cell(
                status=status, period_label=label, earlier_period=bool(label) and label != current_label,
                report_url=review_link(report_id) if report_id else "",
                is_coordinator=member_id == coordinator_id, is_partner=member_id in partners,
            ))
            if status:
                block.counts[status] += 1
        block.rows.append(Row(
            point=point, cells=cells, last_reported=last_reported.get(point_id),
            is_stale=fresh is not None and point_id not in fresh, number=point.number,
            url=link("actions:action_point", point_id), short_text=Truncator(point.text).words(12),
        ))

    shares, reported = [], set()
    if period is not None:
        # A (point, city) has a reported report in `period` exactly when its latest reported report up
        # to `period` is in `period` (one report per point, city and period): no query of its own.
        reported = {pair for pair, (_s, _l, period_id, _r) in latest.items() if period_id == period.pk}
        assigned = assigned_pairs(points, taking_part)
        expected, submitted = Counter(c for _p, c in assigned), Counter(c for _p, c in reported & assigned)
        shares = [CityShare(city=member, expected=expected[member.pk], submitted=submitted[member.pk])
                  for member in cities]

    approved = [(row.point_id, row.city_id, row.period_id, row.status) for row in rows
                if row.state in workflow.PUBLIC_IN_NETWORK]
    rolled = rollups(all_points, periods=periods, period=period, approved=approved)
    return {
        "areas": list(areas.values()),
        "cities": cities,
        "periods": periods,
        "shares": shares,
        "history": status_history(periods, counts),
        "stale_count": sum(1 for block in areas.values() for row in block.rows if row.is_stale),
        "missing": _with_reachability(missing_reports(points, cities, period, reported=reported,
                                                      taking_part=taking_part)),
        "queue_count": sum(row["n"] for row in counts if row["state"] == WorkflowState.SUBMITTED),
        "rollups": [rolled[point.pk] for point in all_points],
    }


# Reports lists -------------------------------------------------------------------------------------------


def reports_filtered(*, plan=None, period=None, focus_area=None, city=None, delivery_status="", state=""):
    """The filtered reports in the plan's order; lists add `listed()`, exports read their own columns."""
    reports = ProgressReport.objects.all()
    if plan is not None:
        reports = reports.filter(period__plan=plan)
    if period is not None:
        reports = reports.filter(period=period)
    if focus_area is not None:
        reports = reports.filter(action_point__focus_area=focus_area)
    if city is not None:
        reports = reports.filter(city=city)
    if delivery_status:
        reports = reports.filter(delivery_status=delivery_status)
    if state:
        reports = reports.filter(state=state)
    return reports.order_by(
        "period__start", "action_point__focus_area__number", "action_point__sequence", "city__name", "pk"
    )


def listed(reports):
    """What a list of reports shows (the queue, the reports page): only those columns, in one join."""
    return reports.select_related("action_point__focus_area", "city", "period", "submitted_by").only(
        "pk", "state", "delivery_status", "submitted_at", "action_point__sequence", "action_point__text",
        "action_point__focus_area__number", "city__name", "period__label", "submitted_by__username",
        "submitted_by__first_name", "submitted_by__last_name",
    )


def review_queue(**filters):
    """Submitted reports, the longest waiting first. In two-step plans they are the coordinating cities'
    consolidated reports (`mark_consolidated`), and a partner's report only on a point without a
    coordinator or submitted before the plan moved to two steps (reports/workflow.py).

    The page's 25 rows join only their period, city and submitter; their action points (with focus
    areas) come in a second small query. Joining all six tables in one query cost PostgreSQL some
    2 ms to plan for 1 ms of work."""
    filters["state"] = WorkflowState.SUBMITTED
    points = ActionPoint.objects.select_related("focus_area").only(
        "pk", "sequence", "text", "coordinating_city_id", "focus_area__number")
    return (
        reports_filtered(**filters).order_by("submitted_at", "pk")
        .select_related("city", "period", "submitted_by")
        .only("pk", "state", "delivery_status", "submitted_at", "action_point_id", "city_id", "city__name",
              "period__label", "period__plan_id", "submitted_by__username", "submitted_by__first_name",
              "submitted_by__last_name")
        .prefetch_related(Prefetch("action_point", queryset=points))
    )


def mark_consolidated(reports, plans) -> list:
    """The reports (a page of review_queue), each with `consolidated`: a coordinating city's report in a
    plan with two-step review. `plans`: every plan (the filter form has them loaded)."""
    two_step = {plan.pk for plan in plans if plan.review_mode == ActionPlan.ReviewMode.TWO_STEP}
    reports = list(reports)
    for report in reports:
        report.consolidated = (report.period.plan_id in two_step
                               and report.city_id == report.action_point.coordinating_city_id)
    return reports


def report_for_review(report_id: int) -> ProgressReport:
    return get_object_or_404(
        ProgressReport.objects.select_related(
            "action_point__focus_area__plan", "action_point__coordinating_city", "action_point__continues",
            "city", "period", "submitted_by", "reviewed_by", "published_by",
        ).prefetch_related("evidence"),
        pk=report_id,
    )


def progress_report(*, plan: ActionPlan, period: ReportingPeriod | None) -> dict:
    """Each action point with its cities, statuses, its roll-up (reports.rollup) and the period's approved
    summaries."""
    points = plan_points(plan)
    reports = defaultdict(list)
    if period is not None:
        for report in (
            ProgressReport.objects.filter(period=period, state__in=workflow.REPORTED)
            .select_related("city").order_by("city__name")
        ):
            reports[report.action_point_id].append(report)
    rolled = rollups(points, periods=list(ReportingPeriod.objects.filter(plan=plan).order_by("start")), period=period)
    areas = []
    for point in points:
        if not areas or areas[-1]["area"].pk != point.focus_area_id:
            areas.append({"area": point.focus_area, "points": []})
        point_reports = reports.get(point.pk, [])
        areas[-1]["points"].append({
            "point": point, "overall": rolled[point.pk].overall, "rollup": rolled[point.pk],
            "reports": point_reports,
            "approved": [r for r in point_reports if r.state == WorkflowState.APPROVED and r.summary.strip()],
        })
    return {"plan": plan, "period": period, "areas": areas, "generated": timezone.now()}


# People --------------------------------------------------------------------------------------------------


def people(*, never_logged_in=False, include_inactive=True, city=None, role=""):
    users = get_user_model().objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("city").order_by("role", "city__name"))
    ).order_by("last_name", "first_name", "username")
    if never_logged_in:
        users = users.filter(last_login__isnull=True)
    if not include_inactive:
        users = users.filter(is_active=True)
    if city is not None:
        users = users.filter(memberships__city=city)
    if role:
        users = users.filter(memberships__role=role)
    if city is not None or role:
        users = users.distinct()
    return users


def delegates_by_city(city_ids) -> dict[int, list]:
    found = defaultdict(list)
    for membership in Membership.objects.filter(
        role=Role.DELEGATE, city_id__in=city_ids, user__is_active=True
    ).select_related("user").order_by("user_id"):
        found[membership.city_id].append(membership.user)
    return found


def person(user_id: int):
    return get_object_or_404(
        get_user_model().objects.prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("city").order_by("role", "city__name"))
        ),
        pk=user_id,
    )


def plans_with_counts():
    return ActionPlan.objects.annotate(
        n_points=Count("focus_areas__action_points", distinct=True),
        n_periods=Count("periods", distinct=True),
    ).select_related("predecessor").order_by("-first_year")

