"""The gates in front of pages, built on `roles_of`, shared by every app.

`member_required`: anonymous people are sent to log in; an account without a role gets 403.
`secretariat_required`: anonymous people are sent to log in; everybody else who is not the
Secretariat gets 403. The Chair may look at the pages marked `chair_may_view` (read-only: those
views only answer GET and HEAD). `network_roles`: anybody with a role in the network may read;
a bare account gets 403. Finer questions (whose report, which city) live in each app's
permissions module, e.g. reports/permissions.py.
"""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from .roles import UserRoles, roles_of

SAFE_METHODS = ("GET", "HEAD")


def may_view(roles) -> bool:
    return roles.is_secretariat or roles.is_chair


def may_manage(roles) -> bool:
    return roles.is_secretariat


def require_secretariat(user, message: str = "") -> None:
    """What services call before a change only the Secretariat makes (the same rule as the pages' gate)."""
    if not may_manage(roles_of(user)):
        raise PermissionDenied(message or _("Only the Secretariat may do this."))


def secretariat_required(view=None, *, chair_may_view=False):
    """Let the Secretariat through; the Chair too, read-only, when `chair_may_view`.

    Puts the person's roles on `request.roles` and `request.can_manage` for the view and template.
    """

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            roles = roles_of(request.user)
            allowed = may_manage(roles) or (
                chair_may_view and request.method in SAFE_METHODS and may_view(roles)
            )
            if not allowed:
                raise PermissionDenied
            request.roles = roles
            request.can_manage = may_manage(roles)
            return view(request, *args, **kwargs)

        return wrapped

    return decorator(view) if view is not None else decorator


def network_roles(request) -> UserRoles:
    """The person's roles, if they have any role in the network; otherwise 403."""
    roles = roles_of(request.user)
    if not roles.in_network:
        raise PermissionDenied
    return roles


def member_required(view):
    """The gate of every page of the network's work: anonymous people are sent to log in; an account
    without a role (never given one, or a former member whose roles were removed) gets 403.
    Puts the person's roles on `request.roles`."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        request.roles = network_roles(request)
        return view(request, *args, **kwargs)

    return wrapped
