from dataclasses import dataclass

from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import RecoveryCode, RecoveryCodes
from .permissions import two_factor_required


def two_factor_on(user) -> bool:
    """One query: a confirmed authenticator is what "two-factor sign-in is on" means."""
    return TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).exists()


@dataclass(frozen=True)
class TwoFactorStatus:
    on: bool
    required: bool
    since: object = None  # when the authenticator was confirmed
    codes_left: int = 0


def two_factor_status(user) -> TwoFactorStatus:
    device = TOTPDevice.objects.filter(user_id=user.pk, confirmed=True).order_by("-pk").first()
    codes_left = RecoveryCode.objects.filter(device__user_id=user.pk, used_at__isnull=True).count() if device else 0
    return TwoFactorStatus(on=device is not None, required=two_factor_required(user),
                           since=_confirmed_at(device) if device else None, codes_left=codes_left)


def _confirmed_at(device):
    confirmed = device.history.filter(confirmed=True).order_by("history_date").first()
    return confirmed.history_date if confirmed else device.created_at


@dataclass(frozen=True)
class TwoFactorEvent:
    when: object
    who: object  # None: the person themselves at sign-in, or a command
    what: str


def two_factor_history(user, *, limit: int = 50) -> list[TwoFactorEvent]:
    """Every set-up, replacement and reset of the person's authenticator and recovery codes, newest
    first (two queries). Each row carries its reason, written by the service that made the change."""
    rows = [*TOTPDevice.history.filter(user_id=user.pk).select_related("history_user").order_by("-history_date")[:limit],
            *RecoveryCodes.history.filter(user_id=user.pk).select_related("history_user")
            .order_by("-history_date")[:limit]]
    rows.sort(key=lambda row: row.history_date, reverse=True)
    return [TwoFactorEvent(when=row.history_date, who=row.history_user, what=row.history_change_reason or "")
            for row in rows[:limit]]
