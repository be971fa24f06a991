"""Who must use a second factor, and who may reset somebody else's."""

from cities.access import may_manage
from cities.roles import roles_of


def two_factor_required(user) -> bool:
    """The Secretariat and whoever reaches the admin must sign in with a second factor; everybody else
    may turn it on."""
    if not user.is_authenticated or not user.is_active:
        return False
    return user.is_staff or user.is_superuser or roles_of(user).is_secretariat


def may_reset_two_factor(user) -> bool:
    """The Secretariat resets the second factor of a person who lost both their device and their codes."""
    return may_manage(roles_of(user))
