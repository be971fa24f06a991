"""The data version's storage (see freshness/version.py): a sequence on PostgreSQL, a one-row table on SQLite."""

from django.db import migrations

from freshness.version import SEQUENCE


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE SEQUENCE IF NOT EXISTS {SEQUENCE}")
    else:
        schema_editor.execute(f"CREATE TABLE IF NOT EXISTS {SEQUENCE} (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)")
        schema_editor.execute(f"INSERT OR IGNORE INTO {SEQUENCE} (id, value) VALUES (1, 1)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP SEQUENCE IF EXISTS {SEQUENCE}")
    else:
        schema_editor.execute(f"DROP TABLE IF EXISTS {SEQUENCE}")


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [migrations.RunPython(create, drop)]
