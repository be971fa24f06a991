from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class City(models.Model):
    """A member city of the network, past or present."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    country = models.CharField(_("country"), max_length=100)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    joined = models.DateField(_("joined"), null=True, blank=True)
    left = models.DateField(_("left"), null=True, blank=True)
    reports_internal = models.BooleanField(
        _("keeps its reports internal"), default=False,
        help_text=_("Its reports are never shown on the public pages or in the open data, even when published."),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(left__isnull=True) | Q(joined__isnull=True) | Q(left__gt=F("joined")),
                name="city_left_after_joined",
                violation_error_message=_("A city cannot leave before it joined."),
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def is_member(self):
        return self.left is None


class Role(models.TextChoices):
    DELEGATE = "delegate", _("Delegate")
    MAYOR = "mayor", _("Mayor")
    OBSERVER = "observer", _("Observer")
    SECRETARIAT = "secretariat", _("Secretariat")
    CHAIR = "chair", _("Chair")


CITY_ROLES = (Role.DELEGATE, Role.MAYOR, Role.OBSERVER)
NETWORK_ROLES = (Role.SECRETARIAT, Role.CHAIR)


class Membership(models.Model):
    """A person's role: in a city (delegate, mayor, observer) or network-wide (Secretariat, Chair)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
        verbose_name=_("person"),
    )
    city = models.ForeignKey(
        City, on_delete=models.PROTECT, null=True, blank=True, related_name="memberships",
        verbose_name=_("city"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created = models.DateTimeField(_("created"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["role", "city__name"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(role__in=CITY_ROLES) & Q(city__isnull=False))
                | (Q(role__in=NETWORK_ROLES) & Q(city__isnull=True)),
                name="membership_city_matches_role",
                violation_error_message=_(
                    "Delegates, mayors and observers belong to a city; the Secretariat and the Chair do not."
                ),
            ),
            # Two constraints, because NULL cities are distinct in a plain unique constraint.
            models.UniqueConstraint(
                fields=["user", "role", "city"], condition=Q(city__isnull=False),
                name="membership_unique_role_in_city",
                violation_error_message=_("This person already has this role in this city."),
            ),
            models.UniqueConstraint(
                fields=["user", "role"], condition=Q(city__isnull=True), name="membership_unique_network_role",
                violation_error_message=_("This person already has this role."),
            ),
            # A delegate speaks for exactly one city.
            models.UniqueConstraint(
                fields=["user"], condition=Q(role=Role.DELEGATE), name="membership_one_city_per_delegate",
                violation_error_message=_("A delegate may belong to one city only."),
            ),
        ]
        indexes = [models.Index(fields=["city", "role"])]

    def __str__(self):
        return f"{self.user} – {self.get_role_display()}" + (f", {self.city}" if self.city_id else "")


class ChairTerm(models.Model):
    """A city chairing the network for a term."""

    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="chair_terms", verbose_name=_("city"))
    start = models.DateField(_("start"))
    end = models.DateField(_("end"))

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("chair term")
        verbose_name_plural = _("chair terms")
        ordering = ["-start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="chairterm_end_after_start",
                violation_error_message=_("A term must end after it starts."),
            ),
            models.UniqueConstraint(fields=["city", "start"], name="chairterm_unique_city_start"),
        ]

    def __str__(self):
        return f"{self.city} ({self.start:%Y}–{self.end:%Y})"
