from django.utils.functional import SimpleLazyObject

from cities.roles import roles_of


def roles(request):
    """`roles` in every template, read lazily so pages that do not use it pay no query."""
    return {"roles": SimpleLazyObject(lambda: roles_of(request.user))}
