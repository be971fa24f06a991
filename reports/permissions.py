"""Who may see and do what with progress reports and action points — the one place pages, emails,
exports and services ask.

Each function takes the person's roles (cities.roles.roles_of) and the object, and answers yes or no.
Seeing: a person without a role in the network sees nothing; the Secretariat and the Chair see every
report; anybody else sees their own cities' reports and the approved reports of every city (they make
up each action point's timeline). `visible_reports` is the same rule as a query filter, for lists and
digests. Doing: the workflow's steps (reports/workflow.py) say who takes each.
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


def can_view_report(roles: UserRoles, report: ProgressReport) -> bool:
    return roles.in_network and (report.state in workflow.PUBLIC_IN_NETWORK or can_view_city(roles, report.city_id))


def visible_reports(roles: UserRoles) -> Q:
    """`can_view_report` as a filter on ProgressReport."""
    if roles.sees_whole_network:
        return Q()
    if not roles.in_network:
        return Q(pk__in=[])
    return Q(state__in=workflow.PUBLIC_IN_NETWORK) | Q(city_id__in=roles.city_ids)


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
