"""Changes to progress reports: drafting, submitting, reviewing, evidence.

Every change is a compare-and-set on the row (version or workflow state), so two people saving at
once cannot overwrite each other and a double-clicked submit submits once. `QuerySet.update()`
writes no django-simple-history row, so `_compare_and_set` writes exactly one itself.
"""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

import freshness
from actions.models import ActionPoint
from cities.models import City, Role
from notifications.services import email_queue

from .models import Evidence, ProgressReport, ReportingPeriod, WorkflowState
from .permissions import EDITABLE_STATES

CONTENT_FIELDS = ("delivery_status", "summary", "next_steps")


class ReportConflict(Exception):
    """The report changed since the form was opened; `current` is the saved version."""

    def __init__(self, current: ProgressReport):
        self.current = current
        super().__init__("The report changed since it was opened.")


class ReportStateError(Exception):
    """The report is not in a state that allows this step."""


def _compare_and_set(report: ProgressReport, *, expected: dict, changes: dict, user, reason: str) -> bool:
    updated = ProgressReport.objects.filter(pk=report.pk, **expected).update(
        **changes, version=F("version") + 1, updated=timezone.now(),
    )
    if not updated:
        return False
    freshness.changed()  # QuerySet.update() sends no signal
    report.refresh_from_db()
    ProgressReport.history.bulk_history_create([report], update=True, default_user=user, default_change_reason=reason)
    return True


def _refuse(report: ProgressReport, version: int | None):
    """Explain why a compare-and-set matched no row."""
    current = ProgressReport.objects.select_related("period").get(pk=report.pk)
    if current.period.is_closed:
        raise ReportStateError(_("The reporting period is closed; its reports can no longer change."))
    if current.state not in EDITABLE_STATES:
        raise ReportStateError(
            _("This report is %(state)s and can no longer be changed.") % {"state": current.get_state_display().lower()}
        )
    if version is not None and current.version != version:
        raise ReportConflict(current)
    raise ReportStateError(_("This report cannot be changed now."))


def _users_with_role(role, city=None):
    users = get_user_model().objects.filter(is_active=True, memberships__role=role)
    if city is not None:
        users = users.filter(memberships__city=city)
    return users.distinct()


@transaction.atomic
def report_start(*, point: ActionPoint, city: City, period: ReportingPeriod, user, data: dict) -> ProgressReport:
    """Create the city's draft. A second start (double click, two tabs) finds the first one."""
    report = ProgressReport(action_point=point, city=city, period=period, state=WorkflowState.DRAFT,
                            **{field: data[field] for field in CONTENT_FIELDS if field in data})
    report._history_user = user
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        raise ReportConflict(ProgressReport.objects.get(action_point=point, city=city, period=period)) from None
    return report


@transaction.atomic
def report_update(*, report: ProgressReport, version: int, data: dict, user) -> ProgressReport:
    changes = {field: data[field] for field in CONTENT_FIELDS}
    expected = {"version": version, "state__in": EDITABLE_STATES, "period__is_closed": False}
    if not _compare_and_set(report, expected=expected, changes=changes, user=user, reason="Draft saved"):
        _refuse(report, version)
    return report


@transaction.atomic
def report_submit(*, report: ProgressReport, version: int, user, data: dict | None = None) -> ProgressReport:
    """Send the report for review (saving the form's content with it) and tell the Secretariat."""
    changes = {field: data[field] for field in CONTENT_FIELDS} if data else {}
    if not (changes.get("summary", report.summary) or "").strip():
        raise ReportStateError(_("Write a summary of progress before submitting."))
    resubmission = report.state == WorkflowState.RETURNED
    changes.update(state=WorkflowState.SUBMITTED, submitted_by=user, submitted_at=timezone.now())
    expected = {"version": version, "state__in": EDITABLE_STATES, "period__is_closed": False}
    reason = "Resubmitted for review" if resubmission else "Submitted for review"
    if not _compare_and_set(report, expected=expected, changes=changes, user=user, reason=reason):
        _refuse(report, version)
    email_queue(
        kind="report_submitted", users=_users_with_role(Role.SECRETARIAT), template="report_submitted",
        context={"report": _for_email(report), "submitter": user, "resubmission": resubmission},
    )
    return report


@transaction.atomic
def report_return(*, report: ProgressReport, reviewer, comment: str) -> ProgressReport:
    comment = (comment or "").strip()
    if not comment:
        raise ReportStateError(_("Say what needs to change: a comment is required to return a report."))
    changes = {"state": WorkflowState.RETURNED, "review_comment": comment, "reviewed_by": reviewer,
               "reviewed_at": timezone.now()}
    return _review(report, reviewer, changes, "Returned for changes", "report_returned")


@transaction.atomic
def report_approve(*, report: ProgressReport, reviewer, comment: str = "") -> ProgressReport:
    changes = {"state": WorkflowState.APPROVED, "reviewed_by": reviewer, "reviewed_at": timezone.now(),
               "review_comment": (comment or "").strip()}
    return _review(report, reviewer, changes, "Approved", "report_approved")


def _review(report, reviewer, changes, reason, template):
    expected = {"state": WorkflowState.SUBMITTED, "period__is_closed": False}
    if not _compare_and_set(report, expected=expected, changes=changes, user=reviewer, reason=reason):
        current = ProgressReport.objects.get(pk=report.pk)
        raise ReportStateError(
            _("Only submitted reports can be reviewed; this one is %(state)s.")
            % {"state": current.get_state_display().lower()}
        )
    email_queue(
        kind=template, users=_users_with_role(Role.DELEGATE, report.city), template=template,
        context={"report": _for_email(report), "reviewer": reviewer},
    )
    return report


def _for_email(report):
    return ProgressReport.objects.select_related("action_point__focus_area", "city", "period").get(pk=report.pk)


@transaction.atomic
def evidence_add(*, report: ProgressReport, user, url: str = "", title: str = "", upload=None, content_type: str = "") -> Evidence:
    evidence = Evidence(report=report, added_by=user, url=url, title=title)
    if upload is not None:
        evidence.file = upload
        evidence.size = upload.size
        evidence.content_type = content_type
        evidence.title = title or upload.name
    evidence._history_user = user
    evidence.save()
    return evidence


@transaction.atomic
def evidence_remove(*, evidence: Evidence, user) -> None:
    # The stored file stays: the history row still names it, so removed evidence can be recovered.
    evidence._history_user = user
    evidence.delete()
