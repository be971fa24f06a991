"""Two (or more) people doing something at the same instant, for real: one thread each, released
together by a barrier, each on its own database connection.

Tests using it need committed data and PostgreSQL (`@pytest.mark.django_db(transaction=True)` and
the `postgres` fixture): SQLite's test database is shared in memory and serialises the threads.
"""

import threading

from django.db import connections
from django.test import Client


def race(*actions, timeout: float = 30):
    """Run every action in a thread of its own, all started at the same moment. Returns what each
    returned, in order; an action that raised returns its exception instead."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(index, action):
        try:
            barrier.wait(timeout=timeout)
            results[index] = action()
        except BaseException as error:  # noqa: BLE001 - handed to the test to assert on
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, action), daemon=True) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout)
        assert not thread.is_alive(), "a racing request did not finish"
    return results


def logged_in(user) -> Client:
    """A browser session of its own for `user` (two of them are two tabs, or two people)."""
    from testing.twofactor import pass_second_factor

    client = Client()
    client.force_login(user)
    pass_second_factor(client, user)  # the Secretariat's session has passed the second factor
    return client


def post(client: Client, url: str, data: dict):
    return lambda: client.post(url, data)
