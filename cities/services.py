from django.db import transaction
from django.utils.translation import gettext as _

from baltmet.db import save_new_unique

from .access import require_secretariat
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


# People's roles (the Secretariat) --------------------------------------------------------------------------


@transaction.atomic
def membership_change(*, membership: Membership, role: str, city: City | None, user) -> Membership:
    require_secretariat(user)
    membership.role = role
    membership.city = city
    membership.full_clean()
    membership._history_user = user
    membership.save()
    return membership


@transaction.atomic
def membership_add(*, person, role: str, city: City | None, user) -> Membership:
    require_secretariat(user)
    membership = Membership(user=person, role=role, city=city)
    membership.full_clean()
    membership._history_user = user
    save_new_unique(membership, _("This role was given to this person a moment ago (by somebody else)."))
    return membership


@transaction.atomic
def membership_remove(*, membership: Membership, user) -> bool:
    """Remove a role; False when it was already removed (by a double click, or a colleague)."""
    require_secretariat(user)
    locked = Membership.objects.select_for_update().filter(pk=membership.pk).order_by().first()
    if locked is None:
        return False
    locked._history_user = user
    locked.delete()
    return True
