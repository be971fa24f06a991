"""Small database helpers for writes that race: locks the ORM does not offer, and unique inserts."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction


def lock_for_share(model, pk) -> dict:
    """Lock a row for share until the transaction ends, and return its columns as they are now.

    Many transactions may hold it together; one that locks the row for update (select_for_update)
    waits for them, and they for it. Django has no FOR SHARE; SQLite needs none (one writer at a time)."""
    table, columns = model._meta.db_table, [field.column for field in model._meta.concrete_fields]
    suffix = " FOR SHARE" if connection.vendor == "postgresql" else ""
    quoted = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {quoted} FROM {connection.ops.quote_name(table)} WHERE id = %s{suffix}", [pk])
        row = cursor.fetchone()
    return dict(zip(columns, row, strict=True)) if row else {}


def save_new_unique(instance, message: str) -> None:
    """Insert a row that its checks found free; if somebody else took the same unique slot at the same
    moment, raise ValidationError(message) instead of an error page (the caller's transaction goes on)."""
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as error:
        raise ValidationError(message, code="taken_meanwhile") from error
