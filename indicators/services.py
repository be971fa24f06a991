"""Defining indicators, entering the cities' values (by hand or from a CSV file), and setting baselines
and targets.

A CSV upload is all or nothing: every row is checked first and, if any is bad, nothing is written and
each bad row is reported with its line number and why. Values are saved one by one (not with
bulk_create) so that django-simple-history records each change; a corrected value keeps the old one
in history.
"""

import csv
import io
import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from baltmet.db import save_new_unique
from baltmet.params import parse_id
from cities.models import City
from cities.roles import roles_of

from . import permissions
from .models import CityTarget, Indicator, IndicatorValue, NetworkTarget

CSV_COLUMNS = ("city", "year", "value", "source")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
MAX_UPLOAD_BYTES = 1_000_000
# IndicatorValue.value is DecimalField(max_digits=20, decimal_places=4)
MAX_ABS_VALUE = Decimal("1e16")


@dataclass(frozen=True)
class RowError:
    line: int
    city: str
    reasons: tuple[str, ...]


class ImportRefused(Exception):
    """The file was refused whole; `errors` lists each bad row (line 0 for the file as a whole)."""

    def __init__(self, errors: list[RowError]):
        self.errors = errors
        super().__init__(f"{len(errors)} bad rows")


class ValueRefused(Exception):
    pass


@dataclass(frozen=True)
class Imported:
    values: list[IndicatorValue]
    separator: str  # "," or ";" or "\t", as read from the file's first line


# What Excel writes as "CSV" depends on the locale: commas, or semicolons where the comma is the
# decimal mark (most of the network's). The first line says which; a tab-separated file is read too.
SEPARATORS = (";", "\t", ",")
_DECIMAL_COMMA = re.compile(r"^[+-]?\d+,\d+$")


@transaction.atomic
def indicator_save(*, user, indicator: Indicator) -> Indicator:
    """Save a new or changed definition (the form has validated it); the Secretariat only."""
    if not permissions.can_define(roles_of(user)):
        raise PermissionDenied(_("Only the Secretariat defines indicators."))
    indicator._history_user = user
    indicator.save()
    return indicator


def parse_value(text: str, *, decimal_comma: bool = False) -> Decimal | None:
    """A number as written in a spreadsheet export: '12.5', '-3', '1e3'; spaces around are fine. With
    `decimal_comma`, "8,7" is 8.7 (a cell of its own: in a comma file, quoted); "1.234,5" stays refused."""
    text = (text or "").strip()
    if decimal_comma and _DECIMAL_COMMA.match(text):
        text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or abs(value) >= MAX_ABS_VALUE:
        return None
    value = value.quantize(Decimal("0.0001"))  # may round up to the limit: 9999999999999999.99999
    return value if abs(value) < MAX_ABS_VALUE else None


def _value_problem(text: str) -> str:
    try:
        number = Decimal((text or "").strip())
    except InvalidOperation:
        number = None
    if number is not None and number.is_finite():
        return _("“%(value)s” is too large: values have at most 16 digits before the decimal point") % {"value": text}
    return _("“%(value)s” is not a number") % {"value": text}


def _check_year(indicator: Indicator, year: int) -> bool:
    return indicator.first_year <= year <= indicator.last_year


def _save_value(*, indicator, city, year, value, source, user) -> IndicatorValue:
    """Enter or correct one value (the old one stays in history). The first value for a city and year
    entered by two people at once is kept once: the other is refused and asked to look again."""
    row = (IndicatorValue.objects.select_for_update().filter(indicator=indicator, city=city, year=year)
           .order_by().first())  # no ordering: it would join and lock the indicator and city rows too
    if row is not None and row.value == value and row.source == source:
        return row
    new = row is None
    if new:
        row = IndicatorValue(indicator=indicator, city=city, year=year)
    row.value, row.source, row.entered_by = value, source, user
    row._history_user = user
    if not new:
        row.save()
        return row
    try:
        save_new_unique(row, "")
    except ValidationError:
        raise ValueRefused(
            _("Somebody entered a value for %(city)s %(year)s at the same moment; it is shown below. "
              "Check it, and enter yours again to replace it.") % {"city": city, "year": year}
        ) from None
    return row


@transaction.atomic
def indicator_value_set(*, indicator: Indicator, city: City, year: int, value: Decimal, source: str,
                        user) -> IndicatorValue:
    if not permissions.can_enter_for(roles_of(user), city.pk):
        raise PermissionDenied(_("You can enter values for your own city only."))
    if not _check_year(indicator, year):
        raise ValueRefused(_("This indicator is collected for %(first)s–%(last)s.")
                           % {"first": indicator.first_year, "last": indicator.last_year})
    if not (source or "").strip():
        raise ValueRefused(_("Say where the value comes from."))
    return _save_value(indicator=indicator, city=city, year=year, value=value, source=source.strip(), user=user)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportRefused([RowError(0, "", (_("The file is not UTF-8 text. Save it as “CSV UTF-8”."),))]) from None


def _separator(text: str) -> str:
    """The separator of the first line: the one that splits it into the most columns, a comma on a tie."""
    first = text.split("\n", 1)[0]
    counts = {separator: first.count(separator) for separator in SEPARATORS}
    best = max(SEPARATORS, key=lambda separator: (counts[separator], separator == ","))
    return best if counts[best] else ","


def _city_lookup() -> dict[str, City]:
    lookup = {}
    for city in City.objects.all():
        lookup[city.name.casefold()] = city
        lookup[city.slug.casefold()] = city
    return lookup


@transaction.atomic
def indicator_values_import(*, indicator: Indicator, user, data: bytes) -> Imported:
    """Check every row of a city,year,value,source file; write them all, or refuse the file whole.
    The separator is read from the first line; a row with more cells than columns is refused, never
    guessed at (`Riga,2010,8,7,CSB` is 8.7 with a decimal comma, or 8 from a source called "7"?)."""
    roles = roles_of(user)
    if not permissions.can_enter(roles):
        raise PermissionDenied(_("Only delegates and the Secretariat enter values."))
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportRefused([RowError(0, "", (_("The file is larger than 1 MB."),))])
    text = _decode(data)
    separator = _separator(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    try:
        header = [column.strip().casefold() for column in next(reader)]
    except StopIteration:
        raise ImportRefused([RowError(0, "", (_("The file is empty."),))]) from None
    except csv.Error as error:
        raise ImportRefused([RowError(1, "", (_("Not a CSV file: %(error)s") % {"error": error},))]) from None
    missing = [column for column in CSV_COLUMNS if column not in header]
    if missing:
        raise ImportRefused([RowError(1, "", (
            _("The first line must name the columns city, year, value and source, separated by commas or "
              "semicolons; missing: %(columns)s (the first line was read as “%(found)s”).")
            % {"columns": ", ".join(missing), "found": " | ".join(header)[:200]},
        ))])
    position = {column: header.index(column) for column in CSV_COLUMNS}
    cities = _city_lookup()
    seen: dict[tuple[int, int], int] = {}
    errors, good = [], []
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            cell = {column: (row[i].strip() if i < len(row) else "") for column, i in position.items()}
            reasons = []
            extra = [text for text in row[len(header):] if text.strip()]
            if extra:
                errors.append(RowError(line, cell["city"], (_(
                    "%(cells)s cells for %(columns)s columns: is there a decimal comma in a comma-separated "
                    "file? Put the number in quotes (\"8,7\") or save the file with semicolons"
                ) % {"cells": len(row), "columns": len(header)},)))
                continue
            if any(_CONTROL.search(text) for text in row):
                # A NUL or another control character: no spreadsheet writes one into a cell on purpose.
                errors.append(RowError(line, "", (_("a cell holds a control character (such as NUL); "
                                                    "save the file again from the spreadsheet"),)))
                continue
            city = cities.get(cell["city"].casefold())
            if city is None:
                reasons.append(_("unknown city “%(city)s”") % {"city": cell["city"]})
            elif not permissions.can_enter_for(roles, city.pk):
                reasons.append(_("%(city)s is not your city") % {"city": city})
            year = parse_id(cell["year"])
            if year is None or not _check_year(indicator, year):
                reasons.append(_("wrong year “%(year)s”: this indicator is collected for %(first)s–%(last)s")
                               % {"year": cell["year"], "first": indicator.first_year, "last": indicator.last_year})
            value = parse_value(cell["value"], decimal_comma=True)  # "8,7" in one cell can only be 8.7
            if value is None:
                reasons.append(_value_problem(cell["value"]))
            if not cell["source"]:
                reasons.append(_("no source given"))
            if city is not None and year is not None:
                first = seen.setdefault((city.pk, year), line)
                if first != line:
                    reasons.append(_("duplicate: %(city)s %(year)s is already on line %(line)s")
                                   % {"city": city, "year": year, "line": first})
            if reasons:
                errors.append(RowError(line, cell["city"], tuple(reasons)))
            else:
                good.append((line, city, year, value, cell["source"][:500]))
    except csv.Error as error:
        errors.append(RowError(reader.line_num, "", (_("Not a CSV file: %(error)s") % {"error": error},)))
    if not errors and not good:
        errors.append(RowError(0, "", (_("The file has no values."),)))
    if errors:
        raise ImportRefused(errors)
    saved = []
    for line, city, year, value, source in good:
        try:
            saved.append(_save_value(indicator=indicator, city=city, year=year, value=value, source=source, user=user))
        except ValueRefused as refused:  # entered by somebody else meanwhile: the file is refused whole
            raise ImportRefused([RowError(line, city.name, (str(refused),))]) from None
    return Imported(saved, separator)


class TargetConflict(Exception):
    """Somebody else saved this baseline or target after the form was shown; `current` is what they saved."""

    def __init__(self, current):
        self.current = current
        super().__init__("target changed meanwhile")


def _lock_targets_of(indicator: Indicator) -> None:
    """Every baseline and target write of one indicator takes the indicator's row lock first, so the check
    across rows (a city following the network-wide target has its baseline before that target's year)
    sees the others' writes, and two people setting the same target queue up: one wins, the other is
    told (its version is no longer the row's)."""
    Indicator.objects.select_for_update().filter(pk=indicator.pk).order_by().values_list("pk").first()


def _check_may_set_targets(user) -> None:
    if not permissions.can_set_targets(roles_of(user)):
        raise PermissionDenied(_("Only the Secretariat sets baselines and targets."))


def _save_versioned(row, *, new: bool, user, reload):
    row._history_user = user
    if not new:
        row.version += 1
        row.save()
        return row
    try:
        save_new_unique(row, "")
    except ValidationError:  # created by somebody else between our look and our insert
        raise TargetConflict(reload()) from None
    return row


@transaction.atomic
def city_target_set(*, user, indicator: Indicator, city: City, version: int, baseline_year: int,
                    baseline_value: Decimal, target_year: int | None = None,
                    target_value: Decimal | None = None) -> CityTarget:
    """Set a city's baseline and its own target (both empty: it follows the network-wide target).
    `version` is the version the person saw (0: none yet); a different one raises TargetConflict."""
    _check_may_set_targets(user)
    if (target_year is None) != (target_value is None):
        raise ValidationError({"target_year": _("A target needs both a value and a year.")})
    if target_year is not None and target_year <= baseline_year:
        raise ValidationError({"target_year": _("The target year must come after the baseline year.")})
    _lock_targets_of(indicator)
    network = NetworkTarget.objects.filter(indicator=indicator).order_by().first()
    if target_year is None and network is not None and network.target_year <= baseline_year:
        raise ValidationError({"baseline_year": _(
            "The network-wide target is for %(year)s: a city following it needs a baseline from before that "
            "year, or a target of its own.") % {"year": network.target_year}})
    row = CityTarget.objects.select_for_update().filter(indicator=indicator, city=city).order_by().first()
    if row is not None and row.version != version:
        raise TargetConflict(row)
    wanted = (baseline_year, baseline_value, target_year, target_value)
    if row is not None and (row.baseline_year, row.baseline_value, row.target_year, row.target_value) == wanted:
        return row
    new = row is None
    row = row or CityTarget(indicator=indicator, city=city)
    row.baseline_year, row.baseline_value, row.target_year, row.target_value = wanted
    return _save_versioned(row, new=new, user=user,
                           reload=lambda: CityTarget.objects.filter(indicator=indicator, city=city).first())


@transaction.atomic
def network_target_set(*, user, indicator: Indicator, version: int, target_year: int,
                       target_value: Decimal) -> NetworkTarget:
    """Set the network-wide target, followed by every city with a baseline and no target of its own."""
    _check_may_set_targets(user)
    _lock_targets_of(indicator)
    too_late = [row.city.name for row in CityTarget.objects.filter(
        indicator=indicator, target_year__isnull=True, baseline_year__gte=target_year).select_related("city")
        .order_by("city__name")]
    if too_late:
        raise ValidationError({"target_year": _(
            "The target year must come after the baseline year of every city following it: %(cities)s "
            "(give those cities a target of their own, or choose a later year).") % {"cities": ", ".join(too_late)}})
    row = NetworkTarget.objects.select_for_update().filter(indicator=indicator).order_by().first()
    if row is not None and row.version != version:
        raise TargetConflict(row)
    if row is not None and (row.target_year, row.target_value) == (target_year, target_value):
        return row
    new = row is None
    row = row or NetworkTarget(indicator=indicator)
    row.target_year, row.target_value = target_year, target_value
    return _save_versioned(row, new=new, user=user,
                           reload=lambda: NetworkTarget.objects.filter(indicator=indicator).first())
