from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    NONE = "none", _("No digest")


class DigestSubscription(models.Model):
    """A person's choice of digest frequency. Without a row, mayors get the monthly digest and
    everybody else none; the Secretariat subscribes anybody else by adding a row in the admin."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_subscription",
        verbose_name=_("person"),
    )
    frequency = models.CharField(_("frequency"), max_length=10, choices=Frequency.choices, default=Frequency.MONTHLY)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("digest subscription")
        verbose_name_plural = _("digest subscriptions")

    def __str__(self):
        return f"{self.user} – {self.get_frequency_display()}"


class ReminderStage(models.TextChoices):
    DUE_SOON = "due_soon", _("Due within 7 days")
    OVERDUE_1 = "overdue_1", _("1 day overdue")
    OVERDUE_7 = "overdue_7", _("7 days overdue")
    OVERDUE_30 = "overdue_30", _("30 days overdue")
    REQUESTED = "requested", _("Reminder from the Secretariat")


class ReminderItem(models.Model):
    """One report a delegate was reminded of, at one stage, in one email. Unique per person, report
    slot and scheduled stage, so the engine never reminds anybody of the same thing at the same stage
    twice; reminders the Secretariat asks for may come again (not within the hour: digests/services.py)."""

    message = models.ForeignKey(
        "notifications.OutboxMessage", on_delete=models.CASCADE, related_name="reminder_items",
        verbose_name=_("email"),
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("recipient"),
    )
    action_point = models.ForeignKey(
        "actions.ActionPoint", on_delete=models.CASCADE, related_name="+", verbose_name=_("action point"),
    )
    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="+", verbose_name=_("city"))
    period = models.ForeignKey(
        "reports.ReportingPeriod", on_delete=models.CASCADE, related_name="+", verbose_name=_("reporting period"),
    )
    stage = models.CharField(_("stage"), max_length=12, choices=ReminderStage.choices)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reminder item")
        verbose_name_plural = _("reminder items")
        ordering = ["message", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "action_point", "city", "period", "stage"], name="reminderitem_once_per_stage",
                condition=~Q(stage="requested"),
            ),
        ]

    def __str__(self):
        return f"{self.get_stage_display()}: {self.action_point_id}/{self.city_id}/{self.period_id}"
