"""The consent state machine, through the services: every path the plan's rule allows."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cities.models import City
from initiatives import selectors
from initiatives.models import Answer, ConsentRequest, Decision, InitiativeState
from initiatives.services import (
    CostLine,
    InitiativeConflict,
    InitiativeError,
    initiative_answer,
    initiative_change,
    initiative_remind,
    initiative_withdraw,
)
from notifications.models import OutboxMessage

from .factories import propose


@pytest.fixture
def fair(plan, assigned, cities, delegates):
    """Riga proposes under 1.3, involving Tallinn and Helsinki."""
    return propose(user=delegates["riga"], plan=plan, point=assigned["1.3"],
                   costs={cities["riga"]: "1000", cities["tallinn"]: "500", cities["helsinki"]: "0"})


def answer(initiative, person, city, approve=True, comment=""):
    initiative.refresh_from_db()
    return initiative_answer(initiative=initiative, city=city, user=person, approve=approve, comment=comment,
                             version=initiative.version)


def answers(initiative):
    return dict(ConsentRequest.objects.filter(initiative=initiative).values_list("city__slug", "answer"))


def test_it_asks_each_involved_city_and_counts_the_proposers_city_as_approving(fair, delegates):
    assert fair.state == InitiativeState.PROPOSED
    assert answers(fair) == {"riga": Answer.APPROVED, "tallinn": Answer.PENDING, "helsinki": Answer.PENDING}
    assert set(fair.involved_cities.values_list("slug", flat=True)) == {"riga", "tallinn", "helsinki"}
    asked = set(OutboxMessage.objects.filter(kind="initiative_consent").values_list("to", flat=True))
    assert asked == {delegates["tallinn"].email, delegates["helsinki"].email}
    tallinn_mail = OutboxMessage.objects.get(kind="initiative_consent", to=delegates["tallinn"].email)
    assert "500.00 EUR" in tallinn_mail.body_text
    assert f"/initiatives/{fair.pk}/#answer" in tallinn_mail.body_text


def test_it_is_approved_when_every_involved_city_approves(fair, cities, delegates):
    answer(fair, delegates["tallinn"], cities["tallinn"])
    fair.refresh_from_db()
    assert fair.state == InitiativeState.PROPOSED and fair.decided_at is None

    answer(fair, delegates["helsinki"], cities["helsinki"], comment="Gladly")
    fair.refresh_from_db()

    assert fair.state == InitiativeState.APPROVED
    assert fair.decided_at is not None
    helsinki = ConsentRequest.objects.get(initiative=fair, city=cities["helsinki"])
    assert (helsinki.answered_by, helsinki.comment, helsinki.answered_version) == (delegates["helsinki"], "Gladly", 1)
    outcome = set(OutboxMessage.objects.filter(kind="initiative_outcome").values_list("to", flat=True))
    assert outcome == {delegates[s].email for s in ("riga", "tallinn", "helsinki")}


def test_it_is_declined_as_soon_as_one_city_declines(fair, cities, delegates):
    answer(fair, delegates["tallinn"], cities["tallinn"], approve=False, comment="No budget this year")
    fair.refresh_from_db()

    assert fair.state == InitiativeState.DECLINED
    assert fair.decided_at is not None
    with pytest.raises(InitiativeError):
        answer(fair, delegates["helsinki"], cities["helsinki"])
    assert answers(fair)["helsinki"] == Answer.PENDING


def test_the_proposer_can_withdraw_it_before_it_is_decided(fair, cities, delegates):
    answer(fair, delegates["tallinn"], cities["tallinn"])
    initiative_withdraw(initiative=fair, user=delegates["riga"], comment="Merged into another project")
    fair.refresh_from_db()

    assert fair.state == InitiativeState.WITHDRAWN
    with pytest.raises(InitiativeError):
        answer(fair, delegates["helsinki"], cities["helsinki"])
    assert Decision.objects.filter(initiative=fair, kind="withdrawn", comment="Merged into another project").exists()


def test_only_the_proposing_city_withdraws(fair, delegates, secretariat):
    for person in (delegates["tallinn"], secretariat):
        with pytest.raises(PermissionDenied):
            initiative_withdraw(initiative=fair, user=person)
    fair.refresh_from_db()
    assert fair.state == InitiativeState.PROPOSED


def test_a_decided_initiative_cannot_be_withdrawn(fair, cities, delegates):
    answer(fair, delegates["tallinn"], cities["tallinn"], approve=False)
    with pytest.raises(InitiativeError):
        initiative_withdraw(initiative=fair, user=delegates["riga"])


def _change(initiative, user, costs, **terms):
    initiative.refresh_from_db()
    return initiative_change(
        initiative=initiative, user=user, version=terms.pop("version", initiative.version),
        title=terms.get("title", initiative.title), description=initiative.description,
        start=terms.get("start", initiative.start), end=terms.get("end", initiative.end),
        costs=[CostLine(city=city, amount=Decimal(amount)) for city, amount in costs.items()],
    )


def test_a_change_of_costs_after_an_answer_asks_that_city_again(fair, cities, delegates):
    answer(fair, delegates["tallinn"], cities["tallinn"], comment="OK at 500")
    mails_before = OutboxMessage.objects.filter(to=delegates["tallinn"].email).count()

    _change(fair, delegates["riga"], {cities["riga"]: "1000", cities["tallinn"]: "800", cities["helsinki"]: "0"})
    fair.refresh_from_db()

    assert fair.version == 2 and fair.state == InitiativeState.PROPOSED
    assert answers(fair) == {"riga": Answer.APPROVED, "tallinn": Answer.PENDING, "helsinki": Answer.PENDING}
    assert OutboxMessage.objects.filter(to=delegates["tallinn"].email).count() == mails_before + 1
    # The earlier answer is kept, with the cost it was given for.
    earlier = Decision.objects.get(initiative=fair, kind="approved", city=cities["tallinn"])
    assert earlier.version == 1 and earlier.comment == "OK at 500"
    assert {"city": "Tallinn", "city_id": cities["tallinn"].pk, "amount": "500.00", "currency": "EUR"} \
        in earlier.costs["costs"]
    tallinn_history = ConsentRequest.history.filter(city=cities["tallinn"], initiative_id=fair.pk)
    assert Answer.APPROVED in set(tallinn_history.values_list("answer", flat=True))
    changed = Decision.objects.get(initiative=fair, kind="changed")
    assert {"city": "Tallinn", "city_id": cities["tallinn"].pk, "amount": "800.00", "currency": "EUR"} \
        in changed.costs["costs"]


def test_an_answer_to_an_older_version_is_refused(fair, cities, delegates):
    _change(fair, delegates["riga"], {cities["riga"]: "1000", cities["tallinn"]: "900", cities["helsinki"]: "0"})
    with pytest.raises(InitiativeConflict):
        initiative_answer(initiative=fair, city=cities["tallinn"], user=delegates["tallinn"], approve=True, version=1)
    assert answers(fair)["tallinn"] == Answer.PENDING


def test_changing_an_approved_initiative_reopens_it(fair, cities, delegates):
    answer(fair, delegates["tallinn"], cities["tallinn"])
    answer(fair, delegates["helsinki"], cities["helsinki"])
    fair.refresh_from_db()
    assert fair.state == InitiativeState.APPROVED

    _change(fair, delegates["riga"], {cities["riga"]: "1000", cities["tallinn"]: "500", cities["helsinki"]: "0"},
            end=date(2011, 9, 3))
    fair.refresh_from_db()

    assert fair.state == InitiativeState.PROPOSED and fair.decided_at is None
    assert answers(fair) == {"riga": Answer.APPROVED, "tallinn": Answer.PENDING, "helsinki": Answer.PENDING}


def test_a_change_that_changes_nothing_asks_nobody_again(fair, cities, delegates):
    answer(fair, delegates["tallinn"], cities["tallinn"])
    _change(fair, delegates["riga"], {cities["riga"]: "1000.00", cities["tallinn"]: "500", cities["helsinki"]: "0"})
    fair.refresh_from_db()
    assert fair.version == 1
    assert answers(fair)["tallinn"] == Answer.APPROVED


def test_a_city_dropped_from_the_initiative_is_no_longer_asked(fair, cities, delegates):
    _change(fair, delegates["riga"], {cities["riga"]: "1000", cities["tallinn"]: "500"})
    assert set(answers(fair)) == {"riga", "tallinn"}
    answer(fair, delegates["tallinn"], cities["tallinn"])
    fair.refresh_from_db()
    assert fair.state == InitiativeState.APPROVED


def test_only_the_proposing_city_changes_the_terms(fair, cities, delegates):
    with pytest.raises(PermissionDenied):
        _change(fair, delegates["tallinn"], {cities["riga"]: "1", cities["tallinn"]: "1"})


def test_a_network_wide_initiative_needs_every_member_city(plan, cities, delegates):
    members = set(City.objects.filter(left__isnull=True).values_list("slug", flat=True))
    assert "copenhagen" not in members and len(members) == 10
    initiative = propose(user=delegates["riga"], plan=plan, point=None, title="BaltMet summer school",
                         costs={cities["riga"]: "2000", cities["tallinn"]: "300"})

    consents = {c.city.slug: c for c in ConsentRequest.objects.filter(initiative=initiative).select_related("city")}
    assert set(consents) == members
    assert consents["oslo"].expected_cost is None and not consents["oslo"].involved
    assert consents["tallinn"].expected_cost == Decimal("300")
    assert set(initiative.involved_cities.values_list("slug", flat=True)) == {"riga", "tallinn"}

    others = sorted(members - {"riga"})
    for slug in others[:-1]:
        answer(initiative, delegates[slug], cities[slug])
    initiative.refresh_from_db()
    assert initiative.state == InitiativeState.PROPOSED

    answer(initiative, delegates[others[-1]], cities[others[-1]])
    initiative.refresh_from_db()
    assert initiative.state == InitiativeState.APPROVED


def test_a_network_wide_initiative_is_declined_by_any_member(plan, cities, delegates):
    initiative = propose(user=delegates["riga"], plan=plan, point=None, costs={cities["riga"]: "10"})
    answer(initiative, delegates["oslo"], cities["oslo"], approve=False)
    initiative.refresh_from_db()
    assert initiative.state == InitiativeState.DECLINED


def test_only_delegates_of_an_asked_city_answer_and_only_for_their_own_city(
    fair, cities, delegates, mayor, observer, secretariat, chair,
):
    for person, city in [
        (delegates["oslo"], cities["oslo"]),          # not involved
        (delegates["tallinn"], cities["helsinki"]),   # involved, but for another city
        (delegates["oslo"], cities["tallinn"]),
        (mayor, cities["tallinn"]), (observer, cities["tallinn"]),
        (secretariat, cities["tallinn"]), (chair, cities["tallinn"]),
    ]:
        with pytest.raises(PermissionDenied):
            answer(fair, person, city)
    assert answers(fair) == {"riga": Answer.APPROVED, "tallinn": Answer.PENDING, "helsinki": Answer.PENDING}


def test_a_city_answers_once_per_version(fair, cities, delegates):
    answer(fair, delegates["tallinn"], cities["tallinn"])
    with pytest.raises(InitiativeError):
        answer(fair, delegates["tallinn"], cities["tallinn"], approve=False)


def test_only_a_delegate_proposes_and_for_a_member_city_with_their_own_city_involved(plan, assigned, cities,
                                                                                     delegates, mayor, secretariat):
    for person in (mayor, secretariat):
        with pytest.raises(PermissionDenied):
            propose(user=person, plan=plan, point=assigned["1.3"], costs={cities["riga"]: "1"})
    with pytest.raises(InitiativeError):
        propose(user=delegates["riga"], plan=plan, point=assigned["1.3"], costs={cities["tallinn"]: "1"})
    with pytest.raises(InitiativeError):
        propose(user=delegates["riga"], plan=plan, point=assigned["1.3"],
                costs={cities["riga"]: "1", cities["copenhagen"]: "1"})


def test_an_initiative_involving_only_the_proposer_is_approved_at_once(plan, assigned, cities, delegates):
    initiative = propose(user=delegates["riga"], plan=plan, point=assigned["1.3"], costs={cities["riga"]: "50"})
    assert initiative.state == InitiativeState.APPROVED


def test_reminders_go_to_the_cities_that_have_not_answered(fair, cities, delegates, secretariat):
    answer(fair, delegates["tallinn"], cities["tallinn"])
    OutboxMessage.objects.all().delete()

    reminded = initiative_remind(initiative=fair, user=secretariat)

    assert reminded.reached == [cities["helsinki"]] and reminded.unreachable == []
    assert list(OutboxMessage.objects.values_list("kind", "to")) == [
        ("initiative_reminder", delegates["helsinki"].email)
    ]
    assert ConsentRequest.objects.get(initiative=fair, city=cities["helsinki"]).reminded_at is not None
    assert ConsentRequest.objects.get(initiative=fair, city=cities["tallinn"]).reminded_at is None
    assert Decision.objects.filter(initiative=fair, kind="reminded", comment="Helsinki").exists()


def test_only_the_secretariat_reminds_and_only_while_answers_are_awaited(fair, cities, delegates, secretariat):
    with pytest.raises(PermissionDenied):
        initiative_remind(initiative=fair, user=delegates["riga"])
    answer(fair, delegates["tallinn"], cities["tallinn"], approve=False)
    with pytest.raises(InitiativeError):
        initiative_remind(initiative=fair, user=secretariat)


def test_selectors_for_the_workspace_the_action_point_page_and_digests(fair, plan, assigned, cities, delegates):
    other = propose(user=delegates["riga"], plan=plan, point=assigned["2.1"], title="Other",
                    costs={cities["riga"]: "1", cities["tallinn"]: "1"})
    assert [c.initiative_id for c in selectors.pending_consents_for_city(city=cities["tallinn"])] == [fair.pk, other.pk]
    assert selectors.pending_consents_for_city(city=cities["riga"]) == []

    before = timezone.now() - timedelta(seconds=1)
    answer(fair, delegates["tallinn"], cities["tallinn"])
    answer(fair, delegates["helsinki"], cities["helsinki"])

    assert [c.initiative_id for c in selectors.pending_consents_for_city(city=cities["tallinn"])] == [other.pk]
    assert selectors.approved_initiatives_for_point(point=assigned["1.3"]) == [fair]
    assert selectors.approved_initiatives_for_point(point=assigned["2.1"]) == []
    assert selectors.initiatives_approved_since(city_ids=[cities["helsinki"].pk], since=before) == [fair]
    assert selectors.initiatives_approved_since(city_ids=[cities["riga"].pk, cities["tallinn"].pk],
                                                since=before) == [fair]
    assert selectors.initiatives_approved_since(city_ids=[cities["oslo"].pk], since=before) == []
    assert selectors.initiatives_approved_since(city_ids=[cities["helsinki"].pk],
                                                since=timezone.now() + timedelta(seconds=5)) == []
