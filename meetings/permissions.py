"""Who may see and do what with meetings and resolutions — asked by the pages (which buttons to show)
and by the services (which refuse). Each takes the person's roles (cities.roles.roles_of).

Meetings, their documents and resolutions are the network's record: anybody with a role reads them;
the Secretariat keeps them. A briefing pack shows each city's reports by the one rule of
reports/permissions.py, so a Mayor's pack holds what that Mayor may see.
"""

from cities.roles import UserRoles


def can_view(roles: UserRoles) -> bool:
    return roles.in_network


def can_manage(roles: UserRoles) -> bool:
    return roles.is_secretariat
