"""A sign-in half done: the password was right, the second factor is still to come.

The session holds who it is for (with their session hash, so a password changed meanwhile ends it),
where to go afterwards and since when; nobody is logged in until the code is right.
"""

import time

from django.contrib.auth import get_user_model

KEY = "twofactor_pending"
VALID_SECONDS = 5 * 60


def pending_start(request, user, *, next_url: str) -> None:
    request.session.cycle_key()
    request.session[KEY] = {"user": user.pk, "backend": user.backend, "hash": user.get_session_auth_hash(),
                            "next": next_url, "at": time.time()}


def pending_user(request):
    """The person whose sign-in waits for a code, or None (none, expired, or no longer valid)."""
    state = request.session.get(KEY)
    if not isinstance(state, dict):
        return None
    if time.time() - state.get("at", 0) > VALID_SECONDS:
        pending_end(request)
        return None
    user = get_user_model().objects.filter(pk=state.get("user"), is_active=True).first()
    if user is None or user.get_session_auth_hash() != state.get("hash"):
        pending_end(request)
        return None
    user.backend = state["backend"]
    return user


def pending_next(request) -> str:
    state = request.session.get(KEY)
    return state.get("next", "") if isinstance(state, dict) else ""


def pending_end(request) -> None:
    request.session.pop(KEY, None)
