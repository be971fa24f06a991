"""Reads of progress reports shared by the workspace, the action point page and the history views."""

from dataclasses import dataclass

from django.db.models import Exists, Max, OuterRef, Prefetch, Q
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
    rollup_url: str = ""  # the coordinating city's: where it confirms the point's status for the period

    @property
    def state(self):
        return self.report.state if self.report else "missing"


def is_overdue(period: ReportingPeriod, report: ProgressReport | None, today=None) -> bool:
    return workflow.is_overdue(state=report.state if report else None, due_date=period.due_date,
                               today=today or timezone.localdate())


def workspace_rows(*, city: City, period: ReportingPeriod) -> list[WorkspaceRow]:
    """The city's action points in the period's plan with the city's report on each, overdue first."""
    # The plan's few dozen points, each checked for the city (an index probe). ActionPoint.objects.for_city's
    # "id IN (every point the city partners in)" made PostgreSQL read all action points of all plans.
    partners = ActionPoint.partner_cities.through.objects.filter(actionpoint_id=OuterRef("pk"), city=city)
    points = (
        ActionPoint.objects.filter(Q(coordinating_city=city) | Exists(partners), focus_area__plan_id=period.plan_id)
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
            rollup_url=(link("reports:rollup", point.pk) + f"?period={period.pk}"
                        if point.coordinating_city_id == city.pk else ""),
        ))
    return sorted(rows, key=lambda row: not row.overdue)  # stable: keeps the plan's order within each group


def periods_of(plan: ActionPlan) -> list[ReportingPeriod]:
    return list(ReportingPeriod.objects.filter(plan=plan).order_by("start"))


def report_detail(report_id: int) -> ProgressReport:
    """A report with what its page shows: its point and focus area, city, period, who submitted and
    reviewed it, and its evidence."""
    return get_object_or_404(
        ProgressReport.objects.select_related(
            "action_point__focus_area", "action_point__coordinating_city", "city", "period__plan", "submitted_by",
            "reviewed_by",
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


def returned_by(report: ProgressReport):
    """The step that last returned the report (the Secretariat's or the coordinator's), from its history."""
    steps = {workflow.RETURN.reason: workflow.RETURN, workflow.COORDINATOR_RETURN.reason: workflow.COORDINATOR_RETURN}
    reason = (report.history.filter(history_change_reason__in=list(steps)).order_by("-history_date", "-history_id")
              .values_list("history_change_reason", flat=True).first())
    return steps.get(reason)


# Two-step review: the coordinating city's part ------------------------------------------------------------


@dataclass
class PartnerSlot:
    city: City
    report: ProgressReport | None


def partner_reports_in_period(report: ProgressReport, roles) -> list[PartnerSlot]:
    """Every partner city of the report's point with its report for the same period (None: none the
    person may see), for the consolidated report and the coordinator's review, side by side."""
    point = report.action_point
    partners = list(point.partner_cities.exclude(pk=point.coordinating_city_id).order_by("name"))
    reports = {r.city_id: r for r in ProgressReport.objects.filter(
        action_point_id=point.pk, period_id=report.period_id, city__in=partners,
    ).filter(permissions.visible_reports(roles)).select_related("city").prefetch_related("evidence")}
    return [PartnerSlot(city=city, report=reports.get(city.pk)) for city in partners]


@dataclass
class ConsolidatedRow:
    point: ActionPoint
    report: ProgressReport | None  # the coordinating city's own: the consolidated report
    waiting: int  # partner reports with the coordinator
    accepted: int
    partners: int
    open_url: str = ""

    @property
    def state(self):
        return self.report.state if self.report else "missing"


def coordinator_queue(*, city: City, plan: ActionPlan | None, period: ReportingPeriod | None) -> dict:
    """The coordinating city's work in two-step plans: partner reports waiting for it (the longest
    waiting first, every plan and open period), and, for the chosen period, each point it coordinates
    with its consolidated report and how many partner reports are in."""
    waiting = list(
        ProgressReport.objects.filter(
            action_point__coordinating_city=city, state__in=workflow.AWAITING_COORDINATOR,
        ).exclude(city=city).select_related("action_point__focus_area", "city", "period", "submitted_by")
        .order_by("submitted_at", "pk")
    )
    rows = []
    if plan is not None and period is not None and plan.is_two_step:
        points = list(ActionPoint.objects.filter(coordinating_city=city, focus_area__plan=plan)
                      .select_related("focus_area").prefetch_related("partner_cities")
                      .order_by("focus_area__number", "sequence"))
        reports = ProgressReport.objects.filter(action_point__in=points, period=period).order_by()
        states = {(r.action_point_id, r.city_id): r for r in reports}
        for point in points:
            partner_ids = [c.pk for c in point.partner_cities.all() if c.pk != city.pk]
            partner_states = [states[(point.pk, cid)].state for cid in partner_ids if (point.pk, cid) in states]
            rows.append(ConsolidatedRow(
                point=point, report=states.get((point.pk, city.pk)),
                waiting=sum(s in workflow.AWAITING_COORDINATOR for s in partner_states),
                accepted=sum(s in workflow.CONSOLIDATED or s == WorkflowState.APPROVED for s in partner_states),
                partners=len(partner_ids), open_url=link("reports:open", point.pk, period.pk),
            ))
    return {"waiting": waiting, "rows": rows}
