"""Answers and withdrawals arriving at the same moment, on PostgreSQL: the initiative's row lock makes
each outcome settle once, whatever the timing. Many rounds, real threads with their own connections."""

import pytest
from django.urls import reverse

from initiatives.models import Answer, ConsentRequest, Decision, InitiativeState
from initiatives.services import InitiativeError, initiative_answer, initiative_withdraw
from notifications.models import OutboxMessage
from testing.races import logged_in, post, race

from .factories import propose

ROUNDS = 10

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _fair(plan, assigned, cities, delegates, round_):
    return propose(user=delegates["riga"], plan=plan, point=assigned["1.3"], title=f"Fair {round_}",
                   costs={cities["riga"]: "1", cities["tallinn"]: "1", cities["helsinki"]: "1"})


def _outcome_mails(fair):
    return OutboxMessage.objects.filter(kind="initiative_outcome", subject__contains=fair.title).count()


def test_the_last_two_answers_arriving_together_approve_it_once(postgres, plan, assigned, cities, delegates):
    for round_ in range(ROUNDS):
        fair = _fair(plan, assigned, cities, delegates, round_)

        results = race(*[
            (lambda slug=slug: initiative_answer(initiative=fair, city=cities[slug], user=delegates[slug],
                                                 approve=True, version=1))
            for slug in ("tallinn", "helsinki")
        ])

        assert not [r for r in results if isinstance(r, Exception)], results
        fair.refresh_from_db()
        assert fair.state == InitiativeState.APPROVED
        assert fair.history.filter(state=InitiativeState.APPROVED).count() == 1
        assert _outcome_mails(fair) == 3  # one to each involved city's delegate, once


def test_one_city_answering_twice_at_once_is_recorded_once(postgres, plan, assigned, cities, delegates):
    url_name = "initiatives:answer"
    for round_ in range(ROUNDS):
        fair = _fair(plan, assigned, cities, delegates, round_)
        url = reverse(url_name, args=[fair.pk])
        approve = {"answer": "approve", "comment": "Yes", "version": fair.version}
        decline = {"answer": "decline", "comment": "No", "version": fair.version}

        one, two = race(post(logged_in(delegates["tallinn"]), url, approve),
                        post(logged_in(delegates["tallinn"]), url, decline))

        assert one.status_code == 302 and two.status_code == 302
        consent = ConsentRequest.objects.get(initiative=fair, city=cities["tallinn"])
        assert consent.answer in (Answer.APPROVED, Answer.DECLINED)
        assert Decision.objects.filter(initiative=fair, city=cities["tallinn"]).count() == 1, f"round {round_}"
        assert consent.history.exclude(answer=Answer.PENDING).count() == 1


def test_a_withdrawal_and_the_deciding_answer_at_once_only_one_outcome(postgres, plan, assigned, cities, delegates):
    for round_ in range(ROUNDS):
        fair = propose(user=delegates["riga"], plan=plan, point=assigned["1.3"], title=f"Fair {round_}",
                       costs={cities["riga"]: "1", cities["tallinn"]: "1"})

        results = race(
            lambda: initiative_withdraw(initiative=fair, user=delegates["riga"]),
            lambda: initiative_answer(initiative=fair, city=cities["tallinn"], user=delegates["tallinn"],
                                      approve=True, version=1),
        )

        errors = [r for r in results if isinstance(r, BaseException)]
        assert all(isinstance(e, InitiativeError) for e in errors), errors  # the loser is told, nothing breaks
        fair.refresh_from_db()
        assert fair.state in (InitiativeState.WITHDRAWN, InitiativeState.APPROVED)
        decided = fair.history.exclude(state=InitiativeState.PROPOSED).values_list("state", flat=True)
        assert list(decided) == [fair.state], f"round {round_}: {list(decided)}"
        assert _outcome_mails(fair) == 2
