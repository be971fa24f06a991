"""What a person is in the network, read once per request from their memberships.

Every permission check in the portal starts from `roles_of(user)`.
"""

from dataclasses import dataclass, field

from .models import Role


@dataclass(frozen=True)
class UserRoles:
    is_secretariat: bool = False
    is_chair: bool = False
    delegate_of: frozenset = field(default_factory=frozenset)
    mayor_of: frozenset = field(default_factory=frozenset)
    observer_of: frozenset = field(default_factory=frozenset)

    @property
    def city_ids(self):
        return self.delegate_of | self.mayor_of | self.observer_of

    @property
    def delegate_city_id(self):
        """A delegate speaks for one city (a database constraint); None for everybody else."""
        return next(iter(self.delegate_of), None)

    @property
    def is_delegate(self):
        return bool(self.delegate_of)

    @property
    def sees_whole_network(self):
        return self.is_secretariat or self.is_chair

    @property
    def in_network(self):
        """Has any role at all: an account without one (or whose roles were all removed) sees nothing."""
        return self.sees_whole_network or bool(self.city_ids)


_ANONYMOUS = UserRoles()


def roles_of(user) -> UserRoles:
    if not user.is_authenticated or not user.is_active:
        return _ANONYMOUS
    cached = getattr(user, "_baltmet_roles", None)
    if cached is None:
        by_role = {role: set() for role in Role.values}
        for role, city_id in user.memberships.order_by().values_list("role", "city_id"):
            by_role[role].add(city_id)
        cached = UserRoles(
            is_secretariat=bool(by_role[Role.SECRETARIAT]),
            is_chair=bool(by_role[Role.CHAIR]),
            delegate_of=frozenset(by_role[Role.DELEGATE]),
            mayor_of=frozenset(by_role[Role.MAYOR]),
            observer_of=frozenset(by_role[Role.OBSERVER]),
        )
        user._baltmet_roles = cached
    return cached
