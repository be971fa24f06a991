"""Two people entering the first value of an indicator for the same city and year at the same instant,
on PostgreSQL: one value is kept, the other person is told, and nobody gets an error page."""

import pytest
from django.urls import reverse

from cities.models import Role
from cities.services import membership_grant
from cities.tests.factories import UserFactory
from indicators.models import Indicator, IndicatorValue
from testing.races import logged_in, post, race

ROUNDS = 10

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_first_value_entered_twice_at_once_keeps_one_and_tells_the_other(postgres, cities, alice):
    colleague = UserFactory(username="riga.colleague")
    secretary = UserFactory(username="secretary")
    membership_grant(user=secretary, role=Role.SECRETARIAT)
    del colleague
    for round_ in range(ROUNDS):
        indicator = Indicator.objects.create(name=f"Start-ups {round_}", unit="per 100,000", first_year=2011,
                                             last_year=2012)
        url = reverse("indicators:values", args=[indicator.pk])

        delegate, secretariat = race(
            post(logged_in(alice), url, {"year": "2011", "value": "12.5", "source": "Riga statistics"}),
            post(logged_in(secretary), url, {"city": cities["riga"].pk, "year": "2011", "value": "13",
                                             "source": "Eurostat"}),
        )

        assert delegate.status_code in (200, 302) and secretariat.status_code in (200, 302), round_
        assert IndicatorValue.objects.filter(indicator=indicator).count() == 1
        value = IndicatorValue.objects.get(indicator=indicator)
        assert value.history.count() in (1, 2)  # the first entry, and a deliberate replacement if it came after
        refused = [r for r in (delegate, secretariat) if r.status_code == 200]
        for response in refused:
            assert "at the same moment" in response.content.decode()


@pytest.mark.parametrize("existing", [False, True], ids=["first-target", "changing-a-target"])
def test_two_secretariat_members_setting_the_same_target_at_once_make_one_winner(postgres, cities, existing):
    """Both saw the same version (none yet, or version 1): one save goes through with one history row, the
    other gets the conflict page showing the winner's target, their own entries still in the form."""
    from decimal import Decimal

    from indicators.models import CityTarget
    from indicators.services import city_target_set

    first, second = UserFactory(username="sec.one"), UserFactory(username="sec.two")
    for person in (first, second):
        membership_grant(user=person, role=Role.SECRETARIAT)
    for round_ in range(ROUNDS):
        indicator = Indicator.objects.create(name=f"Recycling {round_}", unit="%", first_year=2010, last_year=2014)
        version = 0
        if existing:
            version = city_target_set(user=first, indicator=indicator, city=cities["riga"], version=0,
                                      baseline_year=2010, baseline_value=Decimal(5)).version
        url = reverse("indicators:target_city", args=[indicator.pk, "riga"])
        one, two = race(*(
            post(logged_in(person), url, {"baseline_year": "2010", "baseline_value": "5", "target_year": "2014",
                                          "target_value": value, "version": str(version)})
            for person, value in ((first, "20"), (second, "30"))
        ))

        assert sorted([one.status_code, two.status_code]) == [302, 409], round_
        row = CityTarget.objects.get(indicator=indicator)
        winner, loser = (one, two) if one.status_code == 302 else (two, one)
        assert row.target_value == (Decimal(20) if winner is one else Decimal(30))
        assert row.history.count() == (2 if existing else 1)
        page = loser.content.decode()
        assert "Somebody else saved this target" in page and f"{row.target_value:f}".rstrip("0").rstrip(".") in page
