"""Two coordinator sessions confirming an action point's status for the same period at the same instant,
on PostgreSQL: whatever the timing, exactly one wins, it leaves one history row, and the other is told."""

import pytest
from django.urls import reverse

from reports.models import PointPeriodStatus
from testing.races import logged_in, post, race

ROUNDS = 15

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_confirmations_of_the_same_version_at_once_one_wins(postgres, assigned, periods, alice, secretariat):
    point = assigned["1.3"]
    for round_, period in enumerate(list(periods.values()) * (ROUNDS // 2 + 1)):
        if round_ >= ROUNDS:
            break
        url = reverse("reports:rollup", args=[point.pk]) + f"?period={period.pk}"
        row = PointPeriodStatus.objects.filter(action_point=point, period=period).first()
        version = row.version if row else 0
        rows_before = PointPeriodStatus.history.filter(action_point_id=point.pk, period_id=period.pk).count()

        one, two = race(
            post(logged_in(alice), url, {"status": "delayed", "reason": f"Alice, round {round_}.", "version": version}),
            post(logged_in(secretariat), url, {"status": "at_risk", "reason": f"Sara, round {round_}.",
                                               "version": version}),
        )

        assert sorted([one.status_code, two.status_code]) == [302, 409], round_
        row = PointPeriodStatus.objects.get(action_point=point, period=period)
        assert row.version == version + 1
        assert PointPeriodStatus.history.filter(action_point_id=point.pk, period_id=period.pk).count() == rows_before + 1
        winner = "delayed" if one.status_code == 302 else "at_risk"
        assert row.status == winner
        loser = two if one.status_code == 302 else one
        assert "Someone confirmed this period's status since you opened the page." in loser.content.decode()
    point.refresh_from_db()
    latest = PointPeriodStatus.objects.filter(action_point=point).order_by("-period__start").first()
    assert point.status == latest.status


def test_closing_the_period_while_the_coordinator_confirms_never_changes_a_closed_periods_status(
        postgres, assigned, periods, alice, secretariat):
    """The Secretariat closes the period at the instant the coordinator confirms its status: either the
    confirmation came first (it is kept, then the period closed) or it is refused (403 once the period is
    closed, or the form's error if it was closed while the confirmation waited) — never a status written
    into a closed period."""
    from reports.models import ReportingPeriod

    point, period = assigned["1.3"], periods["2011 H1"]
    url = reverse("reports:rollup", args=[point.pk]) + f"?period={period.pk}"
    close_url = reverse("dashboard:period_close", args=[period.pk])
    for round_ in range(ROUNDS):
        ReportingPeriod.objects.filter(pk=period.pk).update(is_closed=False)
        row = PointPeriodStatus.objects.filter(action_point=point, period=period).first()
        version = row.version if row else 0
        status = "delayed" if round_ % 2 else "at_risk"

        confirm, close = race(
            post(logged_in(alice), url, {"status": status, "reason": f"Round {round_}.", "version": version}),
            post(logged_in(secretariat), close_url, {}),
        )

        assert close.status_code == 302, round_
        period.refresh_from_db()
        assert period.is_closed
        row = PointPeriodStatus.objects.filter(action_point=point, period=period).first()
        if confirm.status_code == 302:
            assert row.version == version + 1 and row.status == status
            closed_at = period.history.filter(history_change_reason="Period closed").latest("history_date")
            assert row.confirmed_at <= closed_at.history_date, round_
        else:
            assert confirm.status_code in (400, 403), round_
            assert (row.version if row else 0) == version
