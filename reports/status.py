"""An action point's overall status — one rule for its page, the plan, the digest, the progress report,
the public pages and the API.

The coordinating city's delegate confirms the point's status period by period on the point's roll-up
(reports/rollup.py, services.confirm_point_status); the point's overall status is the one confirmed for
its latest confirmed period (kept in ActionPoint.status by that service and by nothing else). Until a
status is confirmed, the status is derived
from the taking-part cities' latest *approved* reports, and says so: the worst of them (delayed, then
at risk, then on track), "completed" only when every city's latest report says so. With no approved
report either, the point has no status yet. So a point can never read "Not started" while its
approved reports say "On track".
"""

from collections import defaultdict
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from actions.models import DeliveryStatus

from . import workflow
from .models import ProgressReport

WORST_FIRST = (DeliveryStatus.DELAYED, DeliveryStatus.AT_RISK, DeliveryStatus.ON_TRACK, DeliveryStatus.NOT_STARTED)
_ONLY_COMPLETED = {DeliveryStatus.COMPLETED}


@dataclass(frozen=True)
class OverallStatus:
    status: str | None  # a DeliveryStatus value, or None: nobody has said anything yet
    set_by_coordinator: bool

    @property
    def label(self) -> str:
        return DeliveryStatus(self.status).label if self.status else str(_("No status yet"))

    @property
    def derived(self) -> bool:
        return self.status is not None and not self.set_by_coordinator


def worst_of(statuses) -> str | None:
    """The status a set of approved reports adds up to: the worst of them, "completed" only when every
    one says so, None when there is none. The overall status and the roll-up's suggestion both use it."""
    present = set(statuses)  # a roll-up asks this for every point and period: a set, not generators
    if not present:
        return None
    if present == _ONLY_COMPLETED:
        return DeliveryStatus.COMPLETED
    return next(s for s in WORST_FIRST if s in present or s == DeliveryStatus.NOT_STARTED)


def overall_status(point, latest_approved: list[str]) -> OverallStatus:
    """`latest_approved`: the delivery status of each taking-part city's latest approved report."""
    if point.status:
        return OverallStatus(point.status, True)
    return OverallStatus(worst_of(latest_approved), False)


def latest_approved_statuses(point_ids, *, published_only: bool = False) -> dict[int, list[str]]:
    """{point id: [the delivery status of each city's latest approved report on it]}, in one query.
    `published_only`: of the reports the public sees (reports.permissions.published_reports)."""
    reports = ProgressReport.objects.filter(action_point_id__in=list(point_ids), state__in=workflow.PUBLIC_IN_NETWORK)
    if published_only:
        from .permissions import published_reports

        reports = reports.filter(published_reports())
    latest = {}
    for point_id, city_id, status in (
        reports.order_by("period__start", "published_at").values_list("action_point_id", "city_id", "delivery_status")
    ):
        latest[(point_id, city_id)] = status
    by_point = defaultdict(list)
    for (point_id, _city_id), status in latest.items():
        by_point[point_id].append(status)
    return by_point


def overall_statuses_of(points, approved, periods) -> dict[int, OverallStatus]:
    """overall_statuses from rows the caller has read: `approved` holds (point id, city id, period id,
    delivery status) of every approved report on the points, in any of `periods` (their plan's, in
    order). A city has one report per point and period, so its latest is the one of the latest period."""
    order = {period.pk: index for index, period in enumerate(periods)}
    latest = {}
    for point_id, city_id, _period_id, status in sorted(approved, key=lambda row: order[row[2]]):
        latest[(point_id, city_id)] = status
    by_point = defaultdict(list)
    for (point_id, _city_id), status in latest.items():
        by_point[point_id].append(status)
    return {point.pk: overall_status(point, by_point.get(point.pk, [])) for point in points}


def overall_status_from_timeline(point, timeline) -> OverallStatus:
    """The point's overall status from its approved reports (reports.selectors.approved_timeline: every
    approved report on it, newest period first)."""
    latest = {}
    for report in timeline:
        latest.setdefault(report.city_id, report.delivery_status)
    return overall_status(point, list(latest.values()))


class _NotSetByCoordinator:
    status = None


def overall_statuses(points, *, public: bool = False) -> dict[int, OverallStatus]:
    """Every point's overall status, in one query whatever the number of points.

    `public`: as the public is told it — from published reports alone, never the coordinator's own word
    or an approved report the Secretariat has not published."""
    approved = latest_approved_statuses((point.pk for point in points), published_only=public)
    return {point.pk: overall_status(_NotSetByCoordinator if public else point, approved.get(point.pk, []))
            for point in points}
