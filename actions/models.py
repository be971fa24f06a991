from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from baltmet.links import link
from cities.models import City


class DeliveryStatus(models.TextChoices):
    """How the work on an action point is going; shared by action points and progress reports."""

    NOT_STARTED = "not_started", _("Not started")
    ON_TRACK = "on_track", _("On track")
    AT_RISK = "at_risk", _("At risk")
    DELAYED = "delayed", _("Delayed")
    COMPLETED = "completed", _("Completed")


def current_plan_of(plans):
    """The rule for "the current plan", over plans already loaded: the adopted plan that started last,
    else the newest draft. (A network has a few dozen plans at most.)"""
    ranked = sorted(plans, key=lambda plan: (plan.status != ActionPlan.Status.ADOPTED, -plan.first_year))
    return ranked[0] if ranked else None


class ActionPlanQuerySet(models.QuerySet):
    def current(self):
        return current_plan_of(self.defer("introduction"))


class ActionPlan(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        ADOPTED = "adopted", _("Adopted")
        CLOSED = "closed", _("Closed")

    class ReviewMode(models.TextChoices):
        """Who reviews a partner city's report (reports/workflow.py)."""

        ONE_STEP = "one_step", _("One step: every city's report goes to the Secretariat")
        TWO_STEP = "two_step", _(
            "Two steps: partner reports go to the coordinating city, whose consolidated report goes to the "
            "Secretariat"
        )

    title = models.CharField(_("title"), max_length=200, unique=True)
    first_year = models.PositiveSmallIntegerField(_("first year"))
    last_year = models.PositiveSmallIntegerField(_("last year"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    introduction = models.TextField(_("introduction"), blank=True, max_length=20000)
    predecessor = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="successor",
        verbose_name=_("predecessor plan"),
    )
    # Changed only through reports.services.plan_review_mode_set, which moves the reports in flight.
    review_mode = models.CharField(
        _("review"), max_length=10, choices=ReviewMode.choices, default=ReviewMode.ONE_STEP,
    )

    history = HistoricalRecords()
    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        ordering = ["-first_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")), name="actionplan_last_year_not_before_first",
                violation_error_message=_("The last year cannot come before the first year."),
            ),
            models.CheckConstraint(
                condition=~Q(predecessor=F("id")), name="actionplan_not_own_predecessor",
                violation_error_message=_("A plan cannot follow itself."),
            ),
        ]

    def __str__(self):
        return self.title

    @property
    def is_two_step(self) -> bool:
        return self.review_mode == self.ReviewMode.TWO_STEP

    def get_absolute_url(self):
        return reverse("actions:plan", args=[self.pk])


class FocusArea(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="focus_areas", verbose_name=_("plan"))
    number = models.PositiveSmallIntegerField(_("number"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=10000)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("focus area")
        verbose_name_plural = _("focus areas")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="focusarea_unique_number_in_plan"),
            models.CheckConstraint(condition=Q(number__gte=1), name="focusarea_number_positive"),
        ]

    def __str__(self):
        return f"{self.number}. {self.title}"


class ActionPointQuerySet(models.QuerySet):
    def for_city(self, city):
        """Action points the city coordinates or partners in (a subquery, so no DISTINCT is needed)."""
        partnered = ActionPoint.partner_cities.through.objects.filter(city=city).values("actionpoint_id")
        return self.filter(Q(coordinating_city=city) | Q(pk__in=partnered))

    def in_order(self):
        return self.order_by("focus_area__plan", "focus_area__number", "sequence")

    def taking_part(self) -> dict[int, set[int]]:
        """{point id: ids of the cities taking part} for these points, in two queries."""
        result = {pk: ({city} if city else set()) for pk, city in self.order_by().values_list("pk", "coordinating_city_id")}
        partners = ActionPoint.partner_cities.through.objects.filter(actionpoint_id__in=self.values("pk"))
        for point_id, city_id in partners.values_list("actionpoint_id", "city_id"):
            result[point_id].add(city_id)
        return result


class ActionPoint(models.Model):
    """A numbered action point such as 1.3; its number is the focus area's number and `sequence`.

    The sequence is stored as an integer so that 1.10 sorts after 1.9.
    """

    focus_area = models.ForeignKey(
        FocusArea, on_delete=models.CASCADE, related_name="action_points", verbose_name=_("focus area"),
    )
    sequence = models.PositiveSmallIntegerField(_("number within the focus area"))
    text = models.TextField(_("text"), max_length=5000)
    coordinating_city = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, related_name="coordinated_action_points",
        verbose_name=_("coordinating city"),
    )
    partner_cities = models.ManyToManyField(
        City, blank=True, related_name="partnered_action_points", verbose_name=_("partner cities"),
    )
    # Set by the coordinating city (empty until it is); what pages show is reports.status.overall_status.
    status = models.CharField(
        _("overall status"), max_length=20, choices=DeliveryStatus.choices, null=True, blank=True, default=None,
    )
    coordinator_summary = models.TextField(_("coordinator's summary"), blank=True, max_length=2000)
    # Bumped on every change of status or summary, so that a stale form cannot overwrite a newer one.
    version = models.PositiveIntegerField(_("version"), default=1)
    continues = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="continued_by",
        verbose_name=_("continues action point"),
    )
    # Set when the coordinating and partner cities come from `load_demo`, not from a real decision.
    demo_assignment = models.BooleanField(_("demo assignment"), default=False)

    history = HistoricalRecords(m2m_fields=[partner_cities])
    objects = ActionPointQuerySet.as_manager()

    class Meta:
        verbose_name = _("action point")
        verbose_name_plural = _("action points")
        ordering = ["focus_area__number", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["focus_area", "sequence"], name="actionpoint_unique_number_in_area"),
            models.CheckConstraint(condition=Q(sequence__gte=1), name="actionpoint_sequence_positive"),
        ]
        indexes = [models.Index(fields=["coordinating_city"])]

    def __str__(self):
        return f"{self.number} {self.text[:60]}"

    @property
    def number(self):
        return f"{self.focus_area.number}.{self.sequence}"

    def taking_part_ids(self) -> set[int]:
        """The cities that take part in the point: its coordinating city and its partners (use
        prefetch_related("partner_cities") for many points, or ActionPoint.objects.taking_part())."""
        partners = {city.pk for city in self.partner_cities.all()}
        return partners | ({self.coordinating_city_id} if self.coordinating_city_id else set())

    def get_absolute_url(self):
        return link("actions:action_point", self.pk)


class MilestoneQuerySet(models.QuerySet):
    def overdue(self, today):
        return self.filter(done=False, due_date__lt=today)

    def concerning_city(self, city_ids):
        """Milestones the cities answer for: their own, and every milestone of the points they coordinate."""
        return self.filter(Q(responsible_city_id__in=city_ids) | Q(action_point__coordinating_city_id__in=city_ids))


class Milestone(models.Model):
    """A step of an action point with a due date and a city answering for it. A point's completion is
    counted in milestones done of all, never as a percentage. Changed only through actions/milestones.py."""

    action_point = models.ForeignKey(
        ActionPoint, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("action point"),
    )
    title = models.CharField(_("title"), max_length=200)
    due_date = models.DateField(_("due date"))
    responsible_city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="milestones", verbose_name=_("responsible city"),
    )
    done = models.BooleanField(_("done"), default=False)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created = models.DateTimeField(_("created"), auto_now_add=True)
    updated = models.DateTimeField(_("updated"), auto_now=True)
    # Bumped on every change, so that a stale form cannot overwrite a newer one.
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords()
    objects = MilestoneQuerySet.as_manager()

    class Meta:
        verbose_name = _("milestone")
        verbose_name_plural = _("milestones")
        ordering = ["due_date", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(done=True, done_on__isnull=False) | Q(done=False, done_on__isnull=True),
                name="milestone_done_on_iff_done",
                violation_error_message=_("A milestone that is done has the date it was done on, and only then."),
            ),
        ]
        indexes = [models.Index(fields=["action_point", "due_date"]), models.Index(fields=["responsible_city"])]

    def __str__(self):
        return self.title

    def is_overdue(self, today) -> bool:
        return not self.done and self.due_date < today

    def clean(self):
        super().clean()
        if self.action_point_id and self.responsible_city_id \
                and self.responsible_city_id not in self.action_point.taking_part_ids():
            raise ValidationError({"responsible_city": _(
                "The responsible city must be the point's coordinating city or one of its partner cities.")})
