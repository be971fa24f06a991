"""Two cities answering at the same moment: the initiative row lock makes the outcome settle once."""

import threading

import pytest
from django.db import connection, connections

from actions.models import InitiativeState
from initiatives.services import initiative_answer
from notifications.models import OutboxMessage

from .factories import propose


@pytest.mark.django_db(transaction=True)
def test_the_last_two_answers_arriving_together_approve_it_once(plan, assigned, cities, delegates):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks; run with DATABASE_URL=postgres://…")
    fair = propose(user=delegates["riga"], plan=plan, point=assigned["1.3"],
                   costs={cities["riga"]: "1", cities["tallinn"]: "1", cities["helsinki"]: "1"})
    barrier, failures = threading.Barrier(2), []

    def answer(slug):
        try:
            barrier.wait()
            initiative_answer(initiative=fair, city=cities[slug], user=delegates[slug], approve=True, version=1)
        except Exception as error:  # reported below, a thread cannot fail the test itself
            failures.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=answer, args=(slug,)) for slug in ("tallinn", "helsinki")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert failures == []
    fair.refresh_from_db()
    assert fair.state == InitiativeState.APPROVED
    assert OutboxMessage.objects.filter(kind="initiative_outcome").count() == 3
