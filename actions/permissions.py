"""Who may change an action point's milestones — asked by the pages, the services and the admin alike.

Everybody with a role in the network sees them (they are part of the point's page). The point's
coordinating city's delegate and the Secretariat add, edit, mark and remove them (the same people who
keep the point's overall status: reports.permissions.can_update_action_point); the delegate of the
city responsible for a milestone may mark that one done or not done. A closed plan's milestones are
its record and stay as they are. Needs the point's focus area and plan loaded.
"""

from cities.roles import UserRoles
from reports.permissions import can_update_action_point

from .models import ActionPlan, ActionPoint, Milestone


def _open(point: ActionPoint) -> bool:
    return point.focus_area.plan.status != ActionPlan.Status.CLOSED


def can_manage_milestones(roles: UserRoles, point: ActionPoint) -> bool:
    return _open(point) and can_update_action_point(roles, point)


def can_mark_milestone(roles: UserRoles, milestone: Milestone) -> bool:
    point = milestone.action_point
    return can_manage_milestones(roles, point) or (
        _open(point) and roles.delegate_city_id is not None
        and roles.delegate_city_id == milestone.responsible_city_id
    )
