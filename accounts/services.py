"""Account changes that are not Django's own: throttled password reset links, sent through the outbox."""

from datetime import timedelta
from enum import Enum

from django.conf import settings
from django.utils import timezone

from .models import PasswordResetRequest


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
