"""DRF's side of the portal's gates: the rules themselves are reports/permissions.py and cities/roles.py."""

from rest_framework.permissions import BasePermission

from cities.roles import roles_of
from reports import permissions


class InNetwork(BasePermission):
    """Anybody with a role in the network (reports.permissions.can_view_network); 401 without a token."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated) and permissions.can_view_network(
            roles_of(request.user))
