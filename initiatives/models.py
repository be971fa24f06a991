from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actions.models import ActionPlan, ActionPoint
from baltmet.links import link
from cities.models import City


class InitiativeState(models.TextChoices):
    PROPOSED = "proposed", _("Waiting for answers")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Initiative(models.Model):
    """A project or initiative under an action point (or network-wide), approved by the cities involved.

    The consent of each city, with the costs it agreed to, is a ConsentRequest; the state here is the
    outcome (initiatives.services keeps the two in step).
    """

    State = InitiativeState

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="initiatives",
                             verbose_name=_("plan"))
    action_point = models.ForeignKey(
        ActionPoint, on_delete=models.CASCADE, null=True, blank=True, related_name="initiatives",
        verbose_name=_("action point"),
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=10000)
    proposing_city = models.ForeignKey(
        City, on_delete=models.PROTECT, related_name="proposed_initiatives", verbose_name=_("proposing city"),
    )
    involved_cities = models.ManyToManyField(
        City, related_name="involved_initiatives", verbose_name=_("involved cities"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)
    start = models.DateField(_("start"), null=True, blank=True)
    end = models.DateField(_("end"), null=True, blank=True)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("proposed by"),
    )
    state = models.CharField(_("state"), max_length=10, choices=InitiativeState.choices,
                             default=InitiativeState.PROPOSED)
    # When it was approved, declined or withdrawn.
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    # Bumped on every change of scope or costs: an answer given to an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)

    history = HistoricalRecords(m2m_fields=[involved_cities])

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-created"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=InitiativeState.values), name="initiative_state_valid",
            ),
            models.CheckConstraint(
                condition=Q(start__isnull=True) | Q(end__isnull=True) | Q(end__gte=F("start")),
                name="initiative_end_not_before_start",
                violation_error_message=_("An initiative cannot end before it starts."),
            ),
            models.CheckConstraint(
                condition=Q(state=InitiativeState.PROPOSED) | Q(decided_at__isnull=False),
                name="initiative_decided_has_date",
            ),
        ]
        indexes = [models.Index(fields=["state", "decided_at"], name="initiative_state_decided_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return link("initiatives:detail", self.pk)

    @property
    def is_network_wide(self):
        """Not under an action point: every member city has to agree."""
        return self.action_point_id is None


CURRENCIES = [
    ("EUR", "EUR"), ("SEK", "SEK"), ("NOK", "NOK"), ("DKK", "DKK"), ("PLN", "PLN"), ("RUB", "RUB"),
    ("LVL", "LVL"), ("LTL", "LTL"),
]


class Answer(models.TextChoices):
    PENDING = "pending", _("Not answered yet")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")


class ConsentRequest(models.Model):
    """One city's say on one initiative: the cost it is expected to carry and its current answer.

    An initiative under an action point asks the cities it involves; a network-wide one asks every
    member city, and those not involved carry no cost (`expected_cost` is empty). When the scope or
    costs change the answer goes back to pending; the earlier answer stays in `Decision` and history.
    """

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="consents", verbose_name=_("initiative"),
    )
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="initiative_consents",
                             verbose_name=_("city"))
    expected_cost = models.DecimalField(
        _("expected cost"), max_digits=14, decimal_places=2, null=True, blank=True,
        help_text=_("Empty for a member city that agrees but does not take part."),
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, default="EUR")
    answer = models.CharField(_("answer"), max_length=10, choices=Answer.choices, default=Answer.PENDING)
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("answered by"),
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    # The initiative's version the answer was given to.
    answered_version = models.PositiveIntegerField(_("answered version"), null=True, blank=True)
    asked_at = models.DateTimeField(_("asked at"))
    reminded_at = models.DateTimeField(_("last reminded at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consent request")
        verbose_name_plural = _("consent requests")
        ordering = ["initiative", "city__name"]
        constraints = [
            models.UniqueConstraint(fields=["initiative", "city"], name="consent_one_per_city"),
            models.CheckConstraint(condition=Q(answer__in=Answer.values), name="consent_answer_valid"),
            models.CheckConstraint(
                condition=Q(expected_cost__isnull=True) | Q(expected_cost__gte=0), name="consent_cost_not_negative",
                violation_error_message=_("A cost cannot be negative."),
            ),
            models.CheckConstraint(
                condition=(Q(answer=Answer.PENDING) & Q(answered_at__isnull=True))
                | (~Q(answer=Answer.PENDING) & Q(answered_at__isnull=False)),
                name="consent_answered_has_date",
            ),
        ]
        indexes = [models.Index(fields=["city", "answer"])]

    def __str__(self):
        return f"{self.initiative} – {self.city}: {self.get_answer_display()}"

    @property
    def involved(self):
        return self.expected_cost is not None


class DecisionKind(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CHANGED = "changed", _("Changed, cities asked again")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    REMINDED = "reminded", _("Reminder sent")


class Decision(models.Model):
    """An append-only record of every step: proposed, changed, approved, declined, withdrawn, reminded.

    `costs` is what the step was about: every city's expected cost, the dates and the title at that
    moment, so an approval can always be read as "approved this, at these costs".
    """

    Kind = DecisionKind

    initiative = models.ForeignKey(
        Initiative, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("initiative"),
    )
    kind = models.CharField(_("kind"), max_length=10, choices=DecisionKind.choices)
    city = models.ForeignKey(City, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("for city"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    version = models.PositiveIntegerField(_("initiative version"))
    costs = models.JSONField(_("terms at the time"), default=dict)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")
        ordering = ["initiative", "at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=DecisionKind.values), name="decision_kind_valid"),
        ]

    def __str__(self):
        return f"{self.initiative}: {self.get_kind_display()}"
