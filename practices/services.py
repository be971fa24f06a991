"""Changes to practices: adding, editing, publishing (the Secretariat's moderation), links and files,
and "Ask this city".

Every change of a practice locks its row (SELECT … FOR UPDATE) and checks the version the form was
opened at, so of two people saving at once one goes through and the other is told (PracticeConflict),
with nothing of theirs written. A city's change to a published practice takes it off the public pages
until the Secretariat publishes it again (moderation). A contact request is recorded, and its email written to the outbox in
the same transaction.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cities.models import Role
from cities.roles import roles_of
from meetings.attachments import FilesKeptOnlyIfCommitted, attach
from notifications.services import email_queue
from reports.services import NewEvidence

from . import permissions
from .models import ContactRequest, Practice, PracticeAttachment

FIELDS = ("title", "description", "results", "contact", "languages")


class NobodyToAsk(Exception):
    """Nobody answering for the practice has an email address: a question would reach no one."""


class PracticeConflict(Exception):
    def __init__(self, current):
        self.current = current
        super().__init__("The practice changed since it was opened.")


def _lock(practice) -> Practice:
    return Practice.objects.select_for_update().get(pk=practice.pk)


@transaction.atomic
def practice_create(*, user, city, data: dict, focus_areas=(), action_points=(),
                    attachments: list[NewEvidence] = ()) -> Practice:
    roles = roles_of(user)
    if not permissions.can_create(roles) or not (roles.is_secretariat or roles.delegate_city_id == city.pk):
        raise PermissionDenied(_("You may add practices of your own city only."))
    with FilesKeptOnlyIfCommitted() as stored:
        practice = Practice(city=city, created_by=user, **{name: data[name] for name in FIELDS if name in data})
        practice._history_user = user
        practice.save()
        practice.focus_areas.set(focus_areas)
        practice.action_points.set(action_points)
        attach(PracticeAttachment, {"practice": practice}, list(attachments), user, stored)
    return practice


@transaction.atomic
def practice_update(*, practice: Practice, version: int, user, data: dict, focus_areas=None, action_points=None,
                    attachments: list[NewEvidence] = ()) -> Practice:
    with FilesKeptOnlyIfCommitted() as stored:
        locked = _lock(practice)
        roles = roles_of(user)
        if not permissions.can_edit(roles, locked):
            raise PermissionDenied(_("You may edit practices of your own city only."))
        if locked.version != version:
            raise PracticeConflict(locked)
        for name in FIELDS:
            if name in data:
                setattr(locked, name, data[name])
        locked.version += 1
        locked._history_user = user
        if locked.published_at is not None and not permissions.can_moderate(roles):
            # The public sees only what the Secretariat let through: a city's change goes back to it.
            locked.published_at, locked.published_by = None, None
            locked._change_reason = "Changed by its city: off the public pages until the Secretariat publishes it again"
        locked.save()
        if focus_areas is not None:
            locked.focus_areas.set(focus_areas)
        if action_points is not None:
            locked.action_points.set(action_points)
        attach(PracticeAttachment, {"practice": locked}, list(attachments), user, stored)
    return locked


@transaction.atomic
def practice_publish(*, practice: Practice, user, publish: bool = True) -> bool:
    """Publish (or withdraw) for the public; False when it already was (a second click changes nothing)."""
    if not permissions.can_moderate(roles_of(user)):
        raise PermissionDenied(_("Only the Secretariat publishes practices."))
    locked = _lock(practice)
    if (locked.published_at is not None) == publish:
        return False
    locked.published_at, locked.published_by = (timezone.now(), user) if publish else (None, None)
    locked.version += 1
    locked._history_user = user
    locked._change_reason = "Published" if publish else "Withdrawn from the public pages"
    locked.save()
    return True


@transaction.atomic
def attachment_remove(*, attachment: PracticeAttachment, user) -> bool:
    locked = _lock(attachment.practice)
    if not permissions.can_edit(roles_of(user), locked):
        raise PermissionDenied
    row = PracticeAttachment.objects.filter(pk=attachment.pk).first()
    if row is None:
        return False
    row._history_user = user
    row.delete()
    return True


def contact_recipients(practice: Practice) -> list:
    """Who answers for a practice: its contact person, else the city's delegates."""
    if practice.contact_id and practice.contact.is_active:
        return [practice.contact]
    return list(get_user_model().objects.filter(is_active=True, memberships__role=Role.DELEGATE,
                                                memberships__city_id=practice.city_id).distinct().order_by("pk"))


@transaction.atomic
def contact_request_send(*, practice: Practice, user, message: str) -> ContactRequest:
    roles = roles_of(user)
    if not permissions.can_ask(roles, practice):
        raise PermissionDenied(_("You may not ask about this practice."))
    recipients = [person for person in contact_recipients(practice) if person.pk != user.pk and person.email]
    if not recipients:
        raise NobodyToAsk
    city_id = roles.delegate_city_id or next(iter(sorted(roles.city_ids)), None)
    record = ContactRequest(
        practice=practice, asked_by=user, asking_city_id=city_id, message=message,
        recipients=", ".join(f"{person} <{person.email}>" for person in recipients)[:1000],
    )
    record._history_user = user
    record.save()
    email_queue(kind="practice_contact", key=f"practice_contact:{record.pk}", users=recipients,
                template="practice_contact",
                context={"practice": practice, "asker": user, "message": message, "request": record})
    return record
