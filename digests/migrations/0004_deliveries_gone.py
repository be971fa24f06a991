"""Reminder items point at their outbox message; the digest deliveries are gone (see 0003).
(A migration of its own: PostgreSQL will not alter a table with pending trigger events.)"""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("digests", "0003_messages_in_the_outbox")]

    operations = [
        migrations.RemoveConstraint(model_name="reminderitem", name="reminderitem_once_per_stage"),
        migrations.RemoveField(model_name="reminderitem", name="delivery"),
        migrations.RemoveField(model_name="historicalreminderitem", name="delivery"),
        migrations.AlterField(model_name="reminderitem", name="message", field=models.ForeignKey(
            on_delete=django.db.models.deletion.CASCADE, related_name="reminder_items",
            to="notifications.outboxmessage", verbose_name="email")),
        migrations.AlterModelOptions(name="reminderitem", options={
            "ordering": ["message", "pk"], "verbose_name": "reminder item", "verbose_name_plural": "reminder items"}),
        migrations.AlterField(model_name="reminderitem", name="stage", field=models.CharField(
            choices=[("due_soon", "Due within 7 days"), ("overdue_1", "1 day overdue"),
                     ("overdue_7", "7 days overdue"), ("overdue_30", "30 days overdue"),
                     ("requested", "Reminder from the Secretariat")], max_length=12, verbose_name="stage")),
        migrations.AlterField(model_name="historicalreminderitem", name="stage", field=models.CharField(
            choices=[("due_soon", "Due within 7 days"), ("overdue_1", "1 day overdue"),
                     ("overdue_7", "7 days overdue"), ("overdue_30", "30 days overdue"),
                     ("requested", "Reminder from the Secretariat")], max_length=12, verbose_name="stage")),
        migrations.AddConstraint(model_name="reminderitem", constraint=models.UniqueConstraint(
            condition=models.Q(("stage", "requested"), _negated=True),
            fields=("recipient", "action_point", "city", "period", "stage"), name="reminderitem_once_per_stage")),
        migrations.DeleteModel(name="HistoricalDigestDelivery"),
        migrations.DeleteModel(name="DigestDelivery"),
    ]
