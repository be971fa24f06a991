from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    """The reasons the portal writes. Not the field's choices: a new kind needs no migration."""

    REPORT_SUBMITTED = "report_submitted", _("Report submitted")
    REPORT_RETURNED = "report_returned", _("Report returned")
    REPORT_APPROVED = "report_approved", _("Report approved")
    REPORT_TO_COORDINATOR = "report_to_coordinator", _("Report sent to the coordinating city")
    REPORT_ACCEPTED = "report_accepted", _("Report accepted by the coordinating city")
    INITIATIVE_CONSENT = "initiative_consent", _("Initiative: asked to agree")
    INITIATIVE_REMINDER = "initiative_reminder", _("Initiative: reminder")
    INITIATIVE_OUTCOME = "initiative_outcome", _("Initiative: outcome")
    INVITATION = "invitation", _("Invitation")
    PASSWORD_RESET = "password_reset", _("Password reset")
    DIGEST = "digest", _("Digest")
    REMINDER = "reminder", _("Reminder")
    PRACTICE_CONTACT = "practice_contact", _("Best practice: a question from another city")
    TWO_FACTOR_RESET = "two_factor_reset", _("Two-factor sign-in reset")


class OutboxMessage(models.Model):
    """Every email the portal sends — notifications, invitations, password resets, digests, reminders —
    kept as it was sent: the one outbox and the one delivery log.

    A message is written in the transaction that decides to send it, under a key unique per reason and
    recipient (its idempotency key): taking the same decision again (a rerun, a retried task, a second
    beat) finds the key taken and writes nothing. One task sends it (notifications/tasks.py), locking the
    row and marking it sent in the transaction of the SMTP exchange; a periodic sweep sends what a lost
    task or an unreachable broker left behind. See notifications/services.py.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")

    key = models.CharField(_("key"), max_length=200, unique=True,
                           help_text=_("Why and to whom: the same key is never sent twice."))
    kind = models.CharField(_("kind"), max_length=50)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="outbox_messages",
        verbose_name=_("recipient"),
    )
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("plain text"))
    body_html = models.TextField(_("HTML"), blank=True)
    headers = models.JSONField(_("headers"), default=dict, blank=True)
    # Digests: the changes they tell of (the next digest starts where the last one sent ended).
    window_start = models.DateTimeField(_("covers changes since"), null=True, blank=True)
    window_end = models.DateTimeField(_("covers changes until"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outgoing email")
        verbose_name_plural = _("outgoing emails")
        ordering = ["-created", "-pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(status="sent") | Q(sent_at__isnull=False), name="outbox_sent_has_time"),
            models.CheckConstraint(condition=~Q(status="failed") | Q(failed_at__isnull=False),
                                   name="outbox_failed_has_time"),
        ]
        indexes = [
            models.Index(fields=["created"], condition=Q(status="pending"), name="outbox_pending_idx"),
            models.Index(fields=["recipient", "kind", "status"]),
            models.Index(fields=["kind", "created"]),
        ]

    def __str__(self):
        return f"{self.kind} to {self.to}"

    def get_kind_display(self):
        return Kind(self.kind).label if self.kind in Kind.values else self.kind
