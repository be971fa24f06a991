"""Who may see and do what with progress reports and action points — the one place pages, emails,
exports and services ask.

Each function takes the person's roles (cities.roles.roles_of) and the object, and answers yes or no.
Seeing: the Secretariat and the Chair see every report; anybody else with a role sees their own
cities' reports and the approved reports of every city (they make up each action point's timeline);
the public (and an account without a role) sees published reports only — approved reports the
Secretariat published, of cities that do not keep their reports internal. `visible_reports` is the
same rule as a query filter, for lists, digests, exports and the API. Doing: the workflow's steps
(reports/workflow.py) say who takes each.
"""

from django.db.models import Q

from actions.models import ActionPoint
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


def can_view_report(roles: UserRoles, report: ProgressReport) -> bool:
    if not roles.in_network:
        return is_published(report)
    return report.state in workflow.PUBLIC_IN_NETWORK or can_view_city(roles, report.city_id)


def visible_reports(roles: UserRoles) -> Q:
    """`can_view_report` as a filter on ProgressReport."""
    if roles.sees_whole_network:
        return Q()
    if not roles.in_network:
        return published_reports()
    return Q(state__in=workflow.PUBLIC_IN_NETWORK) | Q(city_id__in=roles.city_ids)


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


def can_update_action_point(roles: UserRoles, point: ActionPoint) -> bool:
    """The coordinating city's delegate (and the Secretariat) keep the point's overall status."""
    return roles.is_secretariat or (
        point.coordinating_city_id is not None and point.coordinating_city_id == roles.delegate_city_id
    )
