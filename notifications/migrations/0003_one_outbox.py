"""One outbox for every email: an idempotency key, the recipient, headers, a status and the digest window."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0002_outbox_sweep_schedule"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveIndex(model_name="outboxmessage", name="outbox_pending_idx"),
        migrations.AddField(model_name="outboxmessage", name="key", field=models.CharField(
            max_length=200, null=True, verbose_name="key")),
        migrations.AddField(model_name="outboxmessage", name="recipient", field=models.ForeignKey(
            blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="outbox_messages",
            to=settings.AUTH_USER_MODEL, verbose_name="recipient")),
        migrations.AddField(model_name="outboxmessage", name="headers", field=models.JSONField(
            blank=True, default=dict, verbose_name="headers")),
        migrations.AddField(model_name="outboxmessage", name="status", field=models.CharField(
            choices=[("pending", "Pending"), ("sent", "Sent"), ("failed", "Failed")], default="pending",
            max_length=10, verbose_name="status")),
        migrations.AddField(model_name="outboxmessage", name="next_attempt_at", field=models.DateTimeField(
            blank=True, null=True, verbose_name="next attempt at")),
        migrations.AddField(model_name="outboxmessage", name="window_start", field=models.DateTimeField(
            blank=True, null=True, verbose_name="covers changes since")),
        migrations.AddField(model_name="outboxmessage", name="window_end", field=models.DateTimeField(
            blank=True, null=True, verbose_name="covers changes until")),
    ]
