"""Links to objects that lists show by the dozen (action points, reports), without a reverse() each.

reverse() is a good part of a list page's time and of a digest's rendering, and the URL of one
action point differs from another's only in its id: reverse once per URL name (and script prefix)
with a placeholder, then fill the id in.
"""

from functools import lru_cache

from django.urls import get_script_prefix, reverse

_PLACEHOLDER = 918273645  # an id no row will have


@lru_cache(maxsize=64)
def _pattern(name: str, prefix: str, arity: int) -> str:
    args = [_PLACEHOLDER + i for i in range(arity)]
    url = reverse(name, args=args)
    for i, arg in enumerate(args):
        url = url.replace(str(arg), "{%d}" % i)
    return url


def link(name: str, *args) -> str:
    """The same as reverse(name, args=args) for URLs whose arguments are all integer ids."""
    return _pattern(name, get_script_prefix(), len(args)).format(*args)


def link_pattern(name: str):
    """link(name, id) as a function of the id, for a loop over many ids of the same URL name."""
    return _pattern(name, get_script_prefix(), 1).format
