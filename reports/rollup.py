"""An action point's roll-up: for one reporting period, every taking-part city's report and status, the
status the approved reports suggest, the status the coordinator confirmed, and the trend over the plan's
periods. The roll-up page, the dashboard, the digest and the progress report all read it from here.

The suggestion is reports.status.worst_of over the period's approved reports — the rule the point's
overall status uses. Everything is read in a fixed number of queries whatever the number of points and
periods.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from actions.models import ActionPoint, DeliveryStatus
from baltmet.links import link, link_pattern
from cities.models import City

from . import permissions, workflow
from .models import PointPeriodStatus, ProgressReport, ReportingPeriod
from .status import OverallStatus, overall_statuses, overall_statuses_of, worst_of

# For the trend only: how good a status is, worst first.
_RANK = {DeliveryStatus.DELAYED: 0, DeliveryStatus.AT_RISK: 1, DeliveryStatus.NOT_STARTED: 2,
         DeliveryStatus.ON_TRACK: 3, DeliveryStatus.COMPLETED: 4}

TRENDS = {
    "improving": (_("improving"), "↗"),
    "steady": (_("steady"), "→"),
    "worsening": (_("worsening"), "↘"),
    "": (_("not enough periods yet"), ""),
}


def rank(status: str | None) -> int:
    """Lower is worse; no status at all sorts last."""
    return _RANK.get(status, len(_RANK))


@dataclass
class CityRow:
    city: City
    is_coordinator: bool
    report: ProgressReport | None = None
    visible: bool = False  # the viewer may open the report (reports.permissions)
    url: str = ""

    @property
    def state(self) -> str:
        return self.report.state if self.report else "missing"

    @property
    def delivery_status(self) -> str | None:
        return self.report.delivery_status if self.report is not None and self.visible else None


@dataclass
class PeriodStatus:
    period: ReportingPeriod
    suggested: str | None
    confirmed: PointPeriodStatus | None = None

    @property
    def status(self) -> str | None:
        return self.confirmed.status if self.confirmed else self.suggested

    @property
    def label(self) -> str:
        return DeliveryStatus(self.status).label if self.status else str(_("No status yet"))


@dataclass(frozen=True)
class Trend:
    word: str  # improving, steady, worsening, or "" (fewer than two periods with a status)

    @property
    def label(self) -> str:
        return str(TRENDS[self.word][0])

    @property
    def arrow(self) -> str:
        return TRENDS[self.word][1]


def trend_of(statuses: list[str | None]) -> Trend:
    """The last two periods that have a status, compared."""
    known = [status for status in statuses if status]
    if len(known) < 2:
        return Trend("")
    before, now = rank(known[-2]), rank(known[-1])
    return Trend("improving" if now > before else "worsening" if now < before else "steady")


@dataclass
class PointRollup:
    point: ActionPoint
    period: ReportingPeriod | None
    overall: OverallStatus
    history: list[PeriodStatus] = field(default_factory=list)  # the plan's periods up to `period`
    rows: list[CityRow] = field(default_factory=list)
    url: str = ""

    @property
    def current(self) -> PeriodStatus | None:
        return self.history[-1] if self.history else None

    @property
    def suggested(self) -> str | None:
        return self.current.suggested if self.current else None

    @property
    def confirmed(self) -> PointPeriodStatus | None:
        return self.current.confirmed if self.current else None

    @property
    def trend(self) -> Trend:
        return trend_of([entry.status for entry in self.history])

    @property
    def suggested_label(self) -> str:
        return DeliveryStatus(self.suggested).label if self.suggested else str(_("No approved reports yet"))


def suggested_status(point_id: int, period_id: int) -> str | None:
    """The status the period's approved reports on the point suggest (one query)."""
    return worst_of(ProgressReport.objects.filter(action_point_id=point_id, period_id=period_id,
                                                  state__in=workflow.PUBLIC_IN_NETWORK)
                    .values_list("delivery_status", flat=True))


def rollups(points, *, periods: list[ReportingPeriod], period: ReportingPeriod | None, roles=None,
            with_rows: bool = False, overall: dict | None = None, until=None, approved=None) -> dict[int, PointRollup]:
    """{point id: its roll-up for `period`} for points of one plan whose `periods` (in order) are given.

    `with_rows`: each taking-part city's row too, with links to the reports `roles` may see (the
    points' partner cities prefetched). `overall`: the points' overall statuses when the caller has
    them already (the digest's, as at its window's end); `until`: only what was approved and confirmed
    by then. `approved`: (point id, city id, period id, delivery status) of every approved report on the
    points in any of `periods` (by `until`, if given), when the caller has read them (the dashboard, the
    digest): then neither they nor the overall statuses are read again. A fixed number of queries
    whatever the number of points."""
    points = list(points)
    point_ids = [point.pk for point in points]
    upto = [p for p in periods if period is None or p.start <= period.start]
    period_ids = [p.pk for p in upto]
    # Unordered: read into a dict (the model orders by period, a join PostgreSQL would plan and sort for nothing).
    confirmations = PointPeriodStatus.objects.filter(action_point_id__in=point_ids, period_id__in=period_ids).order_by()
    if approved is None:
        reports = ProgressReport.objects.filter(action_point_id__in=point_ids, period_id__in=period_ids,
                                                state__in=workflow.PUBLIC_IN_NETWORK)
        if until is not None:
            reports = reports.filter(reviewed_at__lte=until)
        rows = reports.order_by().values_list("action_point_id", "period_id", "delivery_status")
    else:
        rows = [(point_id, period_id, status) for point_id, _city_id, period_id, status in approved]
        if overall is None:
            overall = overall_statuses_of(points, approved, periods)
    if until is not None:
        confirmations = confirmations.filter(confirmed_at__lte=until)
    by_period = defaultdict(list)
    for point_id, period_id, status in rows:
        by_period[(point_id, period_id)].append(status)
    if with_rows:  # the point's own roll-up page says who confirmed
        confirmations = confirmations.select_related("confirmed_by")
    confirmed = {(row.action_point_id, row.period_id): row for row in confirmations}
    if overall is None:
        overall = overall_statuses(points)
    result = {}
    rollup_link = link_pattern("reports:rollup")
    query = f"?period={period.pk}" if period else ""
    for point in points:
        point_id = point.id
        result[point_id] = PointRollup(
            point=point, period=period, overall=overall[point_id],
            history=[PeriodStatus(p, worst_of(by_period[(point_id, p.id)]), confirmed.get((point_id, p.id)))
                     for p in upto],
            url=rollup_link(point_id) + query,
        )
    if with_rows and period is not None:
        _add_rows(points, result, period, roles)
    return result


def _add_rows(points, result, period, roles):
    reports = {(r.action_point_id, r.city_id): r for r in
               ProgressReport.objects.filter(action_point__in=points, period=period).order_by()}
    visible = set(ProgressReport.objects.filter(pk__in=[r.pk for r in reports.values()])
                  .filter(permissions.visible_reports(roles)).values_list("pk", flat=True)) if reports else set()
    coordinators = City.objects.in_bulk({point.coordinating_city_id for point in points} - {None})
    for point in points:
        cities = ([coordinators[point.coordinating_city_id]] if point.coordinating_city_id else []) + sorted(
            (city for city in point.partner_cities.all() if city.pk != point.coordinating_city_id),
            key=lambda city: city.name)
        for city in cities:
            report = reports.get((point.pk, city.pk))
            shown = report is not None and report.pk in visible
            result[point.pk].rows.append(CityRow(
                city=city, is_coordinator=city.pk == point.coordinating_city_id, report=report, visible=shown,
                url=link("reports:report", report.pk) if shown else "",
            ))


def point_rollup(point: ActionPoint, *, period: ReportingPeriod | None, roles) -> PointRollup:
    """One point's roll-up with its cities' rows (`point` from actions.selectors.action_point_detail)."""
    periods = list(ReportingPeriod.objects.filter(plan_id=point.focus_area.plan_id).order_by("start"))
    return rollups([point], periods=periods, period=period, roles=roles, with_rows=True)[point.pk]


def confirmation_history(point: ActionPoint, period: ReportingPeriod):
    """Every confirmation of the point's status for the period, newest first, with its reason."""
    return (PointPeriodStatus.history.filter(action_point_id=point.pk, period_id=period.pk)
            .select_related("history_user").order_by("-history_date", "-history_id"))


def worst_points(points, rolled: dict[int, PointRollup], *, limit: int = 3) -> list[PointRollup]:
    """The few points that most need a look: delayed or at risk, or worsening; the worst first."""
    bad = (DeliveryStatus.DELAYED, DeliveryStatus.AT_RISK)
    found = [rolled[p.pk] for p in points if p.pk in rolled and (
        rolled[p.pk].overall.status in bad or rolled[p.pk].trend.word == "worsening")]
    return sorted(found, key=lambda r: (rank(r.overall.status), r.trend.word != "worsening"))[:limit]
