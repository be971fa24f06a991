"""Two systems saving the same report with the same version at the same instant, on PostgreSQL.

Each round races real API requests in threads with their own database connections: exactly one wins
(200), the other gets 409 with the saved version, and the report has one history row for the save."""

import json

import pytest
from django.test import Client

from reports.models import ProgressReport
from testing.races import race

from .conftest import secret_for

ROUNDS = 15

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def patch(secret, url, summary):
    client = Client()
    return lambda: client.patch(url, data=json.dumps({"version": 1, "summary": summary}),
                                content_type="application/json", headers={"Authorization": f"Bearer {secret}"})


def test_two_updates_of_the_same_version_at_once_exactly_one_wins(postgres, assigned, periods, cities, alice):
    tool, colleague = secret_for(alice, "Tool"), secret_for(alice, "Colleague's tool")
    slots = [(point, period) for point in assigned.values() for period in periods.values()][:ROUNDS]
    for round_, (point, period) in enumerate(slots):
        report = ProgressReport.objects.create(action_point=point, city=cities["riga"], period=period,
                                               summary="As it was.")
        url = f"/api/v1/reports/{report.pk}/"
        one, two = race(patch(tool, url, f"Tool, round {round_}."),
                        patch(colleague, url, f"Colleague, round {round_}."))
        statuses = sorted([one.status_code, two.status_code])
        assert statuses == [200, 409], (round_, one.content, two.content)
        winner, loser = (one, two) if one.status_code == 200 else (two, one)
        report.refresh_from_db()
        assert report.version == 2 and report.summary == winner.json()["summary"]
        assert loser.json()["type"] == "conflict" and loser.json()["current_version"] == 2
        assert loser.json()["current"]["summary"] == report.summary
        assert report.history.count() == 2  # created, and the one save that won
