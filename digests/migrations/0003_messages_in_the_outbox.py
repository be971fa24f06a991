"""Digests and reminders are written into the one outbox (notifications.OutboxMessage).

Each digest delivery becomes an outbox message under the key "<kind>:<period>:u<person>[:copy<n>]",
with its window, status and attempts; reminder items point at the message. Deliveries not sent by the
time of the upgrade had no content yet (it was rendered at send time): a pending digest is marked
failed (the next digest starts where the last one *sent* ended, so nothing it would have told is lost),
and a pending reminder is dropped with its items, so the engine reminds of them again.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.utils import timezone

NOT_SENT = "Not sent before the upgrade to the one outbox; the next digest covers these changes."


def move(apps, schema_editor):
    DigestDelivery = apps.get_model("digests", "DigestDelivery")
    ReminderItem = apps.get_model("digests", "ReminderItem")
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    now = timezone.now()
    for delivery in DigestDelivery.objects.select_related("recipient").order_by("pk").iterator():
        if delivery.status == "pending" and delivery.kind == "reminder":
            ReminderItem.objects.filter(delivery=delivery).delete()
            continue
        status, failed_at, error = delivery.status, delivery.failed_at, delivery.last_error
        if status == "pending":
            status, failed_at, error = "failed", now, NOT_SENT
        key = f"{delivery.kind}:{delivery.period_key}:u{delivery.recipient_id}" + (
            f":copy{delivery.copy}" if delivery.copy else "")
        message = OutboxMessage.objects.create(
            key=key, kind=delivery.kind, recipient_id=delivery.recipient_id,
            to=delivery.to or delivery.recipient.email, subject=delivery.subject, body_text="",
            status=status, attempts=delivery.attempts, last_error=error, sent_at=delivery.sent_at,
            failed_at=failed_at, window_start=delivery.window_start, window_end=delivery.window_end,
        )
        OutboxMessage.objects.filter(pk=message.pk).update(created=delivery.created)
        ReminderItem.objects.filter(delivery=delivery).update(message=message)


class Migration(migrations.Migration):
    dependencies = [
        ("digests", "0002_digest_schedules"),
        ("notifications", "0005_outbox_constraints"),
    ]

    operations = [
        migrations.AddField(model_name="reminderitem", name="message", field=models.ForeignKey(
            null=True, on_delete=django.db.models.deletion.CASCADE, related_name="reminder_items",
            to="notifications.outboxmessage", verbose_name="email")),
        migrations.AddField(model_name="historicalreminderitem", name="message", field=models.ForeignKey(
            blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING,
            related_name="+", to="notifications.outboxmessage", verbose_name="email")),
        migrations.RunPython(move, migrations.RunPython.noop),
    ]
