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


def _roles(memberships) -> UserRoles:
    by_role = {role: set() for role in Role.values}
    for role, city_id in memberships:
        by_role[role].add(city_id)
    return UserRoles(
        is_secretariat=bool(by_role[Role.SECRETARIAT]),
        is_chair=bool(by_role[Role.CHAIR]),
        delegate_of=frozenset(by_role[Role.DELEGATE]),
        mayor_of=frozenset(by_role[Role.MAYOR]),
        observer_of=frozenset(by_role[Role.OBSERVER]),
    )


def roles_of(user) -> UserRoles:
    if not user.is_authenticated or not user.is_active:
        return _ANONYMOUS
    cached = getattr(user, "_baltmet_roles", None)
    if cached is None:
        cached = _roles(user.memberships.order_by().values_list("role", "city_id"))
        user._baltmet_roles = cached
    return cached


def read_roles(users) -> None:
    """Read the roles of many people in one query (a digest run's recipients), so that roles_of(person)
    asks nothing more for any of them."""
    from .models import Membership

    people = [user for user in users if getattr(user, "_baltmet_roles", None) is None]
    memberships = {user.pk: [] for user in people}
    for user_id, role, city_id in (Membership.objects.filter(user_id__in=list(memberships)).order_by()
                                   .values_list("user_id", "role", "city_id")):
        memberships[user_id].append((role, city_id))
    for user in people:
        user._baltmet_roles = _roles(memberships[user.pk])
