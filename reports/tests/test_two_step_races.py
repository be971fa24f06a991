"""Two-step review's steps, two at once on PostgreSQL, many rounds: one winner, one history row, one email.

Riga (alice) coordinates 1.3 with Tallinn (bob) as partner; every round has a period of its own."""

from datetime import date

import pytest
from django.urls import reverse

from actions.models import ActionPlan
from notifications.models import OutboxMessage
from reports import services
from reports.models import ProgressReport, ReportingPeriod, WorkflowState
from testing.races import logged_in, post, race

from .conftest import form_data

ROUNDS = 12

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def two_step(plan, secretariat):
    services.plan_review_mode_set(plan=plan, mode=ActionPlan.ReviewMode.TWO_STEP, user=secretariat)
    return plan


@pytest.fixture
def slot(two_step, assigned, cities):
    """A new round: a period of its own and Tallinn's report on 1.3 in it, in the state asked for."""
    rounds = iter(range(100))

    def make(state=WorkflowState.WITH_COORDINATOR, city="tallinn"):
        n = next(rounds)
        period = ReportingPeriod.objects.create(plan=two_step, label=f"Round {n}", start=date(2030 + n, 1, 1),
                                                end=date(2030 + n, 6, 30), due_date=date(2030 + n, 7, 31))
        report = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities[city], period=period,
                                               summary="Tallinn's report.")
        if state != WorkflowState.DRAFT:
            ProgressReport.objects.filter(pk=report.pk).update(state=state, submitted_at="2030-07-01T10:00Z")
        report.refresh_from_db()
        return report

    return make


def _rows(report):
    return ProgressReport.history.filter(id=report.pk).count()


def _mails_to(user):
    return OutboxMessage.objects.filter(to=user.email).count()


def test_the_coordinator_accepting_and_returning_at_once_one_is_applied(postgres, slot, alice, bob):
    for round_ in range(ROUNDS):
        report = slot()
        rows, mails = _rows(report), _mails_to(bob)

        accepting, returning = race(
            post(logged_in(alice), reverse("reports:accept", args=[report.pk]), {"comment": ""}),
            post(logged_in(alice), reverse("reports:return_to_partner", args=[report.pk]),
                 {"comment": "Add the sources."}),
        )

        assert accepting.status_code == 302 and returning.status_code == 302, round_
        report.refresh_from_db()
        assert report.state in (WorkflowState.ACCEPTED, WorkflowState.RETURNED)
        assert _rows(report) == rows + 1, f"round {round_}: both steps were applied"
        assert _mails_to(bob) == mails + 1, f"round {round_}"


def test_a_double_accept_accepts_once(postgres, slot, alice, bob):
    for round_ in range(ROUNDS):
        report = slot()
        rows, mails = _rows(report), _mails_to(bob)
        url = reverse("reports:accept", args=[report.pk])

        race(post(logged_in(alice), url, {"comment": ""}), post(logged_in(alice), url, {"comment": ""}))

        report.refresh_from_db()
        assert report.state == WorkflowState.ACCEPTED
        assert _rows(report) == rows + 1, f"round {round_}"
        assert _mails_to(bob) == mails + 1, f"round {round_}"


def test_a_partner_submitting_while_the_plan_moves_to_one_step_never_stays_with_the_coordinator(
    postgres, slot, two_step, bob, secretariat,
):
    for round_ in range(ROUNDS):
        services.plan_review_mode_set(plan=two_step, mode=ActionPlan.ReviewMode.TWO_STEP, user=secretariat)
        report = slot(WorkflowState.DRAFT)

        submitting, switching = race(
            post(logged_in(bob), reverse("reports:report", args=[report.pk]),
                 form_data(report, summary=f"Round {round_}.", action="submit")),
            post(logged_in(secretariat), reverse("dashboard:plan_review_mode", args=[two_step.pk]),
                 {"review_mode": ActionPlan.ReviewMode.ONE_STEP}),
        )

        assert submitting.status_code == 302 and switching.status_code == 302, round_
        report.refresh_from_db()
        # Submitted first: it went to the coordinator and the switch moved it on. Switched first: straight in.
        assert report.state == WorkflowState.SUBMITTED, f"round {round_}: {report.state}"


def test_approving_a_consolidated_report_while_returning_it_approves_the_partner_once_or_not_at_all(
    postgres, slot, alice, secretariat,
):
    from cities.models import Role
    from cities.services import membership_grant
    from cities.tests.factories import UserFactory

    colleague = UserFactory(username="second.secretary")
    membership_grant(user=colleague, role=Role.SECRETARIAT)
    for round_ in range(ROUNDS):
        partner = slot(WorkflowState.ACCEPTED)
        consolidated = ProgressReport.objects.create(
            action_point=partner.action_point, city=alice.memberships.get().city, period=partner.period,
            summary="Consolidated.", state=WorkflowState.SUBMITTED, submitted_at="2030-07-02T10:00Z",
        )
        partner_rows = _rows(partner)

        race(
            post(logged_in(secretariat), reverse("dashboard:approve", args=[consolidated.pk]), {"comment": ""}),
            post(logged_in(colleague), reverse("dashboard:return", args=[consolidated.pk]),
                 {"comment": "Say more about Tallinn."}),
        )

        consolidated.refresh_from_db()
        partner.refresh_from_db()
        if consolidated.state == WorkflowState.APPROVED:
            assert partner.state == WorkflowState.APPROVED and _rows(partner) == partner_rows + 1, round_
        else:
            assert partner.state == WorkflowState.ACCEPTED and _rows(partner) == partner_rows, round_
        assert _rows(consolidated) == 2, f"round {round_}: both reviews were applied"


def test_accepting_a_partner_report_while_its_consolidated_report_is_approved_never_leaves_it_behind(
    postgres, slot, alice, secretariat,
):
    """Whichever comes first, the partner report ends approved with the consolidated report, or with the
    Secretariat as submitted: never accepted with nothing left to approve it."""
    outcomes = set()
    for round_ in range(ROUNDS):
        partner = slot(WorkflowState.WITH_COORDINATOR)
        consolidated = ProgressReport.objects.create(
            action_point=partner.action_point, city=alice.memberships.get().city, period=partner.period,
            summary="Consolidated.", state=WorkflowState.SUBMITTED, submitted_at="2030-07-02T10:00Z",
        )
        rows = _rows(partner)

        accepting, approving = race(
            post(logged_in(alice), reverse("reports:accept", args=[partner.pk]), {"comment": ""}),
            post(logged_in(secretariat), reverse("dashboard:approve", args=[consolidated.pk]), {"comment": ""}),
        )

        assert accepting.status_code == approving.status_code == 302, round_
        consolidated.refresh_from_db()
        partner.refresh_from_db()
        assert consolidated.state == WorkflowState.APPROVED, round_
        assert partner.state in (WorkflowState.APPROVED, WorkflowState.SUBMITTED), f"round {round_}: {partner.state}"
        # Accepted then approved with it (two rows), or accepted late and sent on (one row).
        assert _rows(partner) == rows + (2 if partner.state == WorkflowState.APPROVED else 1), round_
        outcomes.add(partner.state)
    print("outcomes:", outcomes)
