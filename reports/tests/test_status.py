"""A point's overall status never contradicts its reports: the coordinator's when set, else derived."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from actions.models import DeliveryStatus
from reports.models import WorkflowState
from reports.status import overall_status, overall_statuses

from .conftest import set_state

D = DeliveryStatus


@pytest.mark.parametrize("coordinator, reports, expected, derived", [
    (D.DELAYED, [D.ON_TRACK], D.DELAYED, False),  # the coordinator's word counts
    (None, [], None, False),  # nobody has said anything yet
    (None, [D.ON_TRACK, D.ON_TRACK], D.ON_TRACK, True),
    (None, [D.ON_TRACK, D.AT_RISK], D.AT_RISK, True),  # the worst of them
    (None, [D.COMPLETED, D.DELAYED, D.AT_RISK], D.DELAYED, True),
    (None, [D.COMPLETED, D.COMPLETED], D.COMPLETED, True),  # completed only when every city says so
    (None, [D.COMPLETED, D.ON_TRACK], D.ON_TRACK, True),
    (None, [D.NOT_STARTED], D.NOT_STARTED, True),
])
def test_the_rule(coordinator, reports, expected, derived):
    status = overall_status(SimpleNamespace(status=coordinator), reports)
    assert (status.status, status.derived) == (expected, derived)


def test_a_point_without_the_coordinators_status_shows_its_approved_reports_not_not_started(
    riga_report, tallinn_report, assigned, alice, client_for,
):
    point = assigned["1.3"]
    assert point.status is None
    set_state(riga_report, WorkflowState.APPROVED, delivery_status=D.ON_TRACK)

    assert overall_statuses([point])[point.pk].status == D.ON_TRACK
    page = client_for(alice).get(reverse("actions:action_point", args=[point.pk])).content.decode()
    assert "On track" in page and "from the cities&#x27; latest approved reports" in page
    assert "Not started" not in page
