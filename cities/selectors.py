"""Reads about the cities that several apps share."""

from .models import Membership, Role


def reachable_city_ids(city_ids) -> set[int]:
    """Of these cities, those with somebody to email: an active delegate with an address. (Reminders
    go to delegates; a city without one cannot be reminded, and the Secretariat is told so.)"""
    return set(Membership.objects.filter(role=Role.DELEGATE, city_id__in=list(city_ids), user__is_active=True)
               .exclude(user__email="").values_list("city_id", flat=True))
