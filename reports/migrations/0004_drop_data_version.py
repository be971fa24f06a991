"""The data version of the page cache (the former `freshness` app) is gone: drop its storage."""

from django.db import migrations


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS freshness_data_version")
    else:
        schema_editor.execute("DROP TABLE IF EXISTS freshness_data_version")
    schema_editor.execute("DELETE FROM django_migrations WHERE app = 'freshness'")


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_historicalevidence_evidence")]
    operations = [migrations.RunPython(drop, migrations.RunPython.noop)]
