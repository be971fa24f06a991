from django.db import models
from django.utils.translation import gettext_lazy as _


class OutboxMessage(models.Model):
    """An email the portal has decided to send.

    Written in the same transaction as the change that motivates it, so a change is never saved
    without its notification; a worker sends it, and a periodic sweep sends whatever a lost task
    or an unreachable broker left behind.
    """

    kind = models.CharField(_("kind"), max_length=50)
    to = models.EmailField(_("to"))
    subject = models.CharField(_("subject"), max_length=300)
    body_text = models.TextField(_("plain text"))
    body_html = models.TextField(_("HTML"), blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("failed at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox messages")
        ordering = ["-created"]
        indexes = [
            models.Index(fields=["created"], condition=models.Q(sent_at__isnull=True, failed_at__isnull=True),
                         name="outbox_pending_idx"),
        ]

    def __str__(self):
        return f"{self.kind} to {self.to}"
