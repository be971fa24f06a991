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


class DeliveryKind(models.TextChoices):
    DIGEST = "digest", _("Digest")
    REMINDER = "reminder", _("Reminder")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class DigestDelivery(models.Model):
    """One email of the engine to one person for one period: a digest ("2026-11", "2026-Q4") or the
    reminder of a day ("2026-11-25").

    The row is created before anything is queued and is unique per person, kind, period and copy, so
    no second beat run or redelivered task can make a second email; the sender claims it under a
    row lock and marks it sent in the same transaction. `copy` is 0 for the scheduled email and
    counts up only when an operator resends a period on purpose (`send_digests --period`).
    """

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="digest_deliveries",
        verbose_name=_("recipient"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DeliveryKind.choices, default=DeliveryKind.DIGEST)
    period_key = models.CharField(_("period"), max_length=10)
    copy = models.PositiveSmallIntegerField(_("copy"), default=0)
    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING,
    )
    to = models.EmailField(_("to"), blank=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    window_start = models.DateTimeField(_("covers changes since"), null=True, blank=True)
    window_end = models.DateTimeField(_("covers changes until"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("digest delivery")
        verbose_name_plural = _("digest deliveries")
        ordering = ["-created", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "period_key", "copy"], name="digestdelivery_once_per_period",
                violation_error_message=_("This person already has this email for this period."),
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.SENT) | Q(sent_at__isnull=False),
                name="digestdelivery_sent_has_time",
            ),
            models.CheckConstraint(
                condition=~Q(status=DeliveryStatus.FAILED) | Q(failed_at__isnull=False),
                name="digestdelivery_failed_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["next_attempt_at"], condition=Q(status="pending"), name="digestdelivery_pending_idx"),
            models.Index(fields=["status", "created"]),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} {self.period_key} to {self.recipient}"


class ReminderStage(models.TextChoices):
    DUE_SOON = "due_soon", _("Due within 7 days")
    OVERDUE_1 = "overdue_1", _("1 day overdue")
    OVERDUE_7 = "overdue_7", _("7 days overdue")
    OVERDUE_30 = "overdue_30", _("30 days overdue")


class ReminderItem(models.Model):
    """One report a delegate was reminded of, at one stage. Unique per person, report slot and
    stage, so the engine never reminds anybody of the same thing at the same stage twice."""

    delivery = models.ForeignKey(
        DigestDelivery, on_delete=models.CASCADE, related_name="reminder_items", verbose_name=_("email"),
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
        ordering = ["delivery", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "action_point", "city", "period", "stage"], name="reminderitem_once_per_stage",
            ),
        ]

    def __str__(self):
        return f"{self.get_stage_display()}: {self.action_point_id}/{self.city_id}/{self.period_id}"
