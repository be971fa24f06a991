"""Benchmarking reads: rankings, trends, medians and the ways from baseline to target, each page in a fixed
number of queries.

Rankings use competition ranking: equal values share a rank and the next rank skips (1, 2, 2, 4).
The network median for a year is the median of every city's value that year (the middle value, or
the mean of the two middle ones); a city without a value that year is left out, not counted as zero.
"""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import F, FilteredRelation, OuterRef, Prefetch, Q, Subquery
from django.shortcuts import get_object_or_404

from actions.models import ActionPoint
from cities.models import City

from . import progress
from .models import CityTarget, Indicator, IndicatorValue, NetworkTarget


@dataclass
class Ranked:
    rank: int
    city: City
    value: Decimal
    source: str


@dataclass
class CityTrend:
    city: City
    values: dict[int, Decimal]
    cells: list = field(default_factory=list)  # the values in the order of the indicator's years


@dataclass
class Benchmark:
    indicator: Indicator
    year: int
    years: list[int]
    ranking: list[Ranked]
    trends: list[CityTrend]
    medians: dict[int, Decimal]
    ways: list["Way"] = field(default_factory=list)
    network_target: NetworkTarget | None = None

    @property
    def median_row(self):
        return [self.medians.get(year) for year in self.years]

    @property
    def median(self):
        return self.medians.get(self.year)


@dataclass
class Way:
    """A city's way from its baseline to its target (its own, or the network-wide one) and its course."""
    city: City
    baseline_year: int
    baseline_value: Decimal
    target_year: int | None
    target_value: Decimal | None
    network_wide: bool  # the target is the network-wide one
    course: progress.Course | None  # None: no target yet


@dataclass
class PointIndicator:
    indicator: Indicator
    ways: list[Way]
    without_baseline: list[City]  # cities taking part in the point that have no baseline for it


def ways(*, indicator: Indicator, city_targets, network_target: NetworkTarget | None,
         values: dict[int, dict[int, Decimal]]) -> list[Way]:
    """Each city's way, from already loaded rows: `values` is {city id: {year: value}}."""
    result = []
    for row in sorted(city_targets, key=lambda row: row.city.name):
        own = row.target_year is not None
        target = (row.target_year, row.target_value) if own else (
            (network_target.target_year, network_target.target_value) if network_target else (None, None))
        course = None
        if target[0] is not None:
            course = progress.course(
                higher_is_better=indicator.higher_is_better, baseline_year=row.baseline_year,
                baseline_value=row.baseline_value, target_year=target[0], target_value=target[1],
                values=values.get(row.city_id, {}),
            )
        result.append(Way(row.city, row.baseline_year, row.baseline_value, target[0], target[1],
                          not own and network_target is not None, course))
    return result


def targets_of(indicator: Indicator) -> tuple[list[CityTarget], NetworkTarget | None]:
    """The indicator's baselines and targets, in two queries."""
    return (list(CityTarget.objects.filter(indicator=indicator).select_related("city")),
            NetworkTarget.objects.filter(indicator=indicator).first())


def _network_target(indicator: Indicator) -> NetworkTarget | None:
    try:
        return indicator.network_target
    except NetworkTarget.DoesNotExist:
        return None


def indicators_for_point(*, point: ActionPoint) -> list[PointIndicator]:
    """The indicators measuring an action point, with the course of each city taking part in it, in one
    query whatever the number of indicators, cities and values: a row per indicator and city with a
    baseline, carrying that city's latest value after its baseline (all the rule needs). `point` comes
    from actions.selectors.action_point_detail (coordinating and partner cities loaded)."""
    cities = ([point.coordinating_city] if point.coordinating_city else []) + [
        city for city in point.partner_cities.all() if city.pk != point.coordinating_city_id]
    by_id = {city.pk: city for city in cities}
    since = IndicatorValue.objects.filter(indicator=OuterRef("pk"), city=OuterRef("row_city"),
                                          year__gt=OuterRef("row_baseline_year")).order_by("-year")
    indicators = Indicator.objects.filter(action_points=point).select_related("network_target").order_by("name", "pk")
    if not by_id:  # no city takes part yet: the indicators alone
        return [PointIndicator(indicator, [], []) for indicator in indicators]
    rows = (
        indicators.alias(point_targets=FilteredRelation("city_targets", condition=Q(city_targets__city_id__in=list(by_id))))
        .annotate(row_city=F("point_targets__city_id"), row_baseline_year=F("point_targets__baseline_year"),
                  row_baseline_value=F("point_targets__baseline_value"),
                  row_target_year=F("point_targets__target_year"), row_target_value=F("point_targets__target_value"),
                  latest_year=Subquery(since.values("year")[:1]), latest_value=Subquery(since.values("value")[:1]))
    )
    grouped: dict[int, tuple[Indicator, list[CityTarget], dict]] = {}
    for row in rows:
        indicator, targets, values = grouped.setdefault(row.pk, (row, [], {}))
        if row.row_city is None:
            continue
        targets.append(CityTarget(indicator=indicator, city=by_id[row.row_city], baseline_year=row.row_baseline_year,
                                  baseline_value=row.row_baseline_value, target_year=row.row_target_year,
                                  target_value=row.row_target_value))
        if row.latest_year is not None:
            values[row.row_city] = {row.latest_year: row.latest_value}
    result = []
    for indicator, targets, values in grouped.values():
        with_baseline = {target.city_id for target in targets}
        result.append(PointIndicator(
            indicator, ways(indicator=indicator, city_targets=targets, network_target=_network_target(indicator),
                            values=values),
            sorted((city for city in cities if city.pk not in with_baseline), key=lambda city: city.name),
        ))
    return result


@dataclass
class CityIndicator:
    indicator: Indicator
    years: list[int]
    values: dict[int, Decimal]
    medians: dict[int, Decimal]
    ranks: dict[int, tuple[int, int]] = field(default_factory=dict)  # year -> (rank, out of)

    def rows(self):
        """(year, value, median, rank, out of, versus) for each year with a value or a median."""
        rows = []
        for year in self.years:
            value, median = self.values.get(year), self.medians.get(year)
            if value is None and median is None:
                continue
            rank, out_of = self.ranks.get(year, (None, None))
            rows.append((year, value, median, rank, out_of, compare(self.indicator, value, median)))
        return rows


def compare(indicator: Indicator, value, median) -> str | None:
    """'better', 'worse' or 'equal' than the median, given the direction the indicator prefers."""
    if value is None or median is None:
        return None
    if value == median:
        return "equal"
    return "better" if (value > median) == indicator.higher_is_better else "worse"


def rank(indicator: Indicator, values: list[tuple[City, Decimal, str]]) -> list[Ranked]:
    ordered = sorted(values, key=lambda item: item[0].name)
    ordered.sort(key=lambda item: item[1], reverse=indicator.higher_is_better)
    ranked, previous = [], None
    for position, (city, value, source) in enumerate(ordered, start=1):
        number = ranked[-1].rank if previous is not None and value == previous else position
        ranked.append(Ranked(number, city, value, source))
        previous = value
    return ranked


def median(values) -> Decimal | None:
    values = list(values)
    return statistics.median(values) if values else None


def indicator_list():
    points = ActionPoint.objects.select_related("focus_area").order_by("focus_area__number", "sequence")
    return list(Indicator.objects.prefetch_related(Prefetch("action_points", queryset=points)).order_by("name"))


def indicator_get(indicator_id: int) -> Indicator:
    points = ActionPoint.objects.select_related("focus_area").order_by("focus_area__number", "sequence")
    return get_object_or_404(Indicator.objects.prefetch_related(Prefetch("action_points", queryset=points)),
                             pk=indicator_id)


def benchmark(*, indicator: Indicator, year: int | None = None) -> Benchmark:
    """Every value of the indicator in one query, arranged as a ranking, trends and medians."""
    values = list(IndicatorValue.objects.filter(indicator=indicator).select_related("city"))
    years = list(indicator.years)
    with_values = sorted({v.year for v in values})
    if year not in years:
        year = with_values[-1] if with_values else years[-1]
    by_city: dict[int, CityTrend] = {}
    by_year: dict[int, list] = {}
    for v in values:
        by_city.setdefault(v.city_id, CityTrend(v.city, {})).values[v.year] = v.value
        by_year.setdefault(v.year, []).append(v)
    ranking = rank(indicator, [(v.city, v.value, v.source) for v in by_year.get(year, [])])
    medians = {y: median(v.value for v in rows) for y, rows in by_year.items()}
    trends = sorted(by_city.values(), key=lambda trend: trend.city.name)
    for trend in trends:
        trend.cells = [trend.values.get(y) for y in years]
    city_targets, network_target = targets_of(indicator)
    way_list = ways(indicator=indicator, city_targets=city_targets, network_target=network_target,
                    values={city_id: trend.values for city_id, trend in by_city.items()})
    return Benchmark(indicator=indicator, year=year, years=years, ranking=ranking, trends=trends, medians=medians,
                     ways=way_list, network_target=network_target)


def city_profile(*, city: City) -> list[CityIndicator]:
    """The city's value of each indicator per year beside the network median and its rank, in two queries."""
    indicators = {i.pk: i for i in Indicator.objects.order_by("name")}
    rows: dict[tuple[int, int], list] = {}
    for indicator_id, city_id, year, value in IndicatorValue.objects.values_list(
        "indicator_id", "city_id", "year", "value",
    ):
        rows.setdefault((indicator_id, year), []).append((city_id, value))
    result = []
    for indicator in indicators.values():
        item = CityIndicator(indicator=indicator, years=list(indicator.years), values={}, medians={})
        for year in indicator.years:
            year_rows = rows.get((indicator.pk, year), [])
            if not year_rows:
                continue
            item.medians[year] = median(value for _, value in year_rows)
            mine = [value for city_id, value in year_rows if city_id == city.pk]
            if mine:
                item.values[year] = mine[0]
                better = sum(1 for _, value in year_rows
                             if (value > mine[0] if indicator.higher_is_better else value < mine[0]))
                item.ranks[year] = (better + 1, len(year_rows))
        result.append(item)
    return result
