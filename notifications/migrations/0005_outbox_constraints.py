"""The outbox's key is unique, its kinds named, its indexes and constraints in place."""

from django.db import migrations, models

KINDS = [
    ("report_submitted", "Report submitted"), ("report_returned", "Report returned"),
    ("report_approved", "Report approved"), ("initiative_consent", "Initiative: asked to agree"),
    ("initiative_reminder", "Initiative: reminder"), ("initiative_outcome", "Initiative: outcome"),
    ("invitation", "Invitation"), ("password_reset", "Password reset"), ("digest", "Digest"),
    ("reminder", "Reminder"),
]


class Migration(migrations.Migration):
    dependencies = [("notifications", "0004_outbox_keys")]

    operations = [
        migrations.AlterField(model_name="outboxmessage", name="key", field=models.CharField(
            help_text="Why and to whom: the same key is never sent twice.", max_length=200, unique=True,
            verbose_name="key")),
        migrations.AlterField(model_name="outboxmessage", name="kind", field=models.CharField(
            choices=KINDS, max_length=50, verbose_name="kind")),
        migrations.AlterModelOptions(name="outboxmessage", options={
            "ordering": ["-created", "-pk"], "verbose_name": "outgoing email", "verbose_name_plural": "outgoing emails"}),
        migrations.AddIndex(model_name="outboxmessage", index=models.Index(
            condition=models.Q(("status", "pending")), fields=["created"], name="outbox_pending_idx")),
        migrations.AddIndex(model_name="outboxmessage", index=models.Index(
            fields=["recipient", "kind", "status"], name="notificatio_recipie_873191_idx")),
        migrations.AddIndex(model_name="outboxmessage", index=models.Index(
            fields=["kind", "created"], name="notificatio_kind_c086f8_idx")),
        migrations.AddConstraint(model_name="outboxmessage", constraint=models.CheckConstraint(
            condition=models.Q(("status", "sent"), _negated=True) | models.Q(("sent_at__isnull", False)),
            name="outbox_sent_has_time")),
        migrations.AddConstraint(model_name="outboxmessage", constraint=models.CheckConstraint(
            condition=models.Q(("status", "failed"), _negated=True) | models.Q(("failed_at__isnull", False)),
            name="outbox_failed_has_time")),
    ]
