import pytest

from cities.models import City, Role
from cities.services import membership_grant
from cities.tests.factories import UserFactory


@pytest.fixture
def delegates(cities, alice, bob):
    """A delegate for every member city: alice for Riga, bob for Tallinn, '<slug>.delegate' elsewhere."""
    people = {"riga": alice, "tallinn": bob}
    for city in City.objects.filter(left__isnull=True):
        if city.slug not in people:
            user = UserFactory(username=f"{city.slug}.delegate")
            membership_grant(user=user, role=Role.DELEGATE, city=city)
            people[city.slug] = user
    return people
