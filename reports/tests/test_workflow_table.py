"""The report workflow as a table: every step × every state × every role, open and closed periods.

The table is what reports/workflow.py promises; each cell is checked twice, against the predicate the
pages use to show a button (`workflow.may_take`) and against the service that takes the step.

Two tables: a one-step plan with Riga's own report on 1.3, and a two-step plan with its partner
Tallinn's report on 1.3 (Riga coordinates). A city's submission is `workflow.submit_step` — "submit" in
the first, "submit to the coordinator" in the second. "Approve with the consolidated report" is not a
step anybody takes alone: approving the consolidated report takes it (test_two_step_review.py)."""

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
ACTOR = {"save": "own_delegate", "submit": "own_delegate", "approve": "secretariat", "return": "secretariat",
         "accept": None, "return to the partner": None}
TARGET = {"save": None, "submit": "submitted", "approve": "approved", "return": "returned",
          "submit to the coordinator": "with_coordinator", "accept": "accepted", "return to the partner": "returned"}

TWO_STEP_ROLES = ["partner_delegate", "coordinator", "other_delegate", "mayor", "observer", "chair", "secretariat",
                  "no_role"]
TWO_STEP_ALLOWED = {
    ("save", "partner_delegate"): {"draft", "returned"},
    ("submit to the coordinator", "partner_delegate"): {"draft", "returned"},
    ("accept", "coordinator"): {"with_coordinator"},
    ("return to the partner", "coordinator"): {"with_coordinator"},
    ("approve", "secretariat"): {"submitted"},
    ("return", "secretariat"): {"submitted"},
}
TWO_STEP_ACTOR = {"save": "partner_delegate", "submit to the coordinator": "partner_delegate",
                  "accept": "coordinator", "return to the partner": "coordinator", "approve": "secretariat",
                  "return": "secretariat"}
STATES = [s.value for s in WorkflowState]


def _take(step, report, person):
    if step in ("save", "submit", "submit to the coordinator"):
        return services.report_save(report=report, version=report.version, user=person, submit=step != "save",
                                    data={"delivery_status": "on_track", "summary": "Figures added.", "next_steps": ""})
    if step == "approve":
        return services.report_approve(report=report, reviewer=person)
    if step == "accept":
        return services.report_accept(report=report, coordinator=person)
    if step == "return to the partner":
        return services.report_return_to_partner(report=report, coordinator=person, comment="Add the figures.")
    return services.report_return(report=report, reviewer=person, comment="Please add the figures.")


def _check_table(step, state, closed, report, period, people, allowed_cells, actors):
    from cities.roles import roles_of

    step_ = next(s for s in workflow.STEPS if s.name == step)
    for role, person in people.items():
        report = set_state(report, state) if state != "draft" else report
        type(period).objects.filter(pk=period.pk).update(is_closed=closed)
        report = ProgressReport.objects.select_related("period", "action_point").get(pk=report.pk)
        allowed = not closed and state in allowed_cells.get((step, role), set())

        assert workflow.may_take(step_, roles_of(person), report) == allowed, (step, state, role, closed)
        history = report.history.count()
        if allowed:
            _take(step, report, person)
            report.refresh_from_db()
            assert report.state == (TARGET[step] or state)
            assert report.history.count() == history + 1
            ProgressReport.objects.filter(pk=report.pk).update(state=state)  # back, for the next role
        else:
            expected = PermissionDenied if role != actors[step] else services.ReportStateError
            with pytest.raises(expected):
                _take(step, report, person)
            assert report.history.count() == history


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("step", ["save", "submit", "approve", "return", "accept", "return to the partner"])
def test_every_step_in_every_state_for_every_role(step, state, closed, request, riga_report, period):
    names = {"own_delegate": "alice", "other_delegate": "bob", "mayor": "mayor", "observer": "observer",
             "chair": "chair", "secretariat": "secretariat"}
    people = {role: UserFactory(username="nobody") if role == "no_role" else request.getfixturevalue(names[role])
              for role in ROLES}
    _check_table(step, state, closed, riga_report, period, people, ALLOWED, ACTOR)


@pytest.mark.parametrize("closed", [False, True], ids=["open", "closed"])
@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("step", list(TWO_STEP_ACTOR))
def test_every_step_of_two_step_review_in_every_state_for_every_role(step, state, closed, request, assigned,
                                                                     period, cities, plan, secretariat):
    from actions.models import ActionPlan
    from cities.models import Role
    from cities.services import membership_grant

    services.plan_review_mode_set(plan=plan, mode=ActionPlan.ReviewMode.TWO_STEP, user=secretariat)
    helsinki = UserFactory(username="hanna")
    membership_grant(user=helsinki, role=Role.DELEGATE, city=cities["helsinki"])
    names = {"partner_delegate": "bob", "coordinator": "alice", "mayor": "mayor", "observer": "observer",
             "chair": "chair", "secretariat": "secretariat"}
    people = {role: (UserFactory(username="nobody") if role == "no_role" else helsinki if role == "other_delegate"
                     else request.getfixturevalue(names[role])) for role in TWO_STEP_ROLES}
    report = ProgressReport.objects.create(action_point=assigned["1.3"], city=cities["tallinn"], period=period,
                                           summary="Tallinn's draft.")
    _check_table(step, state, closed, report, period, people, TWO_STEP_ALLOWED, TWO_STEP_ACTOR)
