"""The data version: a number that moves whenever the portal's data changes, read in one tiny query.

Pages keep their rendered HTML in the cache under a key holding this number (freshness/pages.py), so a
change made by any process (a web worker, the Celery worker, the admin, a management command) shows on
the next request everywhere, and nothing ever needs deleting: old entries age out.

It moves by itself on every ORM save, delete and many-to-many change of the portal's own apps
(freshness/signals.py) and after every migration. Code that writes without the ORM's signals
(`QuerySet.update()`, `bulk_create`, raw SQL) calls `changed()` itself.

PostgreSQL: a sequence, which moves outside transactions and takes no lock, so writers never wait for one
another. It moves at the write (so the writing connection sees it at once) and again after the commit:
a page built by another process between the two reads the old data, and the second move retires it.
SQLite: a one-row table updated inside the writing transaction (SQLite has one writer at a time, and the
new number becomes visible together with the data).
"""

from functools import partial

from django.db import DEFAULT_DB_ALIAS, connections, transaction

SEQUENCE = "freshness_data_version"
# (PostgreSQL, SQLite) statements to read and to move the version.
READ = (f"SELECT last_value FROM {SEQUENCE}", f"SELECT value FROM {SEQUENCE} WHERE id = 1")
MOVE = (f"SELECT nextval('{SEQUENCE}')", f"UPDATE {SEQUENCE} SET value = value + 1 WHERE id = 1")


def current(using: str = DEFAULT_DB_ALIAS) -> int:
    row = _execute(using, READ)
    return row[0] if row else 0


def stamp(using: str = DEFAULT_DB_ALIAS) -> str:
    """The version as a cache key part: with the database's name, so that two databases sharing one
    cache (two instances on one Redis, the benchmark's two scales) never take each other's pages."""
    return f"{connections[using].settings_dict['NAME']}#{current(using)}"


def changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Say that the portal's data changed (or is changing, in the current transaction)."""
    connection = connections[using]
    _move(using)
    if connection.vendor == "postgresql" and connection.in_atomic_block and not _move_queued(connection):
        after_commit = partial(_move, using)
        after_commit.freshness = True
        # Robust: the data is committed by then; a failure here must not turn the request into an error.
        transaction.on_commit(after_commit, using=using, robust=True)


def _move_queued(connection) -> bool:
    # Once per transaction is enough. Should the savepoint it was queued in be rolled back, the writes
    # that queued it are undone with it, and the next write queues it again.
    return any(getattr(func, "freshness", False) for _savepoints, func, _robust in connection.run_on_commit)


def _move(using: str) -> None:
    _execute(using, MOVE)


def _execute(using: str, statements: tuple[str, str]):
    connection = connections[using]
    with connection.cursor() as cursor:
        cursor.execute(statements[0] if connection.vendor == "postgresql" else statements[1])
        return cursor.fetchone() if cursor.description else None
