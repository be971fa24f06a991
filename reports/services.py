"""Changes to progress reports: starting, saving, submitting, reviewing, evidence, a plan's review mode.

Every step locks its plan's row for share (so a switch of the plan's review mode, which locks it for
update, waits for the steps in flight and they for it), then the report's row (SELECT … FOR UPDATE)
and its period's row for share, then
checks who acts, the state and the version on what it locked, so of two people acting at the same
instant exactly one goes through; the other finds the report changed (ReportConflict) or already
moved on (ReportStateError), and nothing of theirs is written — neither the text nor the evidence
that came with it. A step writes one history row and its emails in the same transaction.
Who may take which step, from which state, is reports/workflow.py.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from actions.models import ActionPlan, ActionPoint, DeliveryStatus
from baltmet.db import lock_for_share
from cities.access import require_secretariat
from cities.models import City, Role
from cities.roles import roles_of
from notifications.services import email_queue

from . import permissions, workflow
from .evidence_files import evidence_title
from .models import Evidence, PointPeriodStatus, ProgressReport, ReportingPeriod, WorkflowState

CONTENT_FIELDS = ("delivery_status", "summary", "next_steps")


class ReportConflict(Exception):
    """The report changed since the form was opened; `current` is the saved version."""

    def __init__(self, current: ProgressReport):
        self.current = current
        super().__init__("The report changed since it was opened.")


class ReportStateError(Exception):
    """The report is not in a state that allows this step (the message says why)."""


@dataclass(frozen=True)
class NewEvidence:
    """A link or a file to attach with a save (checked by the form)."""

    url: str = ""
    title: str = ""
    upload: UploadedFile | None = None
    content_type: str = ""


def _plan_is_two_step(plan_id: int) -> bool:
    """The plan's review mode as it is now, its row locked for share until the transaction ends
    (always before any report's row: the mode switch locks the plan, then the reports)."""
    return lock_for_share(ActionPlan, plan_id)["review_mode"] == ActionPlan.ReviewMode.TWO_STEP


def _locked(report_id: int) -> ProgressReport:
    """The report's row, locked until the transaction ends, with its period and plan mode as they are now
    (`report.two_step`).

    The period is locked for share: saves of many reports of a period go on side by side, while
    closing the period (which locks it for update) waits for them, and they for it."""
    plan_id = ProgressReport.objects.values_list("period__plan_id", flat=True).get(pk=report_id)
    two_step = _plan_is_two_step(plan_id)
    report = (ProgressReport.objects.select_for_update(of=("self",)).select_related("period", "action_point")
              .get(pk=report_id))
    report.period.is_closed = lock_for_share(ReportingPeriod, report.period_id)["is_closed"]
    report.two_step = two_step
    return report


def _check(step: workflow.Step, report: ProgressReport, user, version: int | None = None) -> None:
    """Refuse the step unless this person may take it on the locked report now."""
    if not workflow.is_actor(step, roles_of(user), report):
        raise PermissionDenied(_("You may not do this with this report."))
    if report.period.is_closed:
        raise ReportStateError(_("The reporting period is closed; its reports can no longer change."))
    if report.state not in step.sources:
        state = report.get_state_display().lower()
        if step.actor == workflow.SECRETARIAT:
            message = _("Only submitted reports can be reviewed; this one is %(state)s.")
        elif step.actor == workflow.COORDINATOR:
            message = _("Only a report with the coordinator can be accepted or returned; this one is %(state)s.")
        elif report.state == step.target:
            message = _("This report is already %(state)s.")
        else:
            message = _("This report is %(state)s and can no longer be changed.")
        raise ReportStateError(message % {"state": state})
    if version is not None and report.version != version:
        raise ReportConflict(report)


def _apply(step: workflow.Step, report: ProgressReport, user, changes: dict, reason: str = "") -> ProgressReport:
    for name, value in changes.items():
        setattr(report, name, value)
    if step.target is not None:
        report.state = step.target
    report.version += 1
    report._history_user = user
    report._change_reason = reason or step.reason
    report.save()  # django-simple-history writes the one history row of this step
    return report


def _show_on(caller: ProgressReport, saved: ProgressReport) -> ProgressReport:
    """Let the caller's instance show what was saved (the services work on the row they locked)."""
    for field in ProgressReport._meta.concrete_fields:
        setattr(caller, field.attname, getattr(saved, field.attname))
    return caller


def _users_with_role(role, city=None):
    users = get_user_model().objects.filter(is_active=True, memberships__role=role)
    if city is not None:
        users = users.filter(memberships__city=city)
    return users.distinct()


def _attach(report: ProgressReport, user, evidence: list[NewEvidence], stored: list) -> None:
    for item in evidence:
        row = Evidence(report=report, added_by=user, url=item.url, title=evidence_title(item.title))
        if item.upload is not None:
            row.file, row.size, row.content_type = item.upload, item.upload.size, item.content_type
            row.title = evidence_title(item.title or item.upload.name)
        row._history_user = user
        row.save()
        if row.file:
            stored.append(row.file.name)


class _FilesKeptOnlyIfCommitted:
    """Files stored during the block are deleted again if the block (its transaction) fails:
    a refused or failed save leaves nothing behind on disk either."""

    def __init__(self):
        self.stored = []

    def __enter__(self):
        return self.stored

    def __exit__(self, kind, error, traceback):
        if kind is not None:
            from django.core.files.storage import default_storage

            for name in self.stored:
                default_storage.delete(name)
        return False


def _submitted_email(report, user, resubmission, step=workflow.SUBMIT):
    if step == workflow.SUBMIT_TO_COORDINATOR:
        email_queue(
            kind="report_to_coordinator", key=f"report_to_coordinator:{report.pk}:v{report.version}",
            users=_users_with_role(Role.DELEGATE, report.action_point.coordinating_city_id),
            template="report_to_coordinator",
            context={"report": _for_email(report), "submitter": user, "resubmission": resubmission},
        )
        return
    email_queue(
        kind="report_submitted", key=f"report_submitted:{report.pk}:v{report.version}",
        users=_users_with_role(Role.SECRETARIAT), template="report_submitted",
        context={"report": _for_email(report), "submitter": user, "resubmission": resubmission,
                 "consolidated": workflow.is_consolidated(report, two_step=getattr(report, "two_step", False))},
        personal=False,
    )


def _check_consolidated_ready(report: ProgressReport, step: workflow.Step) -> None:
    """The consolidated report goes to the Secretariat only once no partner report waits for the coordinator."""
    if step != workflow.SUBMIT or not workflow.is_consolidated(report, two_step=report.two_step):
        return
    waiting = ProgressReport.objects.filter(
        action_point_id=report.action_point_id, period_id=report.period_id,
        state__in=workflow.AWAITING_COORDINATOR,
    ).exclude(pk=report.pk).count()
    if waiting:
        raise ReportStateError(ngettext(
            "%(count)s partner report waits for you: accept or return it before submitting the consolidated report.",
            "%(count)s partner reports wait for you: accept or return them before submitting the consolidated "
            "report.", waiting) % {"count": waiting})


def report_start(*, point: ActionPoint, city: City, period: ReportingPeriod, user, data: dict,
                 evidence: list[NewEvidence] = (), submit: bool = False) -> ProgressReport:
    """Create the city's report (a draft, or submitted at once). If the city's report was started
    meanwhile (a double click, two tabs), nothing is written and ReportConflict shows that one."""
    roles = roles_of(user)
    if roles.delegate_city_id != city.pk or not permissions.can_start_report(roles, point, period):
        raise PermissionDenied(_("Only a delegate of a city taking part can write its report."))
    if submit and not (data.get("summary") or "").strip():
        raise ReportStateError(_("Write a summary of progress before submitting."))
    with _FilesKeptOnlyIfCommitted() as stored, transaction.atomic():
        report = ProgressReport(action_point=point, city=city, period=period, state=WorkflowState.DRAFT,
                                **{field: data[field] for field in CONTENT_FIELDS if field in data})
        report.two_step = _plan_is_two_step(period.plan_id)
        step = workflow.submit_step(report, two_step=report.two_step)
        if submit:
            _check_consolidated_ready(report, step)
            report.state, report.submitted_by, report.submitted_at = step.target, user, timezone.now()
        report._history_user = user
        report._change_reason = step.reason if submit else "Draft started"
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            raise ReportConflict(ProgressReport.objects.get(action_point=point, city=city, period=period)) from None
        _attach(report, user, list(evidence), stored)
        if submit:
            _submitted_email(report, user, resubmission=False, step=step)
    return report


def report_save(*, report: ProgressReport, version: int, data: dict, user, evidence: list[NewEvidence] = (),
                submit: bool = False) -> ProgressReport:
    """Save the delegate's form (and send it for review when `submit`): refused as a conflict if
    the report changed since `version` was read, in which case nothing at all is written."""
    with _FilesKeptOnlyIfCommitted() as stored, transaction.atomic():
        locked = _locked(report.pk)
        step = workflow.submit_step(locked, two_step=locked.two_step) if submit else workflow.SAVE
        _check(step, locked, user, version)
        _check_consolidated_ready(locked, step)
        changes = {field: data[field] for field in CONTENT_FIELDS if field in data}
        resubmission = locked.state == WorkflowState.RETURNED
        if submit:
            if not (changes.get("summary", locked.summary) or "").strip():
                raise ReportStateError(_("Write a summary of progress before submitting."))
            changes.update(submitted_by=user, submitted_at=timezone.now())
        reason = "Resubmitted for review" if submit and resubmission and step == workflow.SUBMIT else ""
        _apply(step, locked, user, changes, reason)
        _attach(locked, user, list(evidence), stored)
        if submit:
            _submitted_email(locked, user, resubmission, step)
    return _show_on(report, locked)


def report_update(*, report: ProgressReport, version: int, data: dict, user, evidence=()) -> ProgressReport:
    return report_save(report=report, version=version, data=data, user=user, evidence=evidence)


def report_submit(*, report: ProgressReport, version: int, user, data: dict | None = None,
                  evidence=()) -> ProgressReport:
    """Send the report for review (saving the form's content with it) and tell the Secretariat."""
    return report_save(report=report, version=version, data=data or {}, user=user, evidence=evidence, submit=True)


def report_return(*, report: ProgressReport, reviewer, comment: str) -> ProgressReport:
    comment = (comment or "").strip()
    if not comment:
        raise ReportStateError(_("Say what needs to change: a comment is required to return a report."))
    return _review(workflow.RETURN, report, reviewer, comment, "report_returned")


def report_approve(*, report: ProgressReport, reviewer, comment: str = "") -> ProgressReport:
    return _review(workflow.APPROVE, report, reviewer, (comment or "").strip(), "report_approved")


def report_accept(*, report: ProgressReport, coordinator, comment: str = "") -> ProgressReport:
    """Two-step plans: the coordinating city's delegate takes a partner's report into the consolidated report."""
    return _review(workflow.ACCEPT, report, coordinator, (comment or "").strip(), "report_accepted")


def report_return_to_partner(*, report: ProgressReport, coordinator, comment: str) -> ProgressReport:
    """Two-step plans: the coordinating city's delegate sends a partner's report back with a comment."""
    comment = (comment or "").strip()
    if not comment:
        raise ReportStateError(_("Say what needs to change: a comment is required to return a report."))
    return _review(workflow.COORDINATOR_RETURN, report, coordinator, comment, "report_returned")


def _consolidated_is_approved(report_id: int) -> bool:
    """Whether the point's consolidated report for the report's period is approved, its row locked for
    share: locked after the plan and before the partner's report, the order the approval locks them in,
    so an acceptance and that approval at once wait for each other instead of missing each other."""
    point_id, period_id, plan_id, coordinator_id = ProgressReport.objects.values_list(
        "action_point_id", "period_id", "period__plan_id", "action_point__coordinating_city_id").get(pk=report_id)
    _plan_is_two_step(plan_id)
    consolidated_id = (ProgressReport.objects.filter(action_point_id=point_id, period_id=period_id,
                                                     city_id=coordinator_id)
                       .exclude(pk=report_id).values_list("pk", flat=True).first())
    return consolidated_id is not None and (
        lock_for_share(ProgressReport, consolidated_id).get("state") == WorkflowState.APPROVED)


@transaction.atomic
def _review(step, report, reviewer, comment, template):
    late = step == workflow.ACCEPT and _consolidated_is_approved(report.pk)
    if late:
        step = workflow.ACCEPT_AFTER_CONSOLIDATED
    locked = _locked(report.pk)
    _check(step, locked, reviewer)
    now = timezone.now()
    _apply(step, locked, reviewer, {"reviewed_by": reviewer, "reviewed_at": now, "review_comment": comment})
    _review_email(locked, reviewer, template)
    if late:
        _submitted_email(locked, reviewer, resubmission=False, step=workflow.SUBMIT)
    if step == workflow.APPROVE and locked.city_id == locked.action_point.coordinating_city_id:
        _approve_consolidated_partners(locked, reviewer, now)
    return _show_on(report, locked)


def _review_email(report, reviewer, template):
    email_queue(
        kind=template, key=f"{template}:{report.pk}:v{report.version}",
        users=_users_with_role(Role.DELEGATE, report.city), template=template,
        context={"report": _for_email(report), "reviewer": reviewer},
    )


def _approve_consolidated_partners(consolidated, reviewer, now):
    """The partner reports the coordinator accepted are approved with the consolidated report they make up
    (locked after it: every step locks plan, then report(s))."""
    step = workflow.APPROVE_WITH_CONSOLIDATED
    partners = (ProgressReport.objects.select_for_update(of=("self",)).select_related("period", "action_point")
                .filter(action_point_id=consolidated.action_point_id, period_id=consolidated.period_id,
                        state__in=step.sources).exclude(pk=consolidated.pk).order_by("pk"))
    for partner in partners:
        _apply(step, partner, reviewer, {"reviewed_by": reviewer, "reviewed_at": now, "review_comment": ""})
        _review_email(partner, reviewer, "report_approved")


def _for_email(report):
    return ProgressReport.objects.select_related("action_point__focus_area", "city", "period").get(pk=report.pk)


def evidence_add(*, report: ProgressReport, user, url: str = "", title: str = "", upload=None,
                 content_type: str = "") -> Evidence:
    """Attach one link or file to a report the person may still change (without saving its text)."""
    with _FilesKeptOnlyIfCommitted() as stored, transaction.atomic():
        locked = _locked(report.pk)
        _check(workflow.SAVE, locked, user)
        _attach(locked, user, [NewEvidence(url=url, title=title, upload=upload, content_type=content_type)], stored)
    return locked.evidence.order_by("-pk").first()


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user) -> bool:
    """Remove a link or file; False when it was already removed (a double click, two tabs).
    The stored file stays: the history row still names it, so removed evidence can be recovered."""
    _check(workflow.SAVE, _locked(evidence.report_id), user)
    row = Evidence.objects.select_for_update().filter(pk=evidence.pk).first()
    if row is None:
        return False
    row._history_user = user
    row.delete()
    return True


# Periods (the Secretariat) ---------------------------------------------------------------------------------


@transaction.atomic
def period_save(*, period: ReportingPeriod, user) -> ReportingPeriod:
    """Create or change a period (label, dates, due date); the caller's form has validated it."""
    require_secretariat(user)
    period.full_clean()
    period._history_user = user
    period.save()
    return period


@transaction.atomic
def period_set_closed(*, period: ReportingPeriod, closed: bool, user) -> ReportingPeriod:
    """Close a period (its reports can no longer change) or open it again. The row lock makes two at
    once one change, and waits for the saves of its reports in flight (they lock it for share)."""
    require_secretariat(user)
    period = ReportingPeriod.objects.select_for_update().get(pk=period.pk)
    if period.is_closed != closed:
        period.is_closed = closed
        period._history_user = user
        period._change_reason = "Period closed" if closed else "Period reopened"
        period.save(update_fields=["is_closed"])
    return period


# A plan's review mode (the Secretariat) -------------------------------------------------------------------

MOVED_TO_ONE_STEP_REASON = "Sent to the Secretariat: the plan moved to one-step review"


@transaction.atomic
def plan_review_mode_set(*, plan: ActionPlan, mode: str, user) -> int:
    """Switch the plan between one-step and two-step review; returns how many reports moved.

    The rule for reports in flight (reports/workflow.py): to one step, the open periods' partner reports
    with the coordinator or accepted by it go to the Secretariat as submitted (each with a history row);
    to two steps, nothing moves — submitted reports stay with the Secretariat. The plan's row lock makes
    two switches at once one change and waits for the steps in flight (they lock it for share)."""
    require_secretariat(user)
    if mode not in ActionPlan.ReviewMode.values:
        raise ReportStateError(_("Choose one-step or two-step review."))
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.review_mode == mode:
        return 0
    plan.review_mode = mode
    plan._history_user = user
    plan._change_reason = f"Review mode set to {mode}"
    plan.save(update_fields=["review_mode"])
    if mode != ActionPlan.ReviewMode.ONE_STEP:
        return 0
    moving = (ProgressReport.objects.select_for_update(of=("self",))
              .filter(period__plan=plan, period__is_closed=False, state__in=workflow.MOVED_TO_SECRETARIAT_BY_ONE_STEP)
              .order_by("pk"))
    moved = 0
    for report in moving:
        report.state = WorkflowState.SUBMITTED
        report.version += 1
        report._history_user = user
        report._change_reason = MOVED_TO_ONE_STEP_REASON
        report.save(update_fields=["state", "version", "updated"])
        moved += 1
    return moved


# Publishing (the Secretariat) ------------------------------------------------------------------------------


def _publishable(reports):
    return reports.filter(state__in=workflow.PUBLIC_IN_NETWORK, city__reports_internal=False)


@transaction.atomic
def report_publish(*, report: ProgressReport, user, published: bool = True) -> bool:
    """Publish an approved report for the public (or take it back). False when there was nothing to do:
    already so, not approved, or its city keeps its reports internal."""
    if not permissions.can_publish(roles_of(user)):
        raise PermissionDenied(_("Only the Secretariat publishes reports."))
    locked = ProgressReport.objects.select_for_update(of=("self",)).select_related("city").get(pk=report.pk)
    if published and (locked.state not in workflow.PUBLIC_IN_NETWORK or locked.city.reports_internal):
        raise ReportStateError(_("Only an approved report of a city that shares its reports can be published."))
    if (locked.published_at is not None) == published:
        return False
    locked.published_at, locked.published_by = (timezone.now(), user) if published else (None, None)
    locked._history_user = user
    locked._change_reason = "Published" if published else "Unpublished"
    locked.save(update_fields=["published_at", "published_by"])
    _show_on(report, locked)
    return True


@transaction.atomic
def period_publish(*, period: ReportingPeriod, user, published: bool = True) -> int:
    """Publish every approved report of the period (of the cities that share theirs), or take them all
    back. Returns how many changed; each gets its history row."""
    if not permissions.can_publish(roles_of(user)):
        raise PermissionDenied(_("Only the Secretariat publishes reports."))
    reports = _publishable(ProgressReport.objects.filter(period=period)).filter(
        published_at__isnull=published).select_for_update(of=("self",)).order_by("pk")
    now, changed = timezone.now(), 0
    for report in reports:
        report.published_at, report.published_by = (now, user) if published else (None, None)
        report._history_user = user
        report._change_reason = "Published with its period" if published else "Unpublished with its period"
        report.save(update_fields=["published_at", "published_by"])
        changed += 1
    return changed


# An action point's status per period (the coordinator, on the point's roll-up) ---------------------------


class PointStatusConflict(Exception):
    """The point's status for the period was confirmed since the form was opened; `current` is that one."""

    def __init__(self, current: PointPeriodStatus | None):
        self.current = current
        super().__init__("The action point's status changed since it was opened.")


@transaction.atomic
def confirm_point_status(*, point: ActionPoint, period: ReportingPeriod, status: str, reason: str = "", by,
                         expected_version: int) -> PointPeriodStatus:
    """The coordinating city's delegate (or the Secretariat) confirms the point's status for the period,
    or overrides the suggested one with a reason. `expected_version` is the confirmation's version the
    form was opened at (0: none yet); anything else is a conflict and nothing is written.

    The point's row is locked first (so two confirmations of one point, of any period, take turns, and
    the first of a period cannot be created twice), then the period's confirmation. Writes one history
    row; the point's overall status follows its latest confirmed period (reports/status.py). A closed
    period's status no longer changes."""
    from .rollup import suggested_status

    locked_point = (ActionPoint.objects.select_for_update(of=("self",)).select_related("focus_area")
                    .get(pk=point.pk))
    if not permissions.can_update_action_point(roles_of(by), locked_point):
        raise PermissionDenied(_("Only the coordinating city's delegate and the Secretariat confirm an action "
                                 "point's status."))
    if period.plan_id != locked_point.focus_area.plan_id:
        raise ReportStateError(_("This reporting period is not in the action point's plan."))
    # As with the period's reports: closing the period waits for a confirmation under way, and after it
    # the status it gave the point stays.
    if lock_for_share(ReportingPeriod, period.pk)["is_closed"]:
        raise ReportStateError(_("The reporting period is closed; the action point's status for it can no longer "
                                 "change."))
    if status not in DeliveryStatus.values:
        raise ReportStateError(_("Choose a status."))
    row = PointPeriodStatus.objects.select_for_update().filter(action_point_id=point.pk, period_id=period.pk).first()
    if (row.version if row else 0) != expected_version:
        raise PointStatusConflict(row)
    reason = (reason or "").strip()
    suggested = suggested_status(point.pk, period.pk)
    if status != suggested and not reason:
        raise ReportStateError(_("Say why the status differs from the one the approved reports suggest."))
    if row is None:
        row = PointPeriodStatus(action_point_id=point.pk, period=period, version=0)
    row.status, row.reason, row.confirmed_by, row.confirmed_at = status, reason, by, timezone.now()
    row.version += 1
    row._history_user = by
    row._change_reason = "Status confirmed" if status == suggested else "Suggested status overridden"
    row.save()
    _point_follows_latest_confirmation(locked_point, by)
    return row


def _point_follows_latest_confirmation(point: ActionPoint, user) -> None:
    """ActionPoint.status is the status of the point's latest confirmed period — kept here, on the locked
    point, by the only service that confirms one."""
    latest = (PointPeriodStatus.objects.filter(action_point_id=point.pk).order_by("-period__start")
              .values_list("status", flat=True).first())
    if latest != point.status:
        point.status = latest
        point.version += 1
        point._history_user = user
        point._change_reason = "Status confirmed on the roll-up"
        point.save(update_fields=["status", "version"])
