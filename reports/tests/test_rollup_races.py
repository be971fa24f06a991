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
