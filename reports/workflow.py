"""The progress report's workflow, in one place: its states, the steps between them and who may take each.

    draft ──submit──▶ submitted ──approve──▶ approved
      ▲ save            │
      └──── returned ◀──return
             │ save, submit (resubmit)

A delegate of the report's city saves and submits while the report is a draft or returned; the
Secretariat approves or returns a submitted report. Nothing changes in a closed period. Services take
steps (reports/services.py); views show a button only when `may_take` says yes; selectors, the
dashboard, digests and reminders use the state sets below.
"""

from dataclasses import dataclass

from cities.roles import UserRoles

from .models import WorkflowState

State = WorkflowState

# The city is still writing it: it may change.
EDITABLE = frozenset({State.DRAFT, State.RETURNED})
# The city has handed its report in: it is not missing or overdue.
REPORTED = frozenset({State.SUBMITTED, State.APPROVED})
# Waiting for the Secretariat.
AWAITING_REVIEW = frozenset({State.SUBMITTED})
# Seen across the network (on every action point's timeline); other states only by the city and the
# network roles (see reports.permissions).
PUBLIC_IN_NETWORK = frozenset({State.APPROVED})

CITY_DELEGATE = "city delegate"
SECRETARIAT = "secretariat"


@dataclass(frozen=True)
class Step:
    name: str
    sources: frozenset  # states it can be taken from
    target: str | None  # the state it leads to (None: stays where it is)
    actor: str  # CITY_DELEGATE or SECRETARIAT
    reason: str  # the history row's change reason

    def __str__(self):
        return self.name


SAVE = Step("save", EDITABLE, None, CITY_DELEGATE, "Draft saved")
SUBMIT = Step("submit", EDITABLE, State.SUBMITTED, CITY_DELEGATE, "Submitted for review")
APPROVE = Step("approve", AWAITING_REVIEW, State.APPROVED, SECRETARIAT, "Approved")
RETURN = Step("return", AWAITING_REVIEW, State.RETURNED, SECRETARIAT, "Returned for changes")
STEPS = (SAVE, SUBMIT, APPROVE, RETURN)


def is_actor(step: Step, roles: UserRoles, report) -> bool:
    """Whether the person is the kind of person who takes this step on this report, whatever its state."""
    if step.actor == CITY_DELEGATE:
        return roles.delegate_city_id is not None and roles.delegate_city_id == report.city_id
    return roles.is_secretariat


def is_open(step: Step, report, *, period_closed: bool | None = None) -> bool:
    """Whether the step can be taken from the report's state now (its period open)."""
    closed = report.period.is_closed if period_closed is None else period_closed
    return not closed and report.state in step.sources


def may_take(step: Step, roles: UserRoles, report) -> bool:
    return is_actor(step, roles, report) and is_open(step, report)


def is_overdue(*, state: str | None, due_date, today) -> bool:
    """A report slot is overdue once its due date has passed without a report handed in."""
    return today > due_date and state not in REPORTED
