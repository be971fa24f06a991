"""Who may see and do what with progress reports and action points — the one place pages, emails,
exports and services ask.

Each function takes the person's roles (cities.roles.roles_of) and the object, and answers yes or no.
Seeing: the Secretariat and the Chair see every report; anybody else with a role sees their own
cities' reports and the approved reports of every city (they make up each action point's timeline);
in a two-step plan the coordinating city's delegate also sees its partners' reports on the point once
they leave draft (the coordinator reviews them and writes the consolidated report from them);
the public (and an account without a role) sees published reports only — approved reports the
Secretariat published, of cities that do not keep their reports internal. `visible_reports` is the
same rule as a query filter, for lists, digests, exports and the API. Doing: the workflow's steps
(reports/workflow.py) say who takes each.
"""

from django.db.models import Q

from actions.models import ActionPlan, ActionPoint
from cities.roles import UserRoles

from . import workflow
from .models import ProgressReport, ReportingPeriod


def can_view_network(roles: UserRoles) -> bool:
    """The plan, its action points and their history, initiatives and indicators: anybody with a role."""
    return roles.in_network


def can_view_city(roles: UserRoles, city_id: int) -> bool:
    return roles.sees_whole_network or city_id in roles.city_ids


def is_published(report: ProgressReport) -> bool:
    """Shown to the public: approved, published by the Secretariat, its city not keeping reports internal."""
    return (report.published_at is not None and report.state in workflow.PUBLIC_IN_NETWORK
            and not report.city.reports_internal)


def published_reports() -> Q:
    """`is_published` as a filter on ProgressReport."""
    return Q(published_at__isnull=False, state__in=workflow.PUBLIC_IN_NETWORK, city__reports_internal=False)


def coordinates_in_two_step(roles: UserRoles, report: ProgressReport) -> bool:
    """The person is the delegate of the city coordinating the report's point, in a two-step plan, and the
    report has left draft (its period and plan loaded, or loaded here)."""
    return (roles.delegate_city_id is not None and report.state != workflow.State.DRAFT
            and report.action_point.coordinating_city_id == roles.delegate_city_id
            and report.period.plan.is_two_step)


def can_view_report(roles: UserRoles, report: ProgressReport) -> bool:
    if not roles.in_network:
        return is_published(report)
    return (report.state in workflow.PUBLIC_IN_NETWORK or can_view_city(roles, report.city_id)
            or coordinates_in_two_step(roles, report))


def visible_reports(roles: UserRoles) -> Q:
    """`can_view_report` as a filter on ProgressReport."""
    if roles.sees_whole_network:
        return Q()
    if not roles.in_network:
        return published_reports()
    visible = Q(state__in=workflow.PUBLIC_IN_NETWORK) | Q(city_id__in=roles.city_ids)
    if roles.delegate_city_id is not None:
        visible |= (Q(action_point__coordinating_city_id=roles.delegate_city_id,
                      period__plan__review_mode=ActionPlan.ReviewMode.TWO_STEP) & ~Q(state=workflow.State.DRAFT))
    return visible


def can_publish(roles: UserRoles) -> bool:
    return roles.is_secretariat


def city_takes_part(point: ActionPoint, city_id: int) -> bool:
    """Whether the city coordinates or partners in the point (its partners prefetched)."""
    return city_id in point.taking_part_ids()


def can_start_report(roles: UserRoles, point: ActionPoint, period: ReportingPeriod) -> bool:
    city_id = roles.delegate_city_id
    return (
        city_id is not None
        and not period.is_closed
        and period.plan_id == point.focus_area.plan_id
        and city_takes_part(point, city_id)
    )


def can_edit_report(roles: UserRoles, report: ProgressReport) -> bool:
    return workflow.may_take(workflow.SAVE, roles, report)


def can_review_report(roles: UserRoles, report: ProgressReport) -> bool:
    return workflow.may_take(workflow.APPROVE, roles, report)


def can_accept_report(roles: UserRoles, report: ProgressReport) -> bool:
    """Two-step plans: the coordinating city's delegate, on a partner's report waiting for them."""
    return workflow.may_take(workflow.ACCEPT, roles, report)


def can_coordinate(roles: UserRoles) -> bool:
    """The coordinator's queue: any city delegate (it lists the points their city coordinates)."""
    return roles.delegate_city_id is not None


def can_update_action_point(roles: UserRoles, point: ActionPoint) -> bool:
    """The coordinating city's delegate (and the Secretariat) keep the point's overall status."""
    return roles.is_secretariat or (
        point.coordinating_city_id is not None and point.coordinating_city_id == roles.delegate_city_id
    )
