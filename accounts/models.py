import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cities.models import CITY_ROLES, City


class User(AbstractUser):
    """A person using the portal; what they may do comes from their memberships (cities app)."""

    language = models.CharField(
        _("language"), max_length=10, choices=settings.LANGUAGES, default="en",
        help_text=_("Language of the portal and of the emails you receive."),
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="Europe/Stockholm",
        help_text=_("Dates and times in emails are shown in this time zone."),
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username


class PasswordResetRequest(models.Model):
    """One request for a password reset link, for throttling (accounts/services.py): every request is
    counted, whether the address has an account or not, so the limit reveals nothing about accounts."""

    email = models.CharField(_("email"), max_length=254)
    client = models.CharField(_("client address"), max_length=45)
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")
        indexes = [models.Index(fields=["email", "at"]), models.Index(fields=["client", "at"])]

    def __str__(self):
        return f"{self.email} from {self.client}"


INVITABLE_ROLES = [(role.value, role.label) for role in CITY_ROLES]


def token_digest(token: str) -> str:
    """Only the digest is stored: a leaked database does not hand out working links."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def usable(self, now=None):
        return self.filter(used_at__isnull=True, revoked=False, expires_at__gt=now or timezone.now())


class Invitation(models.Model):
    """An emailed, single-use, expiring link for a delegate, mayor or observer to set a password."""

    email = models.EmailField(_("email"))
    first_name = models.CharField(_("first name"), max_length=150, blank=True)
    last_name = models.CharField(_("last name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=20, choices=INVITABLE_ROLES)
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="+", verbose_name=_("city"))
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, default="en")
    token_hash = models.CharField(_("token digest"), max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("invited by"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    used_at = models.DateTimeField(_("used at"), null=True, blank=True)
    revoked = models.BooleanField(_("revoked"), default=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("account created"),
    )

    history = HistoricalRecords(excluded_fields=["token_hash"])
    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(role__in=[role for role, _label in INVITABLE_ROLES]), name="invitation_city_role",
                violation_error_message=_("Only delegates, mayors and observers are invited."),
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created")), name="invitation_expires_after_created",
            ),
        ]
        indexes = [models.Index(fields=["email"], name="invitation_email_idx")]

    def __str__(self):
        return f"{self.email} ({self.get_role_display()}, {self.city})"

    @property
    def is_usable(self):
        return self.used_at is None and not self.revoked and self.expires_at > timezone.now()
