"""Two people (or two tabs) doing the same thing to a report at the same instant, on PostgreSQL.

Each round races real requests in threads with their own database connections; whatever the timing,
exactly one of them wins, the other is told, and the report has one history row and one email for it.
"""

import pytest
from django.urls import reverse

from cities.models import Role
from cities.services import membership_grant
from cities.tests.factories import UserFactory
from notifications.models import OutboxMessage
from reports.models import ProgressReport, WorkflowState
from testing.races import logged_in, post, race

from .conftest import form_data

ROUNDS = 15

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def fresh_report(assigned, periods, cities):
    """A new draft each call, on its own period slot (one report per point, city and period)."""
    slots = iter([(point, period) for point in ("1.3",) for period in periods.values()]
                 + [(number, period) for number, point in assigned.items() if number not in ("1.3", "2.1")
                    for period in periods.values()])

    def make(state=WorkflowState.DRAFT):
        number, period = next(slots)
        point = assigned[number]
        report = ProgressReport.objects.create(action_point=point, city=cities["riga"], period=period,
                                               summary="The draft as it was.")
        if state == WorkflowState.SUBMITTED:
            ProgressReport.objects.filter(pk=report.pk).update(state=state, submitted_at="2011-07-01T10:00Z")
            report.refresh_from_db()
        return report

    return make


def _history_rows(report):
    return ProgressReport.history.filter(id=report.pk).count()


def test_two_saves_of_the_same_version_at_once_one_wins_and_the_other_sees_the_conflict(
    postgres, fresh_report, alice,
):
    for round_ in range(ROUNDS):
        report = fresh_report()
        url = reverse("reports:report", args=[report.pk])
        tab_one, tab_two = logged_in(alice), logged_in(alice)
        rows_before = _history_rows(report)

        one, two = race(
            post(tab_one, url, form_data(report, summary=f"Tab one, round {round_}.")),
            post(tab_two, url, form_data(report, summary=f"Tab two, round {round_}.")),
        )

        statuses = sorted([one.status_code, two.status_code])
        assert statuses == [200, 302], f"round {round_}: both saves were accepted or both refused: {statuses}"
        winner, loser = (one, two) if one.status_code == 302 else (two, one)
        winning_text = f"Tab one, round {round_}." if winner is one else f"Tab two, round {round_}."
        assert "This report changed since you opened it" in loser.content.decode()
        report.refresh_from_db()
        assert report.summary == winning_text
        assert _history_rows(report) == rows_before + 1


def test_a_double_submit_submits_once_with_one_history_row_and_one_email(postgres, fresh_report, alice, secretariat):
    for round_ in range(ROUNDS):
        report = fresh_report()
        url = reverse("reports:report", args=[report.pk])
        rows_before = _history_rows(report)
        mails_before = OutboxMessage.objects.filter(kind="report_submitted").count()
        data = form_data(report, summary="Ready for review.", action="submit")

        one, two = race(post(logged_in(alice), url, data), post(logged_in(alice), url, data))

        assert one.status_code < 500 and two.status_code < 500
        report.refresh_from_db()
        assert report.state == WorkflowState.SUBMITTED
        assert _history_rows(report) == rows_before + 1, f"round {round_}"
        assert OutboxMessage.objects.filter(kind="report_submitted").count() == mails_before + 1, f"round {round_}"


def test_approve_and_return_at_once_only_one_is_applied_and_the_delegate_gets_one_email(
    postgres, fresh_report, alice, secretariat,
):
    colleague = UserFactory(username="second.secretary")
    membership_grant(user=colleague, role=Role.SECRETARIAT)
    for round_ in range(ROUNDS):
        report = fresh_report(WorkflowState.SUBMITTED)
        rows_before = _history_rows(report)
        mails_before = OutboxMessage.objects.filter(to=alice.email).count()

        approving, returning = race(
            post(logged_in(secretariat), reverse("dashboard:approve", args=[report.pk]), {"comment": ""}),
            post(logged_in(colleague), reverse("dashboard:return", args=[report.pk]),
                 {"comment": "Please add the figures."}),
        )

        assert approving.status_code == 302 and returning.status_code == 302
        report.refresh_from_db()
        assert report.state in (WorkflowState.APPROVED, WorkflowState.RETURNED)
        assert _history_rows(report) == rows_before + 1, f"round {round_}: both reviews were applied"
        assert OutboxMessage.objects.filter(to=alice.email).count() == mails_before + 1, f"round {round_}"


def test_two_tabs_starting_the_same_report_at_once_keep_one_and_show_the_other_its_text(
    postgres, assigned, periods, alice,
):
    for round_, (number, period) in enumerate((n, p) for n in ("1.3", "2.1") for p in periods.values()):
        url = reverse("reports:open", args=[assigned[number].pk, period.pk])

        one, two = race(
            post(logged_in(alice), url, form_data(summary=f"First tab {round_}.")),
            post(logged_in(alice), url, form_data(summary=f"Second tab {round_}.")),
        )

        assert sorted([one.status_code, two.status_code]) == [200, 302], round_
        report = ProgressReport.objects.get(action_point=assigned[number], period=period, city=alice.memberships.get().city)
        assert report.history.count() == 1
        loser = one if one.status_code == 200 else two
        kept, lost = report.summary, (f"Second tab {round_}." if "First" in report.summary else f"First tab {round_}.")
        page = loser.content.decode()
        assert "This report changed since you opened it" in page and lost in page and kept in page


def test_the_coordinator_saving_twice_at_once_one_wins(postgres, assigned, alice):
    point = assigned["1.3"]
    url = reverse("actions:action_point_update", args=[point.pk])
    for round_ in range(ROUNDS):
        point.refresh_from_db()
        rows_before = point.history.count()

        one, two = race(*[
            post(logged_in(alice), url, {"coordinator_summary": f"{status} {round_}",
                                         "version": point.version})
            for status in ("on_track", "delayed")
        ])

        assert sorted([one.status_code, two.status_code]) == [200, 302], round_
        assert point.history.count() == rows_before + 1
