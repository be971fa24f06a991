"""Keeping the record of meetings and resolutions: only the Secretariat does.

A save locks the row (SELECT … FOR UPDATE) and checks the version the form was opened at, so of two
people saving the same meeting or resolution at once one goes through and the other is told it
changed (MeetingConflict), with nothing of theirs written — not the text, the agenda, the attendance
nor the file that came with it.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from cities.roles import roles_of
from reports.services import NewEvidence

from . import permissions
from .attachments import FilesKeptOnlyIfCommitted, attach
from .models import AgendaItem, Attendance, Meeting, MeetingDocument, Resolution

MEETING_FIELDS = ("kind", "title", "date", "host_city", "place", "minutes")
RESOLUTION_FIELDS = ("meeting", "title", "text")


class MeetingConflict(Exception):
    """Somebody saved it since the form was opened; `current` is what is saved now."""

    def __init__(self, current):
        self.current = current
        super().__init__("The record changed since it was opened.")


@dataclass(frozen=True)
class Presence:
    city_id: int
    status: str
    representatives: str = ""


def _require(user):
    if not permissions.can_manage(roles_of(user)):
        raise PermissionDenied(_("Only the Secretariat keeps the record of meetings."))


def _set_agenda(meeting: Meeting, titles: list[str], user) -> None:
    """The agenda as numbered items: changed titles are updated, new ones added, the rest removed."""
    existing = {item.number: item for item in AgendaItem.objects.filter(meeting=meeting)}
    for number, title in enumerate(titles, start=1):
        item = existing.pop(number, None)
        if item is not None and item.title == title:
            continue
        item = item or AgendaItem(meeting=meeting, number=number)
        item.title = title
        item._history_user = user
        item.save()
    for item in existing.values():
        item._history_user = user
        item.delete()


def _set_attendance(meeting: Meeting, attendance: list[Presence], user) -> None:
    existing = {row.city_id: row for row in Attendance.objects.filter(meeting=meeting)}
    for presence in attendance:
        row = existing.pop(presence.city_id, None)
        if not presence.status:
            if row is not None:
                existing[presence.city_id] = row  # removed below
            continue
        if row is not None and (row.status, row.representatives) == (presence.status, presence.representatives):
            continue
        row = row or Attendance(meeting=meeting, city_id=presence.city_id)
        row.status, row.representatives = presence.status, presence.representatives
        row._history_user = user
        row.save()
    for row in existing.values():
        row._history_user = user
        row.delete()


@transaction.atomic
def meeting_create(*, user, data: dict, agenda: list[str] = (), attendance: list[Presence] = (),
                   documents: list[NewEvidence] = ()) -> Meeting:
    _require(user)
    with FilesKeptOnlyIfCommitted() as stored:
        meeting = Meeting(**{name: data[name] for name in MEETING_FIELDS if name in data})
        meeting._history_user = user
        meeting.save()
        _set_agenda(meeting, list(agenda), user)
        _set_attendance(meeting, list(attendance), user)
        attach(MeetingDocument, {"meeting": meeting}, list(documents), user, stored)
    return meeting


@transaction.atomic
def meeting_update(*, meeting: Meeting, version: int, user, data: dict, agenda: list[str] | None = None,
                   attendance: list[Presence] | None = None, documents: list[NewEvidence] = ()) -> Meeting:
    _require(user)
    with FilesKeptOnlyIfCommitted() as stored:
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if locked.version != version:
            raise MeetingConflict(locked)
        for name in MEETING_FIELDS:
            if name in data:
                setattr(locked, name, data[name])
        locked.version += 1
        locked._history_user = user
        locked.save()
        if agenda is not None:
            _set_agenda(locked, list(agenda), user)
        if attendance is not None:
            _set_attendance(locked, list(attendance), user)
        attach(MeetingDocument, {"meeting": locked}, list(documents), user, stored)
    return locked


@transaction.atomic
def document_remove(*, document: MeetingDocument, user) -> bool:
    """Remove a link or file from the meeting; False when somebody removed it already. The stored file
    stays: its history row still names it."""
    _require(user)
    Meeting.objects.select_for_update().filter(pk=document.meeting_id).first()
    row = MeetingDocument.objects.filter(pk=document.pk).first()
    if row is None:
        return False
    row._history_user = user
    row.delete()
    return True


@transaction.atomic
def resolution_create(*, user, data: dict, plans=(), action_points=()) -> Resolution:
    _require(user)
    resolution = Resolution(**{name: data[name] for name in RESOLUTION_FIELDS if name in data})
    resolution._history_user = user
    resolution.save()
    resolution.plans.set(plans)
    resolution.action_points.set(action_points)
    return resolution


@transaction.atomic
def resolution_update(*, resolution: Resolution, version: int, user, data: dict, plans=None,
                      action_points=None) -> Resolution:
    _require(user)
    locked = Resolution.objects.select_for_update().get(pk=resolution.pk)
    if locked.version != version:
        raise MeetingConflict(locked)
    for name in RESOLUTION_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    locked.version += 1
    locked._history_user = user
    locked.save()
    if plans is not None:
        locked.plans.set(plans)
    if action_points is not None:
        locked.action_points.set(action_points)
    return locked
