"""The progress report's workflow, in one place: its states, the steps between them and who may take each.

One-step review (the default of every plan):

    draft ──submit──▶ submitted ──approve──▶ approved
      ▲ save            │
      └──── returned ◀──return
             │ save, submit (resubmit)

Two-step review (a plan's setting, ActionPlan.review_mode). A *partner* city's report goes to the
point's coordinating city first:

    draft ──submit──▶ with the coordinator ──accept──▶ accepted ──(consolidated report approved)──▶ approved
      ▲                 │            └─(its consolidated report already approved)──▶ submitted
      └── returned ◀────┘ return (the coordinator, with a comment)

and the coordinating city's own report on the point for the period is the point's *consolidated
report*: it follows the one-step path to the Secretariat, once no partner report waits for the
coordinator. When the Secretariat approves it, the partner reports it consolidates (accepted ones)
are approved with it, each with its own history row. A partner report the coordinator accepts after
that approval (it came late) goes on to the Secretariat as submitted, to be reviewed on its own. A point without a coordinating city has nobody
to take the first step: its reports go to the Secretariat as in one step.

Switching a plan's mode (reports.services.plan_review_mode_set) while reports are in flight:
to one step, partner reports with the coordinator or accepted by it go to the Secretariat as
submitted; to two steps, reports already submitted stay with the Secretariat, and only reports
submitted from then on go to the coordinator. Reports of closed periods never move.

A delegate of the report's city saves and submits while the report is a draft or returned; the
coordinating city's delegate accepts or returns a partner report with the coordinator; the
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
REPORTED = frozenset({State.SUBMITTED, State.APPROVED, State.WITH_COORDINATOR, State.ACCEPTED})
# Waiting for the Secretariat.
AWAITING_REVIEW = frozenset({State.SUBMITTED})
# Two-step plans: waiting for the coordinating city's delegate.
AWAITING_COORDINATOR = frozenset({State.WITH_COORDINATOR})
# Two-step plans: taken in by the coordinator, waiting for the consolidated report's approval.
CONSOLIDATED = frozenset({State.ACCEPTED})
# States only a two-step plan's reports can be in.
TWO_STEP_ONLY = AWAITING_COORDINATOR | CONSOLIDATED
# Where a switch to one-step review sends them: to the Secretariat, as submitted.
MOVED_TO_SECRETARIAT_BY_ONE_STEP = TWO_STEP_ONLY
# Seen across the network (on every action point's timeline); other states only by the city and the
# network roles (see reports.permissions).
PUBLIC_IN_NETWORK = frozenset({State.APPROVED})

CITY_DELEGATE = "city delegate"
COORDINATOR = "coordinating city's delegate"
SECRETARIAT = "secretariat"


@dataclass(frozen=True)
class Step:
    name: str
    sources: frozenset  # states it can be taken from
    target: str | None  # the state it leads to (None: stays where it is)
    actor: str  # CITY_DELEGATE, COORDINATOR or SECRETARIAT
    reason: str  # the history row's change reason

    def __str__(self):
        return self.name


SAVE = Step("save", EDITABLE, None, CITY_DELEGATE, "Draft saved")
SUBMIT = Step("submit", EDITABLE, State.SUBMITTED, CITY_DELEGATE, "Submitted for review")
SUBMIT_TO_COORDINATOR = Step("submit to the coordinator", EDITABLE, State.WITH_COORDINATOR, CITY_DELEGATE,
                             "Submitted to the coordinating city")
ACCEPT = Step("accept", AWAITING_COORDINATOR, State.ACCEPTED, COORDINATOR, "Accepted by the coordinating city")
# Accepting a partner report once the point's consolidated report for the period is approved: nothing
# would carry it to approval any more, so it goes to the Secretariat.
ACCEPT_AFTER_CONSOLIDATED = Step("accept after the consolidated report", AWAITING_COORDINATOR, State.SUBMITTED,
                                 COORDINATOR, "Accepted by the coordinating city after its consolidated report "
                                 "was approved: to the Secretariat")
COORDINATOR_RETURN = Step("return to the partner", AWAITING_COORDINATOR, State.RETURNED, COORDINATOR,
                          "Returned by the coordinating city")
APPROVE = Step("approve", AWAITING_REVIEW, State.APPROVED, SECRETARIAT, "Approved")
RETURN = Step("return", AWAITING_REVIEW, State.RETURNED, SECRETARIAT, "Returned for changes")
# Not taken on its own: the Secretariat's approval of a consolidated report takes it on the partner reports.
APPROVE_WITH_CONSOLIDATED = Step("approve with the consolidated report", CONSOLIDATED, State.APPROVED, SECRETARIAT,
                                 "Approved with the coordinating city's consolidated report")
STEPS = (SAVE, SUBMIT, SUBMIT_TO_COORDINATOR, ACCEPT, ACCEPT_AFTER_CONSOLIDATED, COORDINATOR_RETURN, APPROVE, RETURN,
         APPROVE_WITH_CONSOLIDATED)
# The steps a person chooses; the other two are taken by one of these (accept, approve) when they apply.
CHOSEN_STEPS = tuple(step for step in STEPS if step not in (ACCEPT_AFTER_CONSOLIDATED, APPROVE_WITH_CONSOLIDATED))


def goes_to_coordinator(report, *, two_step: bool) -> bool:
    """Whether the report, submitted now, goes to its point's coordinating city first: a partner
    city's report in a two-step plan (`two_step`: its plan's mode), on a point that has a coordinator."""
    coordinator = report.action_point.coordinating_city_id
    return two_step and coordinator is not None and report.city_id != coordinator


def is_consolidated(report, *, two_step: bool) -> bool:
    """The coordinating city's own report on its point in a two-step plan: the point's consolidated report."""
    return two_step and report.city_id == report.action_point.coordinating_city_id


def submit_step(report, *, two_step: bool) -> Step:
    return SUBMIT_TO_COORDINATOR if goes_to_coordinator(report, two_step=two_step) else SUBMIT


def is_actor(step: Step, roles: UserRoles, report) -> bool:
    """Whether the person is the kind of person who takes this step on this report, whatever its state."""
    if step.actor == CITY_DELEGATE:
        return roles.delegate_city_id is not None and roles.delegate_city_id == report.city_id
    if step.actor == COORDINATOR:
        coordinator = report.action_point.coordinating_city_id
        return (roles.delegate_city_id is not None and roles.delegate_city_id == coordinator
                and report.city_id != coordinator)
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
