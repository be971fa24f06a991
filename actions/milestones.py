"""Changes to an action point's milestones. Views (and anything else) go through here.

Each change locks the milestone's row and checks the version the person's form was opened at, so of
two changes at once one goes through (one history row) and the other is told (MilestoneConflict)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from baltmet.history import in_viewers_time_zone
from cities.models import City
from cities.roles import roles_of

from . import permissions
from .models import ActionPoint, Milestone


class MilestoneConflict(Exception):
    def __init__(self, current):
        self.current = current  # the milestone as saved now, or None if it was removed
        super().__init__("The milestone changed since it was opened.")


def viewers_today(user) -> date:
    """Today where the person is (User.time_zone): what "overdue" and "not in the future" are read against."""
    with in_viewers_time_zone(user):
        return timezone.localdate()


def _point(point_id: int) -> ActionPoint:
    return (ActionPoint.objects.select_related("focus_area__plan").prefetch_related("partner_cities")
            .get(pk=point_id))


def _locked(milestone: Milestone, version: int) -> Milestone:
    locked = Milestone.objects.select_for_update().filter(pk=milestone.pk).first()
    if locked is None or locked.version != version:
        raise MilestoneConflict(locked)
    locked.action_point = _point(locked.action_point_id)
    return locked


def _save(milestone: Milestone, *, user, reason: str) -> Milestone:
    milestone.full_clean()
    milestone._history_user = user
    milestone._change_reason = reason
    milestone.save()
    return milestone


@transaction.atomic
def milestone_add(*, point: ActionPoint, title: str, due_date: date, responsible_city: City, user) -> Milestone:
    point = _point(point.pk)
    if not permissions.can_manage_milestones(roles_of(user), point):
        raise PermissionDenied(_("Only the coordinating city's delegate and the Secretariat define milestones."))
    milestone = Milestone(action_point=point, title=title.strip(), due_date=due_date,
                          responsible_city=responsible_city)
    return _save(milestone, user=user, reason="Milestone added")


@transaction.atomic
def milestone_edit(*, milestone: Milestone, version: int, title: str, due_date: date, responsible_city: City,
                   user) -> Milestone:
    locked = _locked(milestone, version)
    if not permissions.can_manage_milestones(roles_of(user), locked.action_point):
        raise PermissionDenied(_("Only the coordinating city's delegate and the Secretariat edit milestones."))
    locked.title, locked.due_date, locked.responsible_city = title.strip(), due_date, responsible_city
    locked.version += 1
    return _save(locked, user=user, reason="Milestone edited")


@transaction.atomic
def milestone_mark(*, milestone: Milestone, version: int, done: bool, done_on: date | None = None,
                   user) -> Milestone:
    """Done on a date (not in the future, where the person is), or back to not done."""
    locked = _locked(milestone, version)
    if not permissions.can_mark_milestone(roles_of(user), locked):
        raise PermissionDenied(_("Only the coordinating city's delegate, the Secretariat and the responsible "
                                 "city's delegate mark a milestone done."))
    if done:
        if done_on is None:
            raise ValidationError({"done_on": _("Give the date the milestone was done on.")})
        if done_on > viewers_today(user):
            raise ValidationError({"done_on": _("The date it was done on cannot be in the future.")})
    locked.done, locked.done_on = done, (done_on if done else None)
    locked.version += 1
    return _save(locked, user=user, reason="Milestone done" if done else "Milestone not done")


@transaction.atomic
def milestone_remove(*, milestone: Milestone, version: int, user) -> None:
    locked = _locked(milestone, version)
    if not permissions.can_manage_milestones(roles_of(user), locked.action_point):
        raise PermissionDenied(_("Only the coordinating city's delegate and the Secretariat remove milestones."))
    locked._history_user = user
    locked._change_reason = "Milestone removed"
    locked.delete()
