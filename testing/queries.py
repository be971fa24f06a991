"""Query counts as the tests state them: bounded, and the same at two sizes of data.

A page that runs the same number of queries for 5 points and for 50 does not grow with the data; an
exact number would break whenever a useful query is added to a page, and say nothing more."""

import re
from collections import Counter

from django.db import connection
from django.test.utils import CaptureQueriesContext

PAGE_BUDGET = 15  # queries a page may run, whatever the data (bench/run checks the same budget)


def count_queries(action) -> tuple[int, list[str]]:
    """Run `action()` and return how many queries it ran, and their SQL (for the failure message).
    It runs once first uncounted, so that what a process looks up once (content types, a first
    session save) is not taken for a cost of the page."""
    action()
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries), [query["sql"] for query in queries]


def _shape(sql: str) -> str:
    return re.sub(r"'[^']*'|\b\d+\b", "?", sql)[:160]


def assert_constant_queries(small, large, *, at_most: int = PAGE_BUDGET) -> None:
    """`small` and `large` are count_queries() results of the same thing at two sizes of data."""
    (few, few_sql), (many, many_sql) = small, large
    if few != many:
        # The queries one run has more of than the other, by shape (ids and literals left out).
        few_shapes, many_shapes = Counter(map(_shape, few_sql)), Counter(map(_shape, many_sql))
        only_few, only_many = few_shapes - many_shapes, many_shapes - few_shapes
        raise AssertionError(f"{few} queries with less data, {many} with more.\nMore with less data:\n"
                             + "\n".join(f"{n}x {q}" for q, n in only_few.items())
                             + "\nMore with more data:\n" + "\n".join(f"{n}x {q}" for q, n in only_many.items()))
    assert many <= at_most, f"{many} queries, more than {at_most}:\n" + "\n".join(map(_shape, many_sql))
