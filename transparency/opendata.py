"""Open data: the published plan, its action points, the published progress and the public indicators'
values, as CSV and JSON with one stable column set each (listed in the README; a column is only ever
added at the end, never renamed or removed).

Codes, not labels: statuses are `on_track`, `at_risk`… whatever the language, dates ISO 8601, moments
in UTC. CSV is UTF-8 with a header row; a cell that a spreadsheet would run as a formula (starting
with = + - @, a tab or a carriage return) gets a leading apostrophe, as in the portal's exports. JSON
is `{"dataset", "licence", "licence_url", "attribution", "columns", "records": [...]}` with each
record an object of the same columns (partner cities as a list). Both stream, row by row.
"""

import csv
import json
from dataclasses import dataclass
from datetime import UTC

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from baltmet.links import link
from dashboard.exports import neutralise

from . import selectors

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
ATTRIBUTION = "Baltic Metropolises Network (BaltMet)"


def absolute(path: str) -> str:
    """Addresses in pages, feeds and files are built on SITE_URL, never on the request's Host header:
    what a shared cache keeps must not depend on who asked."""
    return settings.SITE_URL + path


def _utc(moment):
    return moment.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z") if moment else None


def _plans():
    for plan in selectors.plan_summaries().iterator(chunk_size=500):
        yield {
            "plan_id": plan.pk, "title": plan.title, "first_year": plan.first_year, "last_year": plan.last_year,
            "status": plan.status, "predecessor_id": plan.predecessor_id, "focus_areas": plan.area_count,
            "action_points": plan.point_count, "url": absolute(link("public:plan", plan.pk)),
        }


def _action_points():
    points = list(selectors.public_points())
    statuses = selectors.public_statuses(points)
    for point in points:
        yield {
            "action_point_id": point.pk, "plan_id": point.focus_area.plan_id, "plan": point.focus_area.plan.title,
            "focus_area_number": point.focus_area.number, "focus_area": point.focus_area.title,
            "number": point.number, "text": point.text,
            "coordinating_city": point.coordinating_city.name if point.coordinating_city else None,
            "partner_cities": [city.name for city in point.partner_cities.all()],
            "published_status": statuses[point.pk].status,
            "url": absolute(link("public:action_point", point.pk)),
        }


PROGRESS_FIELDS = ("pk", "period__plan_id", "period__label", "period__start", "period__end", "action_point_id",
                   "action_point__focus_area__number", "action_point__sequence", "city__name", "delivery_status",
                   "summary", "next_steps", "reviewed_at", "published_at")


def _progress():
    for (pk, plan_id, period, start, end, point_id, area_number, sequence, city, status, summary, next_steps,
         approved_at, published_at) in selectors.published_progress().values_list(*PROGRESS_FIELDS).iterator(
            chunk_size=2000):
        yield {
            "report_id": pk, "plan_id": plan_id, "period": period, "period_start": start.isoformat(),
            "period_end": end.isoformat(), "action_point_id": point_id, "action_point_number": f"{area_number}.{sequence}",
            "city": city, "delivery_status": status, "summary": summary, "next_steps": next_steps,
            "approved_at": _utc(approved_at), "published_at": _utc(published_at),
            "url": absolute(link("public:action_point", point_id)) + f"#report-{pk}",
        }


VALUE_FIELDS = ("indicator_id", "indicator__name", "indicator__unit", "indicator__higher_is_better", "city__name",
                "year", "value", "source")


def _indicator_values():
    for indicator_id, name, unit, higher, city, year, value, source in (
            selectors.public_indicator_values().values_list(*VALUE_FIELDS).iterator(chunk_size=2000)):
        yield {"indicator_id": indicator_id, "indicator": name, "unit": unit, "higher_is_better": higher,
               "city": city, "year": year, "value": f"{value.normalize():f}", "source": source}


@dataclass(frozen=True)
class Dataset:
    slug: str
    title: str
    columns: tuple[str, ...]
    records: object  # a function yielding one dict per record, keyed by `columns`

    def url(self, fmt: str) -> str:
        return reverse(f"public:data_{self.slug.replace('-', '_')}_{fmt}")

    @property
    def csv_url(self):
        return self.url("csv")

    @property
    def json_url(self):
        return self.url("json")


DATASETS = {dataset.slug: dataset for dataset in (
    Dataset("plans", _("Plans"), ("plan_id", "title", "first_year", "last_year", "status", "predecessor_id", "focus_areas",
                      "action_points", "url"), _plans),
    Dataset("action-points", _("Action points and their cities"), ("action_point_id", "plan_id", "plan", "focus_area_number", "focus_area", "number",
                              "text", "coordinating_city", "partner_cities", "published_status", "url"),
            _action_points),
    Dataset("progress", _("Published progress"), ("report_id", "plan_id", "period", "period_start", "period_end", "action_point_id",
                         "action_point_number", "city", "delivery_status", "summary", "next_steps", "approved_at",
                         "published_at", "url"), _progress),
    Dataset("indicator-values", _("Public indicators' values"), ("indicator_id", "indicator", "unit", "higher_is_better", "city", "year", "value",
                                 "source"), _indicator_values),
)}


class _Line:
    def write(self, text):
        return text


def _csv_cell(value):
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return neutralise(value)


def as_csv(dataset: Dataset):
    writer = csv.writer(_Line())
    yield writer.writerow(dataset.columns)
    for record in dataset.records():
        yield writer.writerow([_csv_cell(record[column]) for column in dataset.columns])


def as_json(dataset: Dataset):
    head = json.dumps({"dataset": dataset.slug, "licence": LICENCE, "licence_url": LICENCE_URL,
                       "attribution": ATTRIBUTION, "columns": list(dataset.columns)}, ensure_ascii=False)
    yield head[:-1] + ', "records": ['
    for index, record in enumerate(dataset.records()):
        yield ("," if index else "") + "\n" + json.dumps(record, ensure_ascii=False)
    yield "\n]}\n"
