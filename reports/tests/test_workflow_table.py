"""The report workflow as a table: every step × every state × every role, open and closed periods.

The table is what reports/workflow.py promises; each cell is checked twice, against the predicate the
pages use to show a button (`workflow.may_take`) and against the service that takes the step."""

import pytest
from django.core.exceptions import PermissionDenied

from cities.tests.factories import UserFactory
from reports import services, workflow
from reports.models import ProgressReport, WorkflowState

from .conftest import set_state

ROLES = ["own_delegate", "other_delegate", "mayor", "observer", "chair", "secretariat", "no_role"]
# (step, role) -> the states it may be taken from (in an open period); every other cell is refused.
ALLOWED = {
    ("save", "own_delegate"): {"draft", "returned"},
    ("submit", "own_delegate"): {"draft", "returned"},
    ("approve", "secretariat"): {"submitted"},
    ("return", "secretariat"): {"submitted"},
}
ACTOR = {"save": "own_delegate", "submit": "own_delegate", "approve": "secretariat", "return": "secretariat"}
TARGET = {"save": None, "submit": "submitted", "approve": "approved", "return": "returned"}


def _take(step, report, person):
    if step in ("save", "submit"):
        return services.report_save(report=report, version=report.version, user=person, submit=step == "submit",
                                    data={"delivery_status": "on_track", "summary": "Figures added.", "next_steps": ""})
    if step == "approve":
        return services.report_approve(report=report, reviewer=person)
    return services.report_return(report=report, reviewer=person, comment="Please add the figures.")


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("state", [s.value for s in WorkflowState])
@pytest.mark.parametrize("step", [s.name for s in workflow.STEPS])
def test_every_step_in_every_state_for_every_role(step, state, closed, request, riga_report, period):
    from cities.roles import roles_of

    people = {"own_delegate": "alice", "other_delegate": "bob", "mayor": "mayor", "observer": "observer",
              "chair": "chair", "secretariat": "secretariat"}
    step_ = next(s for s in workflow.STEPS if s.name == step)
    for role in ROLES:
        person = UserFactory(username="nobody") if role == "no_role" else request.getfixturevalue(people[role])
        report = set_state(riga_report, state) if state != "draft" else riga_report
        type(period).objects.filter(pk=period.pk).update(is_closed=closed)
        report = ProgressReport.objects.select_related("period").get(pk=report.pk)
        allowed = not closed and state in ALLOWED.get((step, role), set())

        assert workflow.may_take(step_, roles_of(person), report) == allowed, (step, state, role, closed)
        history = report.history.count()
        if allowed:
            _take(step, report, person)
            report.refresh_from_db()
            assert report.state == (TARGET[step] or state)
            assert report.history.count() == history + 1
            ProgressReport.objects.filter(pk=report.pk).update(state=state)  # back, for the next role
        else:
            expected = PermissionDenied if role != ACTOR[step] else services.ReportStateError
            with pytest.raises(expected):
                _take(step, report, person)
            assert report.history.count() == history
