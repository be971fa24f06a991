"""Turning django-simple-history rows into "who changed what and when, field by field"."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

HIDDEN_FIELDS = ("version", "updated", "created")
KINDS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}


@dataclass
class Change:
    field: str
    old: object
    new: object


@dataclass
class HistoryEntry:
    when: object
    who: object
    kind: str
    reason: str
    changes: list = field(default_factory=list)


def _display(model, name, value, users):
    if value in (None, ""):
        return "—"
    model_field = model._meta.get_field(name)
    if model_field.choices:
        return dict(model_field.flatchoices).get(value, value)
    if model_field.is_relation and model_field.related_model is get_user_model():
        return users.get(value, value)
    if model_field.many_to_many:
        return value
    return value


def m2m_snapshots(records, field_name: str) -> dict:
    """{history_id: "A, B"} for a tracked many-to-many field, read in one query for all records
    (simple-history's own diff reads it once per record)."""
    history_model = records.model
    through = next(
        f.related_model for f in history_model._meta.get_fields()
        if f.one_to_many and f.related_model.__name__.endswith(f"_{field_name}")
    )
    target = next(f.name for f in through._meta.fields if f.name not in ("m2m_history_id", "history") and
                  f.is_relation and f.related_model is not history_model.instance_type)
    names = {}
    for history_id, label in through.objects.filter(history__in=records).values_list("history_id", f"{target}__name"):
        names.setdefault(history_id, []).append(label)
    return {history_id: ", ".join(sorted(labels)) for history_id, labels in names.items()}


def history_entries(records, model, *, hidden=HIDDEN_FIELDS, m2m_fields=()) -> list[HistoryEntry]:
    """Entries newest first. `records` is the object's history queryset, oldest first, with
    history_user selected; user ids in changed fields are named with one query, and each field in
    `m2m_fields` costs one query whatever the number of records."""
    snapshots = {name: m2m_snapshots(records, name) for name in m2m_fields}
    records = list(records)
    pairs = []
    user_ids = set()
    for previous, record in zip([None] + records[:-1], records):
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=list(hidden) + list(m2m_fields))
            for name, by_record in snapshots.items():
                old, new = by_record.get(previous.history_id, "—"), by_record.get(record.history_id, "—")
                if old != new:
                    changes.append((model._meta.get_field(name), old, new, True))
            for change in delta.changes:
                model_field = model._meta.get_field(change.field)
                if model_field.is_relation and model_field.related_model is get_user_model():
                    user_ids.update(v for v in (change.old, change.new) if v)
                changes.append((model_field, change.old, change.new, False))
        pairs.append((record, changes))

    users = {u.pk: str(u) for u in get_user_model().objects.filter(pk__in=user_ids)} if user_ids else {}
    entries = []
    for record, changes in pairs:
        entries.append(HistoryEntry(
            when=record.history_date,
            who=record.history_user,
            kind=KINDS.get(record.history_type, record.history_type),
            reason=record.history_change_reason or "",
            changes=[
                Change(
                    field=model_field.verbose_name,
                    old=old if is_m2m else _display(model, model_field.name, old, users),
                    new=new if is_m2m else _display(model, model_field.name, new, users),
                )
                for model_field, old, new, is_m2m in changes
            ],
        ))
    return list(reversed(entries))
