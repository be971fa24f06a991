"""Full-text search on PostgreSQL: a trigger keeps `search_vector` (the title weighted A, the description
and results B, English configuration) and a GIN index serves the searches. SQLite has neither: its search
falls back to plain text matching (practices/selectors.py)."""

from django.db import migrations

POSTGRES_UP = [
    """CREATE FUNCTION practices_practice_search_vector() RETURNS trigger AS $$
    BEGIN
      NEW.search_vector :=
        setweight(to_tsvector('english', coalesce(NEW.title, '')), 'A') ||
        setweight(to_tsvector('english', coalesce(NEW.description, '') || ' ' || coalesce(NEW.results, '')), 'B');
      RETURN NEW;
    END $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER practices_practice_search_vector BEFORE INSERT OR UPDATE OF title, description, results
       ON practices_practice FOR EACH ROW EXECUTE FUNCTION practices_practice_search_vector()""",
    "UPDATE practices_practice SET title = title",
    "CREATE INDEX practice_search_gin ON practices_practice USING gin (search_vector)",
]
POSTGRES_DOWN = [
    "DROP INDEX IF EXISTS practice_search_gin",
    "DROP TRIGGER IF EXISTS practices_practice_search_vector ON practices_practice",
    "DROP FUNCTION IF EXISTS practices_practice_search_vector()",
]


def _run(statements):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            for statement in statements:
                schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("practices", "0001_initial")]

    operations = [migrations.RunPython(_run(POSTGRES_UP), _run(POSTGRES_DOWN))]
