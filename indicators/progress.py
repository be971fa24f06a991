"""Whether a city is on course from its baseline to its target: the one rule, used by every page.

The way is the straight line from (baseline year, baseline value) to (target year, target value); after
the target year it stays at the target value. The city's latest value is its value for the latest year
after the baseline year (a value for the baseline year itself or earlier does not count). The city is

- **on course** when that value is at or beyond the line for its year in the indicator's better
  direction: at or above the line when higher is better, at or below it when lower is better;
- **off course** otherwise;
- **no data** when it has no value for any year after the baseline year.

The share of the way covered is how far the latest value has moved from the baseline towards the
target, 0–100 % (a value that moved away from the target is 0 %, one past it 100 %); it is only shown,
the course is decided by the line alone.
"""

from dataclasses import dataclass
from decimal import Decimal

ON_COURSE = "on_course"
OFF_COURSE = "off_course"
NO_DATA = "no_data"


@dataclass(frozen=True)
class Course:
    status: str
    latest_year: int | None = None
    latest_value: Decimal | None = None
    expected: Decimal | None = None  # the line's value for the latest year
    share: int | None = None  # per cent of the way from the baseline to the target covered

    @property
    def on_course(self) -> bool:
        return self.status == ON_COURSE


def line_value(*, baseline_year: int, baseline_value: Decimal, target_year: int, target_value: Decimal,
               year: int) -> Decimal:
    """The straight line's value for `year`: the baseline up to the baseline year, the target from the target
    year on (also when the target year is not after the baseline year, so no division by zero)."""
    if year >= target_year or target_year <= baseline_year:
        return target_value
    if year <= baseline_year:
        return baseline_value
    return baseline_value + (target_value - baseline_value) * (year - baseline_year) / (target_year - baseline_year)


def course(*, higher_is_better: bool, baseline_year: int, baseline_value: Decimal, target_year: int,
           target_value: Decimal, values: dict[int, Decimal]) -> Course:
    """The course of a city whose values by year are `values` (any years; only those after the baseline count)."""
    since = [year for year in values if year > baseline_year]
    if not since:
        return Course(NO_DATA)
    year = max(since)
    latest = values[year]
    expected = line_value(baseline_year=baseline_year, baseline_value=baseline_value, target_year=target_year,
                          target_value=target_value, year=year)
    at_or_beyond = latest >= expected if higher_is_better else latest <= expected
    return Course(ON_COURSE if at_or_beyond else OFF_COURSE, year, latest, expected,
                  _share(baseline_value, target_value, latest))


def _share(baseline: Decimal, target: Decimal, latest: Decimal) -> int | None:
    if target == baseline:
        return None
    share = (latest - baseline) / (target - baseline) * 100
    return int(max(Decimal(0), min(Decimal(100), share)))
