"""Ids and numbers from query strings and forms that are not behind a Django form field.

`str.isdigit()` says yes to "²" and "٣", which `int()` then refuses, and to a hundred digits, which the
database refuses: ids are ASCII digits of sensible length, parsed here and nowhere else."""

import re

from django.core.exceptions import BadRequest
from django.utils.translation import gettext as _

_ID = re.compile(r"[0-9]{1,18}")


def parse_id(value) -> int | None:
    """The value as an id, or None when it is not one."""
    text = value.strip() if isinstance(value, str) else ""
    return int(text) if _ID.fullmatch(text) else None


def id_param(data, name: str, *, required: bool = False) -> int | None:
    """data[name] (a QueryDict) as an id: None when absent (unless required); 400 when it is not an id."""
    raw = data.get(name, "")
    if raw == "" and not required:
        return None
    value = parse_id(raw)
    if value is None:
        raise BadRequest(_("“%(name)s” must be a number.") % {"name": name})
    return value


def id_list_param(data, name: str) -> list[int]:
    """Every data[name] (a QueryDict's list) as ids; 400 when one is not an id."""
    values = [parse_id(raw) for raw in data.getlist(name)]
    if None in values:
        raise BadRequest(_("“%(name)s” must be a list of numbers.") % {"name": name})
    return values
