"""The on-course rule (indicators/progress.py) against cases worked out by hand."""

from decimal import Decimal as D

import pytest

from indicators.progress import NO_DATA, OFF_COURSE, ON_COURSE, course, line_value

# A city going from 10 in 2010 to 20 in 2020: the line is at 15 in 2015.
UP = {"baseline_year": 2010, "baseline_value": D(10), "target_year": 2020, "target_value": D(20)}
# Emissions from 8 in 2010 down to 4 in 2014: the line is at 6 in 2012.
DOWN = {"baseline_year": 2010, "baseline_value": D(8), "target_year": 2014, "target_value": D(4)}


def status(way, values, *, higher_is_better=True):
    return course(higher_is_better=higher_is_better, values=values, **way).status


def test_the_line_runs_straight_from_baseline_to_target_and_stays_at_the_target_after():
    assert line_value(**UP, year=2015) == D(15)
    assert line_value(**UP, year=2013) == D(13)
    assert line_value(**UP, year=2010) == D(10)
    assert line_value(**UP, year=2020) == D(20)
    assert line_value(**UP, year=2025) == D(20)
    assert line_value(**DOWN, year=2012) == D(6)


@pytest.mark.parametrize("value, expected", [
    (D(16), ON_COURSE), (D(15), ON_COURSE), (D("14.9999"), OFF_COURSE), (D(9), OFF_COURSE),
])
def test_higher_is_better_is_on_course_at_or_above_the_line(value, expected):
    assert status(UP, {2015: value}) == expected


@pytest.mark.parametrize("value, expected", [
    (D(5), ON_COURSE), (D(6), ON_COURSE), (D("6.0001"), OFF_COURSE), (D(9), OFF_COURSE),
])
def test_lower_is_better_is_on_course_at_or_below_the_line(value, expected):
    assert status(DOWN, {2012: value}, higher_is_better=False) == expected


def test_only_the_latest_value_after_the_baseline_counts():
    # 2012 was ahead of the line (12 ≥ 12), 2014 is behind it (13 < 14): off course now.
    result = course(higher_is_better=True, values={2012: D(12), 2014: D(13), 2009: D(99)}, **UP)
    assert (result.status, result.latest_year, result.latest_value, result.expected) == (
        OFF_COURSE, 2014, D(13), D(14))


def test_no_value_since_the_baseline_is_no_data():
    assert status(UP, {}) == NO_DATA
    assert status(UP, {2010: D(50)}) == NO_DATA  # the baseline year itself does not count
    assert status(UP, {2008: D(50), 2009: D(50)}) == NO_DATA


def test_after_the_target_year_the_target_itself_must_be_reached():
    assert status(UP, {2022: D(20)}) == ON_COURSE
    assert status(UP, {2022: D("19.9")}) == OFF_COURSE
    assert status(DOWN, {2016: D(4)}, higher_is_better=False) == ON_COURSE


def test_a_target_equal_to_the_baseline_means_holding_the_level():
    hold = {"baseline_year": 2010, "baseline_value": D(5), "target_year": 2015, "target_value": D(5)}
    assert status(hold, {2012: D(5)}) == ON_COURSE
    assert status(hold, {2012: D("4.99")}) == OFF_COURSE
    assert course(higher_is_better=True, values={2012: D(5)}, **hold).share is None


def test_a_target_year_not_after_the_baseline_compares_with_the_target_without_dividing_by_zero():
    same_year = {"baseline_year": 2010, "baseline_value": D(10), "target_year": 2010, "target_value": D(20)}
    assert status(same_year, {2011: D(20)}) == ON_COURSE
    assert status(same_year, {2011: D(19)}) == OFF_COURSE


def test_the_share_of_the_way_covered_is_clamped_to_0_to_100():
    assert course(higher_is_better=True, values={2015: D(13)}, **UP).share == 30
    assert course(higher_is_better=True, values={2015: D(5)}, **UP).share == 0  # moved away from the target
    assert course(higher_is_better=True, values={2015: D(25)}, **UP).share == 100
    assert course(higher_is_better=False, values={2012: D(7)}, **DOWN).share == 25


def test_negative_and_fractional_values_work_the_same():
    way = {"baseline_year": 2000, "baseline_value": D("-3"), "target_year": 2003, "target_value": D("-0.5")}
    # line at 2001: -3 + 2.5/3 = -2.1666…
    assert status(way, {2001: D("-2.16")}) == ON_COURSE
    assert status(way, {2001: D("-2.17")}) == OFF_COURSE
