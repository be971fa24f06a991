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
