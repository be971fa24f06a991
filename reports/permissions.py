"""Who may do what with progress reports and action points — the one place every view asks.

Each function takes the person's roles (cities.roles.roles_of) and the object, and answers yes or no.
"""

from actions.models import ActionPoint
from cities.roles import UserRoles

from .models import ProgressReport, ReportingPeriod, WorkflowState

EDITABLE_STATES = (WorkflowState.DRAFT, WorkflowState.RETURNED)


def can_view_city(roles: UserRoles, city_id: int) -> bool:
    return roles.sees_whole_network or city_id in roles.city_ids


def can_view_report(roles: UserRoles, report: ProgressReport) -> bool:
    # Approved reports are public within the network: they appear on every action point's timeline.
    return report.state == WorkflowState.APPROVED or can_view_city(roles, report.city_id)


def city_takes_part(point: ActionPoint, city_id: int) -> bool:
    return city_id == point.coordinating_city_id or any(c.pk == city_id for c in point.partner_cities.all())


def can_start_report(roles: UserRoles, point: ActionPoint, period: ReportingPeriod) -> bool:
    city_id = roles.delegate_city_id
    return (
        city_id is not None
        and not period.is_closed
        and period.plan_id == point.focus_area.plan_id
        and city_takes_part(point, city_id)
    )


def can_edit_report(roles: UserRoles, report: ProgressReport) -> bool:
    return (
        report.city_id == roles.delegate_city_id
        and report.state in EDITABLE_STATES
        and not report.period.is_closed
    )


def can_review_report(roles: UserRoles, report: ProgressReport) -> bool:
    return roles.is_secretariat and report.state == WorkflowState.SUBMITTED and not report.period.is_closed


def can_update_action_point(roles: UserRoles, point: ActionPoint) -> bool:
    """The coordinating city's delegate (and the Secretariat) keep the point's overall status."""
    return roles.is_secretariat or (
        point.coordinating_city_id is not None and point.coordinating_city_id == roles.delegate_city_id
    )
