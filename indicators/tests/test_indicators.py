import re
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cities.tests.factories import UserFactory
from indicators import selectors
from indicators.models import Indicator, IndicatorValue
from indicators.services import ImportRefused, indicator_value_set, indicator_values_import

PATENTS_2010 = {"riga": "10", "tallinn": "30", "helsinki": "20", "oslo": "20", "berlin": "50"}
PATENTS_2011 = {"riga": "12", "tallinn": "32", "helsinki": "25", "oslo": "18"}


@pytest.fixture
def patents(db, points):
    indicator = Indicator.objects.create(name="Patent applications", unit="per 100 000 inhabitants",
                                         higher_is_better=True, first_year=2009, last_year=2011)
    indicator.action_points.set([points["1.3"]])
    return indicator


@pytest.fixture
def emissions(db):
    return Indicator.objects.create(name="CO2 emissions", unit="t per inhabitant", higher_is_better=False,
                                    first_year=2010, last_year=2010)


def put(indicator, cities, year, values):
    for slug, value in values.items():
        IndicatorValue.objects.create(indicator=indicator, city=cities[slug], year=year, value=Decimal(value),
                                      source="Statistics office")


@pytest.fixture
def data(patents, emissions, cities):
    put(patents, cities, 2009, {"riga": "8"})
    put(patents, cities, 2010, PATENTS_2010)
    put(patents, cities, 2011, PATENTS_2011)
    put(emissions, cities, 2010, {"riga": "4.2", "tallinn": "6.0", "helsinki": "5.1"})


def ranking(bench):
    return [(row.rank, row.city.slug, row.value) for row in bench.ranking]


# Rankings and medians against values worked out by hand

def test_cities_are_ranked_highest_first_with_ties_sharing_a_rank(data, patents):
    bench = selectors.benchmark(indicator=patents, year=2010)
    assert ranking(bench) == [
        (1, "berlin", Decimal("50")), (2, "tallinn", Decimal("30")),
        (3, "helsinki", Decimal("20")), (3, "oslo", Decimal("20")), (5, "riga", Decimal("10")),
    ]


def test_lower_is_better_ranks_the_lowest_first(data, emissions):
    bench = selectors.benchmark(indicator=emissions, year=2010)
    assert [(rank, slug) for rank, slug, _ in ranking(bench)] == [(1, "riga"), (2, "helsinki"), (3, "tallinn")]


def test_medians_per_year(data, patents, emissions):
    bench = selectors.benchmark(indicator=patents)
    # 2009: [8]; 2010: [10, 20, 20, 30, 50]; 2011: [12, 18, 25, 32] -> (18 + 25) / 2
    assert bench.medians == {2009: Decimal("8"), 2010: Decimal("20"), 2011: Decimal("21.5")}
    assert bench.year == 2011  # the latest year with values when none is chosen
    assert selectors.benchmark(indicator=emissions).medians == {2010: Decimal("5.1")}


def test_trends_hold_each_citys_values_in_year_order(data, patents):
    bench = selectors.benchmark(indicator=patents)
    trends = {trend.city.slug: trend.cells for trend in bench.trends}
    assert trends["riga"] == [Decimal("8"), Decimal("10"), Decimal("12")]
    assert trends["berlin"] == [None, Decimal("50"), None]
    assert bench.median_row == [Decimal("8"), Decimal("20"), Decimal("21.5")]


def test_the_city_profile_compares_with_the_median(data, cities):
    profile = {item.indicator.name: item.rows() for item in selectors.city_profile(city=cities["riga"])}
    assert profile["Patent applications"] == [
        (2009, Decimal("8"), Decimal("8"), 1, 1, "equal"),
        (2010, Decimal("10"), Decimal("20"), 5, 5, "worse"),
        (2011, Decimal("12"), Decimal("21.5"), 4, 4, "worse"),
    ]
    assert profile["CO2 emissions"] == [(2010, Decimal("4.2"), Decimal("5.1"), 1, 3, "better")]
    berlin = {item.indicator.name: item.rows() for item in selectors.city_profile(city=cities["berlin"])}
    assert berlin["Patent applications"][0] == (2009, None, Decimal("8"), None, None, None)
    assert berlin["Patent applications"][1] == (2010, Decimal("50"), Decimal("20"), 1, 5, "better")


# Entering values

def test_a_delegate_enters_their_own_citys_value_and_a_correction_keeps_the_old_one(patents, cities, alice):
    indicator_value_set(indicator=patents, city=cities["riga"], year=2010, value=Decimal("9"), source="A", user=alice)
    indicator_value_set(indicator=patents, city=cities["riga"], year=2010, value=Decimal("10"), source="B",
                        user=alice)

    row = IndicatorValue.objects.get(indicator=patents, city=cities["riga"], year=2010)
    assert (row.value, row.source, row.entered_by) == (Decimal("10"), "B", alice)
    assert [h.value for h in row.history.order_by("history_date")] == [Decimal("9"), Decimal("10")]
    assert row.history.earliest("history_date").history_user == alice


def test_delegates_enter_values_for_their_own_city_only(patents, cities, alice, mayor, secretariat):
    for person in (alice, mayor):
        with pytest.raises(PermissionDenied):
            indicator_value_set(indicator=patents, city=cities["tallinn"], year=2010, value=Decimal(1), source="x",
                                user=person)
    indicator_value_set(indicator=patents, city=cities["tallinn"], year=2010, value=Decimal(1), source="x",
                        user=secretariat)
    assert IndicatorValue.objects.count() == 1


# CSV import

GOOD = b"city,year,value,source\nRiga,2010,10.5,Statistics Latvia\nriga,2011,11,Statistics Latvia\n"


def test_a_good_file_is_imported(patents, alice, cities):
    saved = indicator_values_import(indicator=patents, user=alice, data=GOOD)

    assert len(saved.values) == 2 and saved.separator == ","
    assert dict(IndicatorValue.objects.values_list("year", "value")) == {2010: Decimal("10.5"), 2011: Decimal("11")}
    assert IndicatorValue.history.count() == 2


def test_a_file_with_a_byte_order_mark_columns_in_another_order_and_blank_lines_is_fine(patents, secretariat, cities):
    data = "\ufeffSource,Value,Year,City\nStat FI,20,2010,Helsinki\n\nStat EE, 30 ,2010,Tallinn\n".encode()
    indicator_values_import(indicator=patents, user=secretariat, data=data)
    assert dict(IndicatorValue.objects.values_list("city__slug", "value")) == {
        "helsinki": Decimal("20"), "tallinn": Decimal("30"),
    }


def test_an_import_correcting_a_value_keeps_the_old_one_in_history(patents, alice, cities):
    put(patents, cities, 2010, {"riga": "7"})
    indicator_values_import(indicator=patents, user=alice, data=GOOD)
    row = IndicatorValue.objects.get(city=cities["riga"], year=2010)
    assert row.value == Decimal("10.5")
    assert {h.value for h in row.history.all()} == {Decimal("7"), Decimal("10.5")}


def test_a_semicolon_file_with_decimal_commas_is_read_as_excel_writes_it(patents, alice, cities):
    data = "city;year;value;source\nRiga;2010;8,7;CSB Latvia\nRiga;2011;9.25;CSB Latvia\n".encode()

    saved = indicator_values_import(indicator=patents, user=alice, data=data)

    assert saved.separator == ";"
    assert dict(IndicatorValue.objects.values_list("year", "value")) == {2010: Decimal("8.7"), 2011: Decimal("9.25")}


def test_a_decimal_comma_in_a_comma_file_is_refused_with_its_line_never_guessed(patents, alice, cities):
    data = b"city,year,value,source\nRiga,2010,8,7,CSB Latvia\nRiga,2011,\"9,5\",CSB Latvia\n"

    errors = refused(patents, alice, data)

    assert list(errors) == [2] and "decimal comma" in errors[2]
    assert not IndicatorValue.objects.exists()


def test_a_thousands_separator_is_refused_not_misread(patents, alice, cities):
    errors = refused(patents, alice, "city;year;value;source\nRiga;2010;1.234,5;CSB\n".encode())

    assert "“1.234,5” is not a number" in errors[2]


def refused(indicator, user, data):
    with pytest.raises(ImportRefused) as caught:
        indicator_values_import(indicator=indicator, user=user, data=data)
    return {error.line: " ".join(error.reasons) for error in caught.value.errors}


@pytest.mark.parametrize("row, reason", [
    ("Atlantis,2010,1,x", "unknown city “Atlantis”"),
    ("Riga,2010,twelve,x", "“twelve” is not a number"),
    ("Riga,2010,,x", "“” is not a number"),
    ("Riga,2010,NaN,x", "“NaN” is not a number"),
    ("Riga,2008,1,x", "wrong year “2008”"),
    ("Riga,2012,1,x", "wrong year “2012”"),
    ("Riga,last year,1,x", "wrong year “last year”"),
    ("Riga,2010,1,", "no source given"),
])
def test_each_kind_of_bad_row_refuses_the_whole_file(patents, secretariat, cities, row, reason):
    put(patents, cities, 2009, {"riga": "8"})
    data = f"city,year,value,source\nTallinn,2010,5,ok\n{row}\nHelsinki,2010,6,ok\n".encode()

    errors = refused(patents, secretariat, data)

    assert list(errors) == [3]
    assert reason in errors[3]
    assert list(IndicatorValue.objects.values_list("city__slug", "year", "value")) == [("riga", 2009, Decimal("8"))]


def test_a_duplicate_row_is_refused_naming_the_first(patents, secretariat, cities):
    data = b"city,year,value,source\nRiga,2010,1,a\nTallinn,2010,2,b\nriga,2010,3,c\n"
    errors = refused(patents, secretariat, data)
    assert errors == {4: "duplicate: Riga 2010 is already on line 2"}
    assert not IndicatorValue.objects.exists()


def test_every_bad_row_is_listed_with_all_its_reasons(patents, secretariat, cities):
    data = b"city,year,value,source\nAtlantis,1999,abc,x\nRiga,2010,1,x\nRiga,2010,2,x\nOslo,2011,1e400,x\n"
    errors = refused(patents, secretariat, data)
    assert set(errors) == {2, 4, 5}
    assert "unknown city" in errors[2] and "wrong year" in errors[2] and "not a number" in errors[2]
    assert "duplicate" in errors[4]
    assert "too large" in errors[5]
    assert not IndicatorValue.objects.exists()


def test_a_delegate_cannot_upload_another_citys_values(patents, alice):
    errors = refused(patents, alice, b"city,year,value,source\nRiga,2010,1,x\nTallinn,2010,2,x\n")
    assert errors == {3: "Tallinn is not your city"}
    assert not IndicatorValue.objects.exists()


@pytest.mark.parametrize("data, reason", [
    (b"", "empty"),
    (b"town,year,value\nRiga,2010,1\n", "missing: city, source"),
    (b"city,year,value,source\n", "no values"),
    ("city,year,value,source\nMalmö,2010,1,x\n".encode("latin-1"), "not UTF-8"),
])
def test_a_file_that_is_not_a_values_file_is_refused(patents, secretariat, cities, data, reason):
    errors = refused(patents, secretariat, data)
    assert reason in " ".join(errors.values())
    assert not IndicatorValue.objects.exists()


def test_mayors_and_observers_cannot_upload(patents, mayor, observer):
    for person in (mayor, observer):
        with pytest.raises(PermissionDenied):
            indicator_values_import(indicator=patents, user=person, data=GOOD)


# Pages

def _no_inline_script_or_style(page):
    assert "<script" not in page
    assert not re.search(r'\sstyle="', page)


def test_the_benchmarking_page_shows_the_ranking_the_chart_and_the_table(data, patents, observer, client_for):
    page = client_for(observer).get(patents.get_absolute_url() + "?year=2010").content.decode()

    assert "Ranking for 2010" in page
    ranking_table = page[page.index('class="ranking"'):page.index("</table>", page.index('class="ranking"'))]
    assert [c for c in ["Berlin", "Tallinn", "Helsinki", "Oslo", "Riga"]] == sorted(
        ["Berlin", "Tallinn", "Helsinki", "Oslo", "Riga"], key=ranking_table.index)
    assert "<svg" in page and page.count("<polyline") >= 5 and "Median" in page
    assert "Network median" in page and "21.5" in page
    _no_inline_script_or_style(page)


def test_the_chart_coordinates_do_not_depend_on_the_language(data, patents, observer, client_for):
    client = client_for(observer)
    client.cookies["django_language"] = "de"
    page = client.get(patents.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de").content.decode()
    for points in re.findall(r'<polyline points="([^"]+)"', page):
        assert re.fullmatch(r"[\d.]+,[\d.]+( [\d.]+,[\d.]+)*", points)


def test_the_benchmarking_page_takes_a_constant_number_of_queries(patents, cities, observer, client_for, points):
    client = client_for(observer)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(patents.get_absolute_url()).status_code == 200
        return len(queries)

    put(patents, cities, 2010, {"riga": "1", "tallinn": "2"})
    small = count()
    for year in (2009, 2011):
        put(patents, cities, year, {slug: str(n) for n, slug in enumerate(PATENTS_2010)})
    put(patents, cities, 2010, {"helsinki": "3", "oslo": "4", "berlin": "5", "warsaw": "6", "vilnius": "7"})
    patents.action_points.add(points["2.1"], points["1.1"])
    assert count() == small


def test_the_city_page_takes_a_constant_number_of_queries(patents, emissions, cities, observer, client_for):
    client = client_for(observer)

    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("indicators:city", args=["riga"])).status_code == 200
        return len(queries)

    put(patents, cities, 2010, {"riga": "1"})
    small = count()
    put(patents, cities, 2011, PATENTS_2011)
    put(emissions, cities, 2010, {"riga": "4.2", "tallinn": "6.0", "helsinki": "5.1"})
    assert count() == small


def test_the_city_page_shows_the_median_and_the_comparison(data, alice, client_for):
    page = client_for(alice).get(reverse("indicators:city", args=["riga"])).content.decode()
    assert "Riga against the network" in page
    assert "21.5" in page and "▼ worse" in page and "▲ better" in page and "5 of 5" in page
    _no_inline_script_or_style(page)


def test_pages_need_a_role_in_the_network(patents, client, client_for):
    urls = [reverse("indicators:list"), patents.get_absolute_url(), reverse("indicators:city", args=["riga"]),
            reverse("indicators:values", args=[patents.pk]), reverse("indicators:upload", args=[patents.pk])]
    for url in urls:
        assert client.get(url).status_code == 302
    nobody = client_for(UserFactory(username="nobody"))
    for url in urls:
        assert nobody.get(url).status_code == 403


def test_only_the_secretariat_defines_indicators(points, secretariat, alice, client_for):
    data = {"name": "Start-ups", "unit": "per year", "higher_is_better": "on", "first_year": 2010,
            "last_year": 2012, "action_points": [points["1.3"].pk]}
    assert client_for(alice).post(reverse("indicators:create"), data).status_code == 403
    response = client_for(secretariat).post(reverse("indicators:create"), data)
    indicator = Indicator.objects.get(name="Start-ups")
    assert response.status_code == 302 and response["Location"] == indicator.get_absolute_url()
    assert list(indicator.action_points.all()) == [points["1.3"]]
    assert indicator.history.first().history_user == secretariat

    bad = client_for(secretariat).post(reverse("indicators:create"), {**data, "name": "X", "first_year": 2013})
    assert "The last year cannot come before the first year." in bad.content.decode()


def test_entering_a_value_on_the_page(patents, alice, cities, mayor, client_for):
    client = client_for(alice)
    page = client.get(reverse("indicators:values", args=[patents.pk])).content.decode()
    assert 'name="city"' not in page  # a delegate enters for their own city
    _no_inline_script_or_style(page)
    response = client.post(reverse("indicators:values", args=[patents.pk]),
                           {"year": 2010, "value": "3.25", "source": "Riga statistics"})
    assert response.status_code == 302
    assert IndicatorValue.objects.get().city == cities["riga"]
    assert client_for(mayor).get(reverse("indicators:values", args=[patents.pk])).status_code == 403


def test_uploading_on_the_page(patents, alice, client_for):
    client = client_for(alice)
    bad = SimpleUploadedFile("v.csv", b"city,year,value,source\nRiga,2010,x,y\nAtlantis,2010,1,y\n")
    response = client.post(reverse("indicators:upload", args=[patents.pk]), {"file": bad})
    page = response.content.decode()
    assert response.status_code == 400
    assert "2 bad rows. Nothing was saved." in page and "unknown city" in page and "not a number" in page
    assert not IndicatorValue.objects.exists()

    good = SimpleUploadedFile("v.csv", GOOD.replace(b",", b";"))
    response = client.post(reverse("indicators:upload", args=[patents.pk]), {"file": good}, follow=True)
    assert IndicatorValue.objects.count() == 2
    assert "2 values imported (the file was read as separated by semicolons)." in response.content.decode()
