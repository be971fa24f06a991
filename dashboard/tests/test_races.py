"""The Secretariat's changes racing each other on PostgreSQL: one applies, with one history row."""

import pytest
from django.urls import reverse

from cities.models import Role
from cities.services import membership_grant
from cities.tests.factories import UserFactory
from reports.models import ReportingPeriod
from testing.races import logged_in, post, race

ROUNDS = 10

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_secretaries(secretariat):
    colleague = UserFactory(username="second.secretary")
    membership_grant(user=colleague, role=Role.SECRETARIAT)
    return secretariat, colleague


def test_closing_a_period_twice_at_once_closes_it_once(postgres, periods, two_secretaries):
    period = periods["2011 H1"]
    url = reverse("dashboard:period_close", args=[period.pk])
    for round_ in range(ROUNDS):
        ReportingPeriod.objects.filter(pk=period.pk).update(is_closed=False)
        rows_before = period.history.count()

        one, two = race(*[post(logged_in(person), url, {}) for person in two_secretaries])

        assert one.status_code == 302 and two.status_code == 302
        period.refresh_from_db()
        assert period.is_closed
        assert period.history.count() == rows_before + 1, f"round {round_}"


def test_adding_the_same_role_twice_at_once_adds_it_once(postgres, cities, two_secretaries):
    for round_ in range(ROUNDS):
        person = UserFactory(username=f"newcomer{round_}")
        url = reverse("dashboard:membership_add", args=[person.pk])
        data = {"add-role": "mayor", "add-city": cities["riga"].pk}

        one, two = race(*[post(logged_in(secretary), url, data) for secretary in two_secretaries])

        assert sorted([one.status_code, two.status_code]) in ([302, 302], [302, 400]), round_
        assert person.memberships.count() == 1
