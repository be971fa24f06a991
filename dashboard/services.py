"""Changes the Secretariat makes from its pages: reminders, running the plan, people, invitations.

Report reviews are not here: they go through reports.services (report_approve / report_return).
"""

import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from actions.models import ActionPlan, ActionPoint, DeliveryStatus, FocusArea
from baltmet.db import save_new_unique
from cities.models import City, Membership
from notifications.services import email_queue
from reports.models import ReportingPeriod

from .models import Invitation, token_digest

INVITATION_VALID_FOR = timedelta(days=7)


class InvitationInvalid(Exception):
    """The link is unknown, used, revoked or expired."""


# Running the plan ----------------------------------------------------------------------------------------


@transaction.atomic
def point_assign(*, point: ActionPoint, coordinating_city: City | None, partner_cities, user) -> ActionPoint:
    partners = [city for city in partner_cities if city != coordinating_city]
    point.coordinating_city = coordinating_city
    point.demo_assignment = False
    point._history_user = user
    point._change_reason = "Cities assigned by the Secretariat"
    point.save(update_fields=["coordinating_city", "demo_assignment"])
    point.partner_cities.set(partners)
    return point


@transaction.atomic
def period_save(*, period: ReportingPeriod, user) -> ReportingPeriod:
    """Create or change a period (label, dates, due date); the caller's form has validated it."""
    period.full_clean()
    period._history_user = user
    period.save()
    return period


@transaction.atomic
def period_set_closed(*, period: ReportingPeriod, closed: bool, user) -> ReportingPeriod:
    """Close a period (its reports are locked by reports.services) or open it again."""
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_closed != closed:
        period.is_closed = closed
        period._history_user = user
        period._change_reason = "Period closed" if closed else "Period reopened"
        period.save(update_fields=["is_closed"])
    return period


@transaction.atomic
def plan_start_successor(*, plan: ActionPlan, title: str, first_year: int, last_year: int, user) -> ActionPlan:
    """A draft plan copying `plan`'s focus areas and action points; each copied point `continues`
    the point it was copied from, so a point's record reads across plans."""
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if ActionPlan.objects.filter(predecessor=plan).exists():
        raise ValidationError(_("This plan already has a successor."))
    successor = ActionPlan(
        title=title, first_year=first_year, last_year=last_year, status=ActionPlan.Status.DRAFT,
        introduction=plan.introduction, predecessor=plan,
    )
    successor.full_clean()
    successor._history_user = user
    successor._change_reason = f"Started from {plan.title}"
    successor.save()
    for area in plan.focus_areas.order_by("number").prefetch_related("action_points__partner_cities"):
        new_area = FocusArea(plan=successor, number=area.number, title=area.title, description=area.description)
        new_area._history_user = user
        new_area.save()
        for point in area.action_points.order_by("sequence"):
            new_point = ActionPoint(
                focus_area=new_area, sequence=point.sequence, text=point.text,
                coordinating_city_id=point.coordinating_city_id, status=DeliveryStatus.NOT_STARTED,
                continues=point, demo_assignment=point.demo_assignment,
            )
            new_point._history_user = user
            new_point._change_reason = f"Continues {point.number} of {plan.title}"
            new_point.save()
            new_point.partner_cities.set(point.partner_cities.all())
    return successor


# People --------------------------------------------------------------------------------------------------


@transaction.atomic
def membership_change(*, membership: Membership, role: str, city: City | None, user) -> Membership:
    membership.role = role
    membership.city = city
    membership.full_clean()
    membership._history_user = user
    membership.save()
    return membership


@transaction.atomic
def membership_add(*, person, role: str, city: City | None, user) -> Membership:
    membership = Membership(user=person, role=role, city=city)
    membership.full_clean()
    membership._history_user = user
    save_new_unique(membership, _("This role was given to this person a moment ago (by somebody else)."))
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, user) -> bool:
    """Remove a role; False when it was already removed (by a double click, or a colleague)."""
    locked = Membership.objects.select_for_update().filter(pk=membership.pk).order_by().first()
    if locked is None:
        return False
    locked._history_user = user
    locked.delete()
    return True


@transaction.atomic
def person_set_active(*, person, active: bool, user):
    """Deactivating keeps the person and everything they wrote; they just can no longer log in."""
    if person.pk == user.pk and not active:
        raise ValidationError(_("You cannot deactivate yourself."))
    person = type(person).objects.select_for_update().get(pk=person.pk)
    if person.is_active != active:
        person.is_active = active
        person._history_user = user
        person._change_reason = "Activated" if active else "Deactivated"
        person.save(update_fields=["is_active"])
    return person


# Invitations ---------------------------------------------------------------------------------------------


@dataclass
class _Recipient:
    """What email_queue needs to know about someone who has no account yet."""

    email: str
    language: str
    time_zone: str | None = None


@transaction.atomic
def invitation_send(*, email: str, role: str, city: City, invited_by, first_name: str = "", last_name: str = "",
                    language: str = "en") -> tuple[Invitation, str]:
    """Record the invitation and email the link. Returns the invitation and the raw token (only
    ever in the email; the database keeps its digest)."""
    email = get_user_model().objects.normalize_email(email).strip()
    if get_user_model().objects.filter(email__iexact=email).exists():
        raise ValidationError(_("Somebody with this email already has an account; change their role on their page."))
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    invitation = Invitation(
        email=email, role=role, city=city, first_name=first_name, last_name=last_name, language=language,
        token_hash=token_digest(token), invited_by=invited_by, expires_at=now + INVITATION_VALID_FOR,
    )
    invitation.full_clean(exclude=["token_hash"])
    invitation._history_user = invited_by
    invitation.save()
    # Earlier open invitations to the same address stop working: only the newest link counts.
    for older in Invitation.objects.usable().filter(email__iexact=email).exclude(pk=invitation.pk):
        older.revoked = True
        older._history_user = invited_by
        older.save(update_fields=["revoked"])
    email_queue(
        kind="invitation", key=f"invitation:{invitation.pk}", users=[_Recipient(email=email, language=language)],
        template="invitation",
        context={"invitation": invitation, "token": token, "inviter": invited_by},
    )
    return invitation, token


def invitation_for_token(token: str) -> Invitation:
    invitation = Invitation.objects.select_related("city").filter(token_hash=token_digest(token)).first()
    if invitation is None or not invitation.is_usable:
        raise InvitationInvalid(token)
    return invitation


@transaction.atomic
def invitation_accept(*, token: str, password: str, first_name: str = "", last_name: str = ""):
    """Create the account with its membership and spend the link. The row lock makes a double
    submit create one account."""
    invitation = (
        Invitation.objects.select_for_update().filter(token_hash=token_digest(token)).first()
    )
    if invitation is None or not invitation.is_usable:
        raise InvitationInvalid(token)
    User = get_user_model()
    if User.objects.filter(username__iexact=invitation.email).exists():
        raise InvitationInvalid(token)
    person = User(
        username=invitation.email, email=invitation.email, language=invitation.language,
        first_name=first_name or invitation.first_name, last_name=last_name or invitation.last_name,
    )
    person.set_password(password)
    person._change_reason = "Accepted an invitation"
    person.save()
    membership = Membership(user=person, role=invitation.role, city=invitation.city)
    membership._history_user = invitation.invited_by
    membership._change_reason = "Accepted an invitation"
    membership.save()
    invitation.used_at = timezone.now()
    invitation.user = person
    invitation._history_user = person
    invitation.save(update_fields=["used_at", "user"])
    return person
