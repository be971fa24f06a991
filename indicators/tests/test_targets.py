"""Baselines and targets: the Secretariat sets them, every page of the network shows each city's course."""

from decimal import Decimal as D

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from indicators.models import CityTarget, Indicator, IndicatorValue, NetworkTarget
from indicators.services import TargetConflict, city_target_set, network_target_set
from testing.queries import assert_constant_queries, count_queries


@pytest.fixture
def startups(db, points):
    indicator = Indicator.objects.create(name="Start-ups", unit="per 100 000", higher_is_better=True,
                                         first_year=2008, last_year=2014)
    indicator.action_points.set([points["1.3"]])
    return indicator


def put(indicator, city, year, value):
    IndicatorValue.objects.create(indicator=indicator, city=city, year=year, value=D(value), source="Statistics")


def set_city(user, indicator, city, version=0, **fields):
    return city_target_set(user=user, indicator=indicator, city=city, version=version, **fields)


@pytest.fixture
def courses(startups, cities, secretariat):
    """Riga: own target, on course. Tallinn: network-wide target, off course. Helsinki: no value since 2010."""
    set_city(secretariat, startups, cities["riga"], baseline_year=2010, baseline_value=D(10), target_year=2014,
             target_value=D(18))
    set_city(secretariat, startups, cities["tallinn"], baseline_year=2010, baseline_value=D(30))
    set_city(secretariat, startups, cities["helsinki"], baseline_year=2010, baseline_value=D(20))
    network_target_set(user=secretariat, indicator=startups, version=0, target_year=2015, target_value=D(40))
    put(startups, cities["riga"], 2010, "10")
    put(startups, cities["riga"], 2012, "15")        # line at 14: on course
    put(startups, cities["tallinn"], 2012, "31")     # line at 30 + 10 * 2/5 = 34: off course
    put(startups, cities["helsinki"], 2009, "25")    # before the baseline: no data
    return startups


def section(page, start, end):
    return page[page.index(start):page.index(end, page.index(start))]


# Setting baselines and targets

def test_the_secretariat_sets_a_citys_baseline_and_target_and_history_keeps_who(startups, cities, secretariat):
    row = set_city(secretariat, startups, cities["riga"], baseline_year=2010, baseline_value=D(10), target_year=2014,
                   target_value=D(18))
    row = set_city(secretariat, startups, cities["riga"], version=row.version, baseline_year=2010,
                   baseline_value=D(11), target_year=2014, target_value=D(18))

    row.refresh_from_db()
    assert (row.baseline_value, row.version) == (D(11), 2)
    assert [h.baseline_value for h in row.history.order_by("history_date")] == [D(10), D(11)]
    assert {h.history_user for h in row.history.all()} == {secretariat}


def test_saving_the_same_again_writes_no_history(startups, cities, secretariat):
    row = set_city(secretariat, startups, cities["riga"], baseline_year=2010, baseline_value=D(10))
    set_city(secretariat, startups, cities["riga"], version=row.version, baseline_year=2010, baseline_value=D("10.0"))
    assert row.history.count() == 1


def test_nobody_but_the_secretariat_sets_targets(startups, cities, alice, chair, mayor):
    for person in (alice, chair, mayor):
        with pytest.raises(PermissionDenied):
            set_city(person, startups, cities["riga"], baseline_year=2010, baseline_value=D(10))
        with pytest.raises(PermissionDenied):
            network_target_set(user=person, indicator=startups, version=0, target_year=2014, target_value=D(1))
    assert not CityTarget.objects.exists() and not NetworkTarget.objects.exists()


def test_a_stale_version_is_a_conflict_showing_what_was_saved(startups, cities, secretariat):
    set_city(secretariat, startups, cities["riga"], baseline_year=2010, baseline_value=D(10))
    with pytest.raises(TargetConflict) as caught:
        set_city(secretariat, startups, cities["riga"], version=0, baseline_year=2011, baseline_value=D(12))
    assert caught.value.current.baseline_value == D(10)
    assert CityTarget.objects.get().history.count() == 1


def test_the_database_keeps_one_target_per_city_and_one_network_wide_target(startups, cities):
    from django.db import IntegrityError, transaction

    CityTarget.objects.create(indicator=startups, city=cities["riga"], baseline_year=2010, baseline_value=1)
    NetworkTarget.objects.create(indicator=startups, target_year=2014, target_value=1)
    for create in (
        lambda: CityTarget.objects.create(indicator=startups, city=cities["riga"], baseline_year=2011,
                                          baseline_value=2),
        lambda: NetworkTarget.objects.create(indicator=startups, target_year=2015, target_value=2),
        lambda: CityTarget.objects.create(indicator=startups, city=cities["oslo"], baseline_year=2011,
                                          baseline_value=2, target_year=2011, target_value=3),
        lambda: CityTarget.objects.create(indicator=startups, city=cities["oslo"], baseline_year=2011,
                                          baseline_value=2, target_year=2013),
    ):
        with pytest.raises(IntegrityError), transaction.atomic():
            create()


def test_a_network_wide_target_must_come_after_the_baselines_that_follow_it(startups, cities, secretariat):
    set_city(secretariat, startups, cities["riga"], baseline_year=2012, baseline_value=D(10))
    set_city(secretariat, startups, cities["oslo"], baseline_year=2013, baseline_value=D(10), target_year=2014,
             target_value=D(1))  # has its own target: not concerned
    with pytest.raises(ValidationError) as caught:
        network_target_set(user=secretariat, indicator=startups, version=0, target_year=2012, target_value=D(20))
    assert "Riga" in str(caught.value.message_dict["target_year"]) and "Oslo" not in str(caught.value)

    network_target_set(user=secretariat, indicator=startups, version=0, target_year=2013, target_value=D(20))
    with pytest.raises(ValidationError) as caught:
        set_city(secretariat, startups, cities["tallinn"], baseline_year=2013, baseline_value=D(10))
    assert "2013" in caught.value.message_dict["baseline_year"][0]


# The pages

def test_the_benchmarking_page_shows_each_citys_way_and_course_and_the_rule(courses, observer, client_for):
    page = client_for(observer).get(courses.get_absolute_url()).content.decode()

    assert "From baseline to target" in page
    assert "Network-wide target: 40 per 100 000 by 2015, for every city without a target of its own." in page
    assert "at or above the line for that year" in page  # the rule, said on the page
    ways = section(page, 'class="ways"', "</table>")
    rows = {city: section(ways, f'<th scope="row">{city}</th>', "</tr>") for city in ("Riga", "Tallinn", "Helsinki")}
    assert "On course" in rows["Riga"] and "15" in rows["Riga"] and "18" in rows["Riga"]
    assert "Off course" in rows["Tallinn"] and "network-wide" in rows["Tallinn"] and "34" in rows["Tallinn"]
    assert "No data" in rows["Helsinki"]
    assert '<meter min="0" max="100" value="62">' in rows["Riga"]  # (15 - 10) / (18 - 10)
    assert "<script" not in page and ' style="' not in page


def test_a_lower_is_better_indicator_states_its_rule(emissions_targets, observer, client_for):
    page = client_for(observer).get(emissions_targets.get_absolute_url()).content.decode()
    assert "at or below the line for that year" in page
    assert "On course" in section(page, 'class="ways"', "</table>")


@pytest.fixture
def emissions_targets(db, cities, secretariat):
    indicator = Indicator.objects.create(name="CO2", unit="t", higher_is_better=False, first_year=2010,
                                         last_year=2014)
    set_city(secretariat, indicator, cities["riga"], baseline_year=2010, baseline_value=D(8), target_year=2014,
             target_value=D(4))
    put(indicator, cities["riga"], 2012, "5.5")  # the line is at 6
    return indicator


def test_the_action_point_page_shows_its_indicators_with_the_course_of_its_cities(
        courses, assigned, cities, bob, client_for):
    page = client_for(bob).get(assigned["1.3"].get_absolute_url()).content.decode()

    block = section(page, 'class="point-indicators"', "</section>")
    assert "Start-ups" in block
    assert "Riga" in block and "On course" in block and "Off course" in block  # Riga coordinates, Tallinn partners
    assert "Helsinki" not in block  # not taking part in 1.3


def test_a_point_city_without_a_baseline_is_named(startups, assigned, cities, secretariat, bob, client_for):
    set_city(secretariat, startups, cities["riga"], baseline_year=2010, baseline_value=D(10))
    page = client_for(bob).get(assigned["1.3"].get_absolute_url()).content.decode()
    block = section(page, 'class="point-indicators"', "</section>")
    assert "No target yet" in block and "No baseline yet: Tallinn" in block


def test_a_point_without_indicators_shows_no_indicator_section(assigned, bob, client_for):
    page = client_for(bob).get(assigned["2.1"].get_absolute_url()).content.decode()
    assert "point-indicators" not in page


def test_the_secretariat_sets_a_target_on_the_page(startups, cities, secretariat, client_for):
    client = client_for(secretariat)
    assert "Set baselines and targets" in client.get(startups.get_absolute_url()).content.decode()
    overview = client.get(reverse("indicators:targets", args=[startups.pk]))
    assert overview.status_code == 200 and "Riga" in overview.content.decode()
    url = reverse("indicators:target_city", args=[startups.pk, "riga"])

    response = client.post(url, {"baseline_year": "2010", "baseline_value": "10", "target_year": "2014",
                                 "target_value": "18", "version": "0"})

    assert response.status_code == 302 and response["Location"] == reverse("indicators:targets", args=[startups.pk])
    row = CityTarget.objects.get()
    assert (row.city, row.target_value, row.history.get().history_user) == (cities["riga"], D(18), secretariat)
    assert 'value="18' in client.get(url).content.decode()  # the form shows what is saved

    response = client.post(reverse("indicators:target_network", args=[startups.pk]),
                           {"target_year": "2015", "target_value": "40", "version": "0"})
    assert response.status_code == 302 and NetworkTarget.objects.get().target_value == D(40)


def _field_errors(page, field):
    return section(page, f'id="id_{field}_errors"', "</ul>")


@pytest.mark.parametrize("data, field, message", [
    ({"baseline_year": "2012", "baseline_value": "1", "target_year": "2012", "target_value": "2"},
     "target_year", "The target year must come after the baseline year."),
    ({"baseline_year": "2010", "baseline_value": "1", "target_year": "2014"},
     "target_value", "Give the target value too"),
    ({"baseline_year": "2010", "baseline_value": "1", "target_value": "5"}, "target_year", "Give the target year too"),
    ({"baseline_year": "next year", "baseline_value": "1"}, "baseline_year", "Enter a whole number."),
    ({"baseline_year": "1800", "baseline_value": "1"}, "baseline_year", "greater than or equal to 1900"),
    ({"baseline_year": "2010", "baseline_value": "ten"}, "baseline_value", "Enter a number."),
    ({"baseline_value": "1"}, "baseline_year", "This field is required."),
])
def test_bad_input_is_refused_with_the_error_by_its_field(startups, cities, secretariat, client_for, data, field,
                                                         message):
    response = client_for(secretariat).post(reverse("indicators:target_city", args=[startups.pk, "riga"]),
                                            {"version": "0", **data})
    assert response.status_code == 400
    assert message in _field_errors(response.content.decode(), field)
    assert not CityTarget.objects.exists()


def test_a_baseline_after_the_network_wide_target_is_refused_by_its_field(startups, cities, secretariat, client_for):
    network_target_set(user=secretariat, indicator=startups, version=0, target_year=2012, target_value=D(20))
    response = client_for(secretariat).post(reverse("indicators:target_city", args=[startups.pk, "riga"]),
                                            {"version": "0", "baseline_year": "2012", "baseline_value": "3"})
    assert response.status_code == 400
    assert "a city following it needs a baseline from before that year" in _field_errors(
        response.content.decode(), "baseline_year")


def test_a_save_over_somebody_elses_change_shows_theirs_and_keeps_mine(startups, cities, secretariat, client_for):
    set_city(secretariat, startups, cities["riga"], baseline_year=2010, baseline_value=D(10))  # saved meanwhile
    client = client_for(secretariat)
    url = reverse("indicators:target_city", args=[startups.pk, "riga"])
    mine = {"baseline_year": "2011", "baseline_value": "12", "version": "0"}

    response = client.post(url, mine)

    page = response.content.decode()
    assert response.status_code == 409
    assert "Somebody else saved this target while you were editing it" in page
    assert "10 (2010)" in section(page, 'class="card conflict"', "</section>")
    assert 'value="12"' in page and 'name="version" value="1"' in page
    assert CityTarget.objects.get().baseline_value == D(10)
    assert client.post(url, {**mine, "version": "1"}).status_code == 302  # saving again replaces it
    assert CityTarget.objects.get().baseline_value == D(12)


@pytest.mark.parametrize("name", ["targets", "target_network", "target_city"])
def test_only_the_secretariat_reaches_the_target_pages(startups, name, alice, chair, observer, client_for):
    args = [startups.pk, "riga"] if name == "target_city" else [startups.pk]
    url = reverse(f"indicators:{name}", args=args)
    for person in (alice, chair, observer):
        client = client_for(person)
        assert client.get(url).status_code == 403
        assert client.post(url, {"baseline_year": "2010", "baseline_value": "1", "target_year": "2014",
                                 "target_value": "1", "version": "0"}).status_code == 403
    assert not CityTarget.objects.exists() and not NetworkTarget.objects.exists()


def test_an_unknown_city_or_indicator_is_404(startups, secretariat, client_for):
    client = client_for(secretariat)
    assert client.get(reverse("indicators:target_city", args=[startups.pk, "atlantis"])).status_code == 404
    assert client.get(reverse("indicators:targets", args=[startups.pk + 99])).status_code == 404


# Constant queries

def _count(client, url):
    def page():
        assert client.get(url).status_code == 200
    return count_queries(page)


def _grow(secretariat, cities, points, count):
    """`count` more indicators measuring 1.3, each with baselines, targets and values for every city."""
    for n in range(count):
        indicator = Indicator.objects.create(name=f"More {n}", unit="x", first_year=2010, last_year=2014)
        indicator.action_points.set([points["1.3"]])
        network_target_set(user=secretariat, indicator=indicator, version=0, target_year=2014, target_value=D(9))
        for city in cities.values():
            set_city(secretariat, indicator, city, baseline_year=2010, baseline_value=D(1))
            put(indicator, city, 2011, "2")
            put(indicator, city, 2012, "3")
        yield indicator


def test_the_benchmarking_page_takes_the_same_queries_at_one_and_many_cities(
        startups, cities, secretariat, observer, client_for):
    client = client_for(observer)
    set_city(secretariat, startups, cities["riga"], baseline_year=2010, baseline_value=D(10), target_year=2014,
             target_value=D(20))
    put(startups, cities["riga"], 2011, "12")
    small = _count(client, startups.get_absolute_url())
    network_target_set(user=secretariat, indicator=startups, version=0, target_year=2014, target_value=D(30))
    for slug, city in cities.items():
        if slug != "riga":
            set_city(secretariat, startups, city, baseline_year=2009, baseline_value=D(5))
            put(startups, city, 2012, "7")
    assert_constant_queries(small, _count(client, startups.get_absolute_url()))


def test_the_action_point_page_takes_the_same_queries_at_one_and_many_indicators(
        startups, assigned, cities, secretariat, bob, client_for):
    client = client_for(bob)
    url = assigned["1.3"].get_absolute_url()
    set_city(secretariat, startups, cities["riga"], baseline_year=2010, baseline_value=D(10))
    small = _count(client, url)
    list(_grow(secretariat, cities, assigned, 4))
    assigned["1.3"].partner_cities.add(cities["helsinki"], cities["oslo"], cities["berlin"])
    assert_constant_queries(small, _count(client, url))
    assert client.get(url).content.decode().count("<h3><a") >= 5


def test_the_target_overview_takes_the_same_queries_at_one_and_many_cities(
        startups, cities, secretariat, client_for):
    client = client_for(secretariat)
    url = reverse("indicators:targets", args=[startups.pk])
    small = _count(client, url)
    for city in cities.values():
        set_city(secretariat, startups, city, baseline_year=2010, baseline_value=D(1))
    assert_constant_queries(small, _count(client, url))


def test_a_point_without_cities_lists_its_indicators_without_courses(startups, points, alice, client_for):
    page = client_for(alice).get(points["1.3"].get_absolute_url()).content.decode()
    block = section(page, 'class="point-indicators"', "</section>")
    assert "Start-ups" in block and "✓ On course" not in block and "No data" not in block
