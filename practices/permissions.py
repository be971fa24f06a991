"""Who may see and do what in the best-practice exchange — asked by the pages (which buttons to show)
and by the services (which refuse). Each takes the person's roles (cities.roles.roles_of).

Anybody with a role reads every practice; the public (and an account without a role) only those the
Secretariat published. A city's delegate adds and edits the city's practices; the Secretariat edits any
and publishes or withdraws them (moderation); a city's change to a published practice withdraws it until
the Secretariat publishes it again (practices.services). Anybody with a role may ask another city about one; the
questions asked are read by the practice's city and the Secretariat, and each asker reads their own.
"""

from cities.roles import UserRoles

from .models import Practice


def is_published(practice: Practice) -> bool:
    return practice.published_at is not None


def can_view(roles: UserRoles, practice: Practice) -> bool:
    return roles.in_network or is_published(practice)


def can_create(roles: UserRoles) -> bool:
    return roles.delegate_city_id is not None or roles.is_secretariat


def can_edit(roles: UserRoles, practice: Practice) -> bool:
    return roles.is_secretariat or (roles.delegate_city_id is not None and roles.delegate_city_id == practice.city_id)


def can_moderate(roles: UserRoles) -> bool:
    return roles.is_secretariat


def can_ask(roles: UserRoles, practice: Practice) -> bool:
    """Ask the practice's city about it: anybody with a role, except people of that city."""
    return roles.in_network and practice.city_id not in roles.city_ids


def can_read_questions(roles: UserRoles, practice: Practice) -> bool:
    """Read every question asked about the practice (an asker reads their own: practices.selectors)."""
    return roles.is_secretariat or practice.city_id in roles.city_ids
