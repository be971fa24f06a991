"""Benchmarking reads: rankings, trends and medians, each page in a fixed number of queries.

Rankings use competition ranking: equal values share a rank and the next rank skips (1, 2, 2, 4).
The network median for a year is the median of every city's value that year (the middle value, or
the mean of the two middle ones); a city without a value that year is left out, not counted as zero.
"""

import statistics
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404

from actions.models import ActionPoint
from cities.models import City

from .models import Indicator, IndicatorValue


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

    @property
    def median_row(self):
        return [self.medians.get(year) for year in self.years]

    @property
    def median(self):
        return self.medians.get(self.year)


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
    return Benchmark(indicator=indicator, year=year, years=years, ranking=ranking, trends=trends, medians=medians)


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
