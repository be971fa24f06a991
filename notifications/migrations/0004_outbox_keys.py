"""Messages written before the one outbox get the key "legacy:<id>" and the status their dates say.
(A migration of its own: PostgreSQL will not alter a table with pending trigger events.)"""

from django.db import migrations


def keys_and_statuses(apps, schema_editor):
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    for message in OutboxMessage.objects.all().iterator():
        message.key = f"legacy:{message.pk}"
        message.status = "sent" if message.sent_at else "failed" if message.failed_at else "pending"
        message.save(update_fields=["key", "status"])


class Migration(migrations.Migration):
    dependencies = [("notifications", "0003_one_outbox")]
    operations = [migrations.RunPython(keys_and_statuses, migrations.RunPython.noop)]
