from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


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
