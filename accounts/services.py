"""Changes to accounts that are not Django's own: invitations, activation, throttled password reset links."""

import secrets
from dataclasses import dataclass
from datetime import timedelta
from enum import Enum

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cities.access import require_secretariat
from cities.models import City, Membership
from notifications.services import email_queue

from .models import Invitation, PasswordResetRequest, token_digest

INVITATION_VALID_FOR = timedelta(days=7)


class ResetDecision(Enum):
    SEND = "send"
    ADDRESS_LIMIT = "address"  # told nothing: the address may not be theirs
    CLIENT_LIMIT = "client"  # told to wait


def password_reset_request(*, email: str, client: str) -> tuple[ResetDecision, str]:
    """Record a request for a reset link and say whether to send it (and the request's key): at most PASSWORD_RESET_PER_ADDRESS
    links an hour to one address and PASSWORD_RESET_PER_CLIENT requests an hour from one client."""
    email, since = email.strip().lower(), timezone.now() - timedelta(hours=1)
    recent = PasswordResetRequest.objects.filter(at__gte=since)
    if recent.filter(client=client).count() >= settings.PASSWORD_RESET_PER_CLIENT:
        return ResetDecision.CLIENT_LIMIT, ""
    over_address_limit = recent.filter(email=email).count() >= settings.PASSWORD_RESET_PER_ADDRESS
    request = PasswordResetRequest.objects.create(email=email, client=client)
    return (ResetDecision.ADDRESS_LIMIT if over_address_limit else ResetDecision.SEND), str(request.pk)


class InvitationInvalid(Exception):
    """The link is unknown, used, revoked or expired."""


@transaction.atomic
def person_set_active(*, person, active: bool, user):
    """Deactivating keeps the person and everything they wrote; they just can no longer log in."""
    require_secretariat(user)
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
    require_secretariat(invited_by)
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


LANGUAGE_CHOSEN_BEFORE_SIGN_IN = "language_chosen_before_sign_in"


def user_language_set(*, user, language: str) -> bool:
    """The person's own choice of language, kept on their account for their pages and the emails they get.
    Returns whether it changed (a history row only then)."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("This language is not offered."))
    if user.language == language:
        return False
    user.language = language
    user.save(update_fields=["language"])
    return True
