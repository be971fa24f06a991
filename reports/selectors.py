"""Reads of progress reports shared by the workspace, the action point page and the history views."""

from dataclasses import dataclass

from django.db.models import Max, Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone

from actions.models import ActionPlan, ActionPoint
from baltmet.links import link
from cities.models import City

from . import permissions, workflow
from .models import Evidence, ProgressReport, ReportingPeriod, WorkflowState


@dataclass
class WorkspaceRow:
    point: ActionPoint
    report: ProgressReport | None
    is_coordinator: bool
    overdue: bool
    point_url: str = ""
    report_url: str = ""
    open_url: str = ""

    @property
    def state(self):
        return self.report.state if self.report else "missing"


def is_overdue(period: ReportingPeriod, report: ProgressReport | None, today=None) -> bool:
    return workflow.is_overdue(state=report.state if report else None, due_date=period.due_date,
                               today=today or timezone.localdate())


def workspace_rows(*, city: City, period: ReportingPeriod) -> list[WorkspaceRow]:
    """The city's action points in the period's plan with the city's report on each, overdue first."""
    points = (
        ActionPoint.objects.for_city(city).filter(focus_area__plan_id=period.plan_id)
        .select_related("focus_area").only("pk", "sequence", "text", "coordinating_city_id", "focus_area__number")
        .order_by("focus_area__number", "sequence")
    )
    reports = {r.action_point_id: r for r in ProgressReport.objects.filter(city=city, period=period).order_by()}
    today = timezone.localdate()
    rows = []
    for point in points:
        report = reports.get(point.pk)
        rows.append(WorkspaceRow(
            point=point, report=report, is_coordinator=point.coordinating_city_id == city.pk,
            overdue=is_overdue(period, report, today), point_url=link("actions:action_point", point.pk),
            report_url=link("reports:report", report.pk) if report else "",
            open_url=link("reports:open", point.pk, period.pk),
        ))
    return sorted(rows, key=lambda row: not row.overdue)  # stable: keeps the plan's order within each group


def periods_of(plan: ActionPlan) -> list[ReportingPeriod]:
    return list(ReportingPeriod.objects.filter(plan=plan).order_by("start"))


def report_detail(report_id: int) -> ProgressReport:
    """A report with what its page shows: its point and focus area, city, period, who submitted and
    reviewed it, and its evidence."""
    return get_object_or_404(
        ProgressReport.objects.select_related(
            "action_point__focus_area", "city", "period", "submitted_by", "reviewed_by",
        ).prefetch_related(Prefetch("evidence", queryset=Evidence.objects.select_related("added_by"))),
        pk=report_id,
    )


def approved_timeline(point: ActionPoint) -> list[ProgressReport]:
    """Every city's approved reports on the point, period by period."""
    return list(
        ProgressReport.objects.filter(action_point=point, state=WorkflowState.APPROVED)
        .select_related("city", "period").order_by("-period__start", "city__name")
    )


def last_reported(point: ActionPoint):
    return ProgressReport.objects.filter(action_point=point, submitted_at__isnull=False).aggregate(
        last=Max("submitted_at")
    )["last"]


def report_history(report: ProgressReport):
    return report.history.select_related("history_user").order_by("history_date", "history_id")


def report_evidence_history(report: ProgressReport):
    """Every link or file added to or removed from the report (removed evidence lives on only here)."""
    return Evidence.history.filter(report_id=report.pk).select_related("history_user").order_by("history_date", "history_id")


def previous_report(report: ProgressReport) -> tuple[ReportingPeriod | None, ProgressReport | None]:
    """The same city's report on the same point for the period before; in the plan's first period,
    its latest report on the point this one continues."""
    previous_period = (
        ReportingPeriod.objects.filter(plan_id=report.period.plan_id, start__lt=report.period.start)
        .order_by("-start").first()
    )
    reports = ProgressReport.objects.select_related("period", "action_point__focus_area").prefetch_related("evidence")
    if previous_period is not None:
        found = reports.filter(action_point_id=report.action_point_id, city_id=report.city_id,
                               period=previous_period).first()
        return previous_period, found
    if report.action_point.continues_id:
        found = reports.filter(action_point_id=report.action_point.continues_id, city_id=report.city_id) \
            .order_by("-period__start").first()
        return (found.period if found else None), found
    return None, None


def partners_latest(report: ProgressReport, roles) -> list[ProgressReport]:
    """The other taking-part cities' latest reports on the same point that the person may see
    (reports.permissions), for the form beside which a delegate writes their own."""
    point = report.action_point
    others = point.taking_part_ids() - {report.city_id}
    latest = {}
    for other in (ProgressReport.objects.filter(action_point_id=point.pk, city_id__in=others)
                  .filter(permissions.visible_reports(roles)).select_related("city", "period")
                  .order_by("period__start")):
        latest[other.city_id] = other
    return sorted(latest.values(), key=lambda r: r.city.name)
