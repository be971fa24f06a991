import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actions.models import ActionPlan, ActionPoint, DeliveryStatus
from cities.models import City


def current_period_of(periods, today=None):
    """The rule for "the current period", over a plan's periods already loaded in order of start:
    the one that holds today, else the last one that started, else the first."""
    today = today or timezone.localdate()
    return (
        next((p for p in periods if p.start <= today <= p.end), None)
        or next((p for p in reversed(periods) if p.start <= today), None)
        or (periods[0] if periods else None)
    )


class ReportingPeriodQuerySet(models.QuerySet):
    def current(self, plan, today=None):
        return current_period_of(list(self.filter(plan=plan).order_by("start")), today)


class ReportingPeriod(models.Model):
    """A stretch of a plan that the cities report on, e.g. "2011 H1". Periods of a plan never overlap
    (an exclusion constraint on PostgreSQL, triggers on SQLite: see migration 0002)."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="periods", verbose_name=_("plan"))
    label = models.CharField(_("label"), max_length=50)
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))
    due_date = models.DateField(_("due date"))
    is_closed = models.BooleanField(
        _("closed"), default=False, help_text=_("Reports of a closed period can no longer change."),
    )

    history = HistoricalRecords()
    objects = ReportingPeriodQuerySet.as_manager()

    class Meta:
        verbose_name = _("reporting period")
        verbose_name_plural = _("reporting periods")
        ordering = ["plan", "start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="period_end_after_start",
                violation_error_message=_("A period must end after it starts."),
            ),
            models.CheckConstraint(
                condition=Q(due_date__gte=F("start")), name="period_due_not_before_start",
                violation_error_message=_("Reports cannot be due before the period starts."),
            ),
            models.UniqueConstraint(fields=["plan", "label"], name="period_unique_label_in_plan"),
        ]

    def __str__(self):
        return self.label

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.start and self.end and self.plan_id:
            overlapping = ReportingPeriod.objects.filter(
                plan_id=self.plan_id, start__lte=self.end, end__gte=self.start
            ).exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(_("This period overlaps another period of the same plan."))


class WorkflowState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned")
    APPROVED = "approved", _("Approved")
    # Two-step plans only (reports/workflow.py): a partner city's report with its coordinating city.
    WITH_COORDINATOR = "with_coordinator", _("With the coordinator")
    ACCEPTED = "accepted", _("Accepted by the coordinator")


class ProgressReport(models.Model):
    """A city's report on one action point for one reporting period."""

    action_point = models.ForeignKey(
        ActionPoint, on_delete=models.CASCADE, related_name="reports", verbose_name=_("action point"),
    )
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="reports", verbose_name=_("city"))
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="reports", verbose_name=_("reporting period"),
    )
    delivery_status = models.CharField(
        _("delivery status"), max_length=20, choices=DeliveryStatus.choices, default=DeliveryStatus.NOT_STARTED,
    )
    summary = models.TextField(_("summary of progress"), blank=True, max_length=10000)
    next_steps = models.TextField(_("next steps"), blank=True, max_length=5000)
    state = models.CharField(_("workflow state"), max_length=20, choices=WorkflowState.choices, default=WorkflowState.DRAFT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("submitted by"),
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True, max_length=5000)
    # Published for the public (the Secretariat's deliberate step, never automatic): see reports.permissions.
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("published by"),
    )
    # Bumped on every save; a form carries the version it was opened at so a stale save is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["period__start", "action_point__focus_area__number", "action_point__sequence", "city__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["action_point", "city", "period"], name="report_one_per_point_city_period",
                violation_error_message=_("This city already has a report on this action point for this period."),
            ),
            models.CheckConstraint(
                condition=Q(state=WorkflowState.DRAFT) | Q(submitted_at__isnull=False),
                name="report_submitted_has_time",
                violation_error_message=_("A report that left draft must say when it was submitted."),
            ),
            models.CheckConstraint(
                condition=~Q(state=WorkflowState.RETURNED) | ~Q(review_comment=""),
                name="report_returned_has_comment",
                violation_error_message=_("A returned report needs the reviewer's comment."),
            ),
            models.CheckConstraint(
                condition=~Q(state=WorkflowState.APPROVED) | Q(reviewed_at__isnull=False),
                name="report_approved_has_review_time",
                violation_error_message=_("An approved report must say when it was reviewed."),
            ),
            models.CheckConstraint(
                condition=Q(published_at__isnull=True) | Q(state=WorkflowState.APPROVED),
                name="report_published_is_approved",
                violation_error_message=_("Only an approved report can be published."),
            ),
        ]
        indexes = [
            models.Index(fields=["published_at"], condition=Q(published_at__isnull=False), name="report_published_idx"),
            models.Index(fields=["city", "period"]),
            models.Index(fields=["period", "state"]),
            models.Index(fields=["state", "submitted_at"]),
        ]

    def __str__(self):
        return f"{self.city} – {self.action_point.number} – {self.period}"


def evidence_upload_path(evidence, filename):
    # A folder of its own per file keeps the uploaded name as it was (no suffix on a clash), only
    # shortened where a file system would refuse it.
    from .evidence_files import stored_name

    return f"evidence/{evidence.report_id}/{uuid.uuid4().hex}/{stored_name(filename)}"


class Evidence(models.Model):
    """A link or a file backing up a progress report."""

    report = models.ForeignKey(ProgressReport, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("report"))
    title = models.CharField(_("title"), max_length=200, blank=True)
    url = models.URLField(_("link"), blank=True, max_length=500)
    file = models.FileField(_("file"), upload_to=evidence_upload_path, blank=True, max_length=300)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by"),
    )
    added_at = models.DateTimeField(_("added at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["added_at"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(file="")) | (~Q(url="") & Q(file="")),
                name="evidence_is_link_or_file",
                violation_error_message=_("Evidence is either a link or a file."),
            ),
        ]

    def __str__(self):
        return self.title or self.url or self.file.name.rsplit("/", 1)[-1]

    @property
    def filename(self):
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


class PointPeriodStatus(models.Model):
    """An action point's status for one reporting period, as its coordinating city's delegate (or the
    Secretariat) confirmed it on the point's roll-up; the reason says why when it differs from the one
    the approved reports suggest (reports/rollup.py). Changed only by services.confirm_point_status."""

    action_point = models.ForeignKey(
        ActionPoint, on_delete=models.CASCADE, related_name="period_statuses", verbose_name=_("action point"),
    )
    period = models.ForeignKey(
        ReportingPeriod, on_delete=models.PROTECT, related_name="point_statuses", verbose_name=_("reporting period"),
    )
    status = models.CharField(_("status"), max_length=20, choices=DeliveryStatus.choices)
    reason = models.TextField(_("reason"), blank=True, max_length=2000)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+",
        verbose_name=_("confirmed by"),
    )
    confirmed_at = models.DateTimeField(_("confirmed at"))
    # Bumped on every confirmation; the form carries the version it was opened at (0: none yet).
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("confirmed status of an action point")
        verbose_name_plural = _("confirmed statuses of action points")
        ordering = ["period__start"]
        constraints = [
            models.UniqueConstraint(
                fields=["action_point", "period"], name="point_status_one_per_period",
                violation_error_message=_("This action point already has a confirmed status for this period."),
            ),
        ]

    def __str__(self):
        return f"{self.action_point_id} – {self.period} – {self.status}"
