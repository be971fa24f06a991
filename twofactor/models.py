"""The second factor: an authenticator app (django-otp's TOTP device) and recovery codes.

A person has two-factor sign-in on when they have a confirmed TOTP device. Recovery codes come with
it: django-otp's own static device keeps its tokens in plain text, so ours keep only a digest of each
code, and a used code stays as a row marked used (with its history), never to be accepted again.
"""

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history import register
from simple_history.models import HistoricalRecords

RECOVERY_CODE_COUNT = 10
# 16 characters of base32 (80 bits): far too many to try, so a plain digest is enough to store.
_ALPHABET = "abcdefghijklmnopqrstuvwxyz234567"

# Setting up, confirming, replacing and resetting an authenticator: who did it and when, in the
# history of django-otp's own model (kept in this app's tables). Each verified code moves the device's
# counters; those saves are not history (services.py skips them).
register(TOTPDevice, app="twofactor", table_name="twofactor_historicaltotpdevice",
         excluded_fields=["key", "last_t", "drift", "throttling_failure_timestamp", "throttling_failure_count",
                          "last_used_at"])


def normalise_code(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())


def code_digest(text: str) -> str:
    return hashlib.sha256(normalise_code(text).encode()).hexdigest()


def new_code() -> str:
    raw = "".join(secrets.choice(_ALPHABET) for _ in range(16))
    return "-".join(raw[i:i + 4] for i in range(0, 16, 4))


class RecoveryCodes(Device):
    """A person's set of recovery codes, as a django-otp device: each code signs in once."""

    created = models.DateTimeField(_("created"), default=timezone.now)

    history = HistoricalRecords()

    class Meta(Device.Meta):
        verbose_name = _("set of recovery codes")
        verbose_name_plural = _("sets of recovery codes")

    def verify_token(self, token):
        """Uses the code up if it is one of this set's unused codes. Call inside a transaction: the
        code's row is locked, so of two sign-ins with the same code at once only one goes through."""
        if not isinstance(token, str) or not 8 <= len(normalise_code(token)) <= 32:
            return False
        code = (self.codes.select_for_update().filter(digest=code_digest(token), used_at__isnull=True).first())
        if code is None:
            return False
        code.used_at = timezone.now()
        code._change_reason = "Used to sign in"
        code.save(update_fields=["used_at"])
        return True


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes",
                               verbose_name=_("set"))
    digest = models.CharField(_("digest"), max_length=64, editable=False)
    used_at = models.DateTimeField(_("used"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("recovery code")
        verbose_name_plural = _("recovery codes")
        constraints = [models.UniqueConstraint(fields=["device", "digest"], name="recovery_code_unique_in_set")]

    def __str__(self):
        return _("recovery code (used)") if self.used_at else _("recovery code")
