"""Turning django-simple-history rows into "who changed what and when, field by field"."""

import datetime
import zoneinfo
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext_lazy as _

HIDDEN_FIELDS = ("version", "updated", "created")
KINDS = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
EVIDENCE_KINDS = {"+": _("added evidence"), "-": _("removed evidence")}


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
    subject: str = ""  # what changed, when a page lists the history of several objects (a point's milestones)


def readable(value, model_field=None, names=None) -> str:
    """A stored value as a person reads it: choices by their label, yes/no, related rows by their name,
    dates in DATE_FORMAT and moments in DATETIME_FORMAT in the current (the viewer's) time zone."""
    if value in (None, ""):
        return "—"
    if model_field is not None:
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if model_field.is_relation and not model_field.many_to_many:
            return (names or {}).get((model_field.related_model, value), str(value))
        if isinstance(model_field, models.FileField):
            return str(value).rsplit("/", 1)[-1]
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return date_format(value, "DATETIME_FORMAT")
    if isinstance(value, datetime.date):
        return date_format(value, "DATE_FORMAT")
    if isinstance(value, float | int | Decimal):
        return number_format(value)
    return str(value)


@contextmanager
def in_viewers_time_zone(user):
    """Dates and times rendered in the block read in the person's own time zone (User.time_zone)."""
    try:
        zone = zoneinfo.ZoneInfo(getattr(user, "time_zone", "") or settings.TIME_ZONE)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        zone = zoneinfo.ZoneInfo(settings.TIME_ZONE)
    with timezone.override(zone):
        yield zone


def _related_names(wanted: dict) -> dict:
    """{(model, pk): name} for every related row named in the changes, one query per related model."""
    names = {}
    for related_model, pks in wanted.items():
        for row in related_model._default_manager.filter(pk__in=pks):
            names[(related_model, row.pk)] = str(row)
    return names


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


def history_entries(records, model, *, hidden=HIDDEN_FIELDS, m2m_fields=(), added_removed=None,
                    added_removed_kinds=EVIDENCE_KINDS, subject=None) -> list[HistoryEntry]:
    """Entries newest first, every value as a person reads it (`readable`; render them with the
    viewer's time zone active). `records` is the object's history queryset, oldest first, with
    history_user selected; related rows in changed fields are named with one query per related model,
    and each field in `m2m_fields` costs one query whatever the number of records. `added_removed`
    (e.g. a report's evidence history) adds an entry for each row created or deleted there, named by
    `added_removed_kinds`. `subject(record)`: the records are of several objects (each object's oldest
    first), every change is compared with the same object's previous record, and each entry is named by
    what `subject` says of its record."""
    snapshots = {name: m2m_snapshots(records, name) for name in m2m_fields}
    records = list(records)
    pk = model._meta.pk.attname
    pairs = []
    wanted = {}
    for previous, record in zip([None] + records[:-1], records):
        changes = []
        if previous is not None and getattr(previous, pk) != getattr(record, pk):
            previous = None
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, excluded_fields=list(hidden) + list(m2m_fields))
            for name, by_record in snapshots.items():
                old, new = by_record.get(previous.history_id, "—"), by_record.get(record.history_id, "—")
                if old != new:
                    changes.append((model._meta.get_field(name), old, new, True))
            for change in delta.changes:
                model_field = model._meta.get_field(change.field)
                if model_field.is_relation:
                    wanted.setdefault(model_field.related_model, set()).update(
                        v for v in (change.old, change.new) if v not in (None, ""))
                changes.append((model_field, change.old, change.new, False))
        pairs.append((record, changes))

    names = _related_names(wanted)
    entries = []
    for record, changes in pairs:
        entries.append(HistoryEntry(
            when=record.history_date,
            who=record.history_user,
            kind=KINDS.get(record.history_type, record.history_type),
            reason=record.history_change_reason or "",
            subject=subject(record) if subject is not None else "",
            changes=[
                Change(
                    field=model_field.verbose_name,
                    old=old if is_m2m else readable(old, model_field, names),
                    new=new if is_m2m else readable(new, model_field, names),
                )
                for model_field, old, new, is_m2m in changes
            ],
        ))
    for record in added_removed if added_removed is not None else ():
        if record.history_type in added_removed_kinds:
            entries.append(HistoryEntry(
                when=record.history_date, who=record.history_user, kind=added_removed_kinds[record.history_type],
                reason=str(record.instance),
            ))
    entries.sort(key=lambda entry: entry.when)
    return list(reversed(entries))
