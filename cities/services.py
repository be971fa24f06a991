from django.db import transaction

from .members import MEMBER_CITIES
from .models import City, Membership, Role


@transaction.atomic
def member_cities_ensure() -> dict[str, City]:
    """Create the member cities that are missing; existing ones are left as the Secretariat keeps them."""
    cities = {city.slug: city for city in City.objects.all()}
    for name, country, slug, joined, left in MEMBER_CITIES:
        if slug not in cities:
            cities[slug] = City.objects.create(name=name, country=country, slug=slug, joined=joined, left=left)
    return cities


def membership_grant(*, user, role: Role, city: City | None = None) -> Membership:
    membership, _ = Membership.objects.get_or_create(user=user, role=role, city=city)
    return membership
