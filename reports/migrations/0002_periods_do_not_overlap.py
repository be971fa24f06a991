"""Periods of one plan must not overlap.

A rule across rows, so a CHECK cannot hold it: PostgreSQL gets an exclusion constraint over date
ranges, SQLite (the development default) a pair of triggers that refuse the same rows.
"""

from django.db import migrations

POSTGRES_UP = [
    "CREATE EXTENSION IF NOT EXISTS btree_gist",
    """ALTER TABLE reports_reportingperiod ADD CONSTRAINT period_no_overlap_in_plan
       EXCLUDE USING gist (plan_id WITH =, daterange(start, "end", '[]') WITH &&)""",
]
POSTGRES_DOWN = ["ALTER TABLE reports_reportingperiod DROP CONSTRAINT period_no_overlap_in_plan"]

_SQLITE_CHECK = """
  WHEN EXISTS (
    SELECT 1 FROM reports_reportingperiod p
    WHERE p.plan_id = NEW.plan_id AND p.id IS NOT NEW.id AND p.start <= NEW."end" AND p."end" >= NEW.start
  )
  BEGIN SELECT RAISE(ABORT, 'period_no_overlap_in_plan: periods of a plan must not overlap'); END
"""
SQLITE_UP = [
    f"CREATE TRIGGER period_no_overlap_insert BEFORE INSERT ON reports_reportingperiod {_SQLITE_CHECK}",
    f"CREATE TRIGGER period_no_overlap_update BEFORE UPDATE ON reports_reportingperiod {_SQLITE_CHECK}",
]
SQLITE_DOWN = ["DROP TRIGGER period_no_overlap_insert", "DROP TRIGGER period_no_overlap_update"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_UP, "sqlite": SQLITE_UP}),
            _run({"postgresql": POSTGRES_DOWN, "sqlite": SQLITE_DOWN}),
        ),
    ]
