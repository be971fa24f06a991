"""Every change to a person's second factor: setting up, checking a code, recovery codes, turning off,
and the Secretariat's reset. Each writes its history row with a reason and a line in the security log."""

import logging
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.utils import bulk_create_with_history

from .models import RECOVERY_CODE_COUNT, RecoveryCode, RecoveryCodes, code_digest, new_code, normalise_code
from .permissions import may_reset_two_factor, two_factor_required

logger = logging.getLogger("baltmet.security")

# History reasons, in English in the database and translated where they are shown.
SETUP_STARTED = gettext_noop("Set-up started")
CONFIRMED = gettext_noop("Authenticator set up")
REPLACED = gettext_noop("Replaced by a new authenticator")
TURNED_OFF = gettext_noop("Two-factor sign-in turned off")
RESET = gettext_noop("Reset by the Secretariat")
RESET_COMMAND = gettext_noop("Reset with manage.py two_factor_reset")
CODES_MADE = gettext_noop("Recovery codes made")
CODES_REPLACED = gettext_noop("Recovery codes replaced")


class CodeRefused(Exception):
    """The code is wrong, already used, or the authenticator asks to wait after several wrong codes."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Verified:
    device: object
    by_recovery_code: bool
    codes_left: int = 0


def _totp_check(device: TOTPDevice, code: str) -> bool:
    """django-otp's check (the current, previous or next 30-second code, never one already used, with
    its own back-off after wrong codes) on the locked row, so one code signs in once however many try
    it at the same moment. Its counters are saved without a history row."""
    allowed, _info = device.verify_is_allowed()
    if not allowed:
        raise CodeRefused(_("Too many wrong codes in a row: wait a few seconds, then try the newest code."))
    device.skip_history_when_saving = True
    return device.verify_token(code)


def second_factor_verify(*, user, code: str) -> Verified:
    """The person's authenticator code or one of their unused recovery codes; raises CodeRefused."""
    code = (code or "").strip()
    digits = code.replace(" ", "")
    with transaction.atomic():
        if digits.isdigit() and len(digits) <= 8:
            device = TOTPDevice.objects.select_for_update().filter(user_id=user.pk, confirmed=True).first()
            if device is not None and _totp_check(device, digits):
                return Verified(device=device, by_recovery_code=False)
        elif normalise_code(code):
            codes = RecoveryCodes.objects.select_for_update().filter(user_id=user.pk, confirmed=True).first()
            if codes is not None and codes.verify_token(code):
                left = codes.codes.filter(used_at__isnull=True).count()
                logger.warning("two-factor recovery code used user=%s codes_left=%s", user.get_username(), left)
                return Verified(device=codes, by_recovery_code=True, codes_left=left)
    raise CodeRefused(_("That code is not right. Enter the 6-digit code your authenticator app shows now, "
                        "or one of your recovery codes."))


def totp_setup_start(*, user) -> TOTPDevice:
    """The authenticator being set up: a new secret, not yet confirmed (the same one while the person
    reloads the page). Nothing changes for the current authenticator until a code of the new one is
    entered."""
    pending = TOTPDevice.objects.filter(user_id=user.pk, confirmed=False).order_by("-pk").first()
    if pending is not None:
        return pending
    device = TOTPDevice(user=user, name="Authenticator app", confirmed=False)
    device._change_reason = SETUP_STARTED
    device.save()
    return device


@transaction.atomic
def totp_setup_confirm(*, user, device_id: int, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirms the new authenticator with a code it shows, removes the one it replaces, and makes a
    new set of recovery codes (returned once, in clear: only their digests are kept)."""
    device = TOTPDevice.objects.select_for_update().filter(pk=device_id, user_id=user.pk).first()
    if device is None or device.confirmed:
        raise CodeRefused(_("This set-up has expired: start again."))
    if not _totp_check(device, code.replace(" ", "")):
        raise CodeRefused(_("That code is not right. Check that the app's clock is right and enter the newest code."))
    replaced = list(TOTPDevice.objects.select_for_update().filter(user_id=user.pk).exclude(pk=device.pk))
    for old in replaced:
        old._change_reason = REPLACED if old.confirmed else SETUP_STARTED
        old._history_user = user
        old.delete()
    device.confirmed = True
    device._change_reason = CONFIRMED
    del device.skip_history_when_saving
    device.save()
    codes = _recovery_codes_make(user=user, reason=CODES_REPLACED if replaced else CODES_MADE)
    logger.warning("two-factor %s user=%s", "replaced" if any(d.confirmed for d in replaced) else "on",
                   user.get_username())
    return device, codes


def _recovery_codes_make(*, user, reason: str) -> list[str]:
    for old in RecoveryCodes.objects.filter(user_id=user.pk):
        old._change_reason = reason
        old.delete()
    device = RecoveryCodes(user=user, name="Recovery codes", confirmed=True)
    device._change_reason = reason
    device.save()
    codes = [new_code() for _ in range(RECOVERY_CODE_COUNT)]
    bulk_create_with_history([RecoveryCode(device=device, digest=code_digest(code)) for code in codes], RecoveryCode,
                             default_change_reason=reason)
    return codes


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """A new set of recovery codes; the old ones stop working. Only with two-factor sign-in on."""
    if not TOTPDevice.objects.select_for_update().filter(user_id=user.pk, confirmed=True).exists():
        raise PermissionDenied(_("Two-factor sign-in is not on."))
    codes = _recovery_codes_make(user=user, reason=CODES_REPLACED)
    logger.warning("two-factor recovery codes replaced user=%s", user.get_username())
    return codes


def _remove_all(*, person, by, reason: str) -> int:
    removed = 0
    for device in [*TOTPDevice.objects.select_for_update().filter(user_id=person.pk),
                   *RecoveryCodes.objects.select_for_update().filter(user_id=person.pk)]:
        device._change_reason = reason
        if by is not None:
            device._history_user = by
        device.delete()
        removed += 1
    return removed


@transaction.atomic
def two_factor_turn_off(*, user) -> None:
    """The person turns their own second factor off; refused to those who must have one."""
    if two_factor_required(user):
        raise PermissionDenied(_("The Secretariat and the administrators must sign in with a second factor."))
    _remove_all(person=user, by=user, reason=TURNED_OFF)
    logger.warning("two-factor off user=%s", user.get_username())


@transaction.atomic
def two_factor_reset(*, person, by, address: str = "?") -> bool:
    """The Secretariat removes a person's authenticator and recovery codes (they lost both). The person
    then signs in with their password alone; if they must have a second factor, they set one up then.
    `by=None` is `manage.py two_factor_reset` (for the last Secretariat member). Returns whether there
    was anything to remove."""
    if by is not None and not may_reset_two_factor(by):
        raise PermissionDenied(_("Only the Secretariat resets another person's two-factor sign-in."))
    removed = _remove_all(person=person, by=by, reason=RESET if by is not None else RESET_COMMAND)
    if removed:
        from django.conf import settings
        from django.utils import timezone

        from notifications.models import Kind
        from notifications.services import email_queue

        # The person hears of it, so a reset they did not ask for does not go unnoticed.
        email_queue(kind=Kind.TWO_FACTOR_RESET, key=f"two_factor_reset:{person.pk}:{timezone.now().timestamp()}",
                    users=[person], template="two_factor_reset",
                    context={"by": _("by the Secretariat") if by is not None else _("by an administrator"),
                             "site_url": settings.SITE_URL})
    logger.warning("two-factor reset user=%s by=%s address=%s", person.get_username(),
                   by.get_username() if by is not None else "manage.py", address)
    return bool(removed)
