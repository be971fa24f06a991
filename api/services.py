"""Making and revoking API tokens."""

import secrets

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from twofactor.permissions import two_factor_required

from .models import ApiToken
from .selectors import secret_hash

SECRET_START = "bm_"  # lets secret scanners and people recognise a BaltMet token
PREFIX_LENGTH = 10  # characters of the secret shown on the page after it is made


@transaction.atomic
def token_create(*, user, name: str, second_factor_passed: bool) -> tuple[ApiToken, str]:
    """Make a token for the person; returns it with its secret, which is never shown again.

    Whoever must sign in with a second factor (the Secretariat) gets a token only from a session that
    passed it: a token acts as the person, so it must not be had with the password alone."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied(_("Sign in to make an API token."))
    if two_factor_required(user) and not second_factor_passed:
        raise PermissionDenied(_("Sign in with your second factor before you make an API token."))
    secret = SECRET_START + secrets.token_urlsafe(32)
    token = ApiToken(user=user, name=name.strip(), prefix=secret[:PREFIX_LENGTH], key_hash=secret_hash(secret))
    token._history_user = user
    token._change_reason = "Token created"
    token.save()
    return token, secret


@transaction.atomic
def token_revoke(*, token: ApiToken, user) -> bool:
    """Revoke the person's own token; False when it was revoked already (a double click)."""
    locked = ApiToken.objects.select_for_update().get(pk=token.pk)
    if locked.user_id != user.pk:
        raise PermissionDenied(_("You can revoke only your own tokens."))
    if locked.revoked_at is not None:
        return False
    locked.revoked_at = timezone.now()
    locked._history_user = user
    locked._change_reason = "Token revoked"
    locked.save(update_fields=["revoked_at"])
    return True


def token_used(*, token: ApiToken) -> None:
    """Note when the token was last used, at most once a minute (no history row: see the model)."""
    now = timezone.now()
    if token.last_used is None or (now - token.last_used).total_seconds() > 60:
        ApiToken.objects.filter(pk=token.pk).update(last_used=now)
        token.last_used = now
