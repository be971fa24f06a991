"""Who may do what with indicators — asked by the pages and by the services alike.

Every role in the network reads indicators, benchmarking and the ways from baseline to target; the
Secretariat defines indicators and sets baselines and targets (indicators have no owners of their own);
delegates enter their own city's values, the Secretariat any city's."""

from cities.roles import UserRoles


def can_define(roles: UserRoles) -> bool:
    return roles.is_secretariat


def can_enter(roles: UserRoles) -> bool:
    return roles.is_secretariat or roles.delegate_city_id is not None


def can_enter_for(roles: UserRoles, city_id: int) -> bool:
    return roles.is_secretariat or roles.delegate_city_id == city_id


def can_set_targets(roles: UserRoles) -> bool:
    return roles.is_secretariat
