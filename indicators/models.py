from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from actions.models import ActionPoint
from cities.models import City


class Indicator(models.Model):
    """Something the cities measure the same way each year, so that they can be compared (plan point 1.3)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    description = models.TextField(_("description"), blank=True, max_length=5000)
    is_public = models.BooleanField(
        _("public"), default=False, help_text=_("Shown, with its values, on the public pages and in the open data."),
    )
    unit = models.CharField(_("unit"), max_length=50, help_text=_("For example: %, EUR per inhabitant, patents."))
    higher_is_better = models.BooleanField(
        _("higher is better"), default=True, help_text=_("Untick when a lower value ranks first."),
    )
    action_points = models.ManyToManyField(
        ActionPoint, blank=True, related_name="indicators", verbose_name=_("action points measured"),
    )
    first_year = models.PositiveSmallIntegerField(_("first year collected"))
    last_year = models.PositiveSmallIntegerField(_("last year collected"))

    history = HistoricalRecords(m2m_fields=[action_points])

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(last_year__gte=F("first_year")), name="indicator_years_in_order",
                violation_error_message=_("The last year cannot come before the first year."),
            ),
            models.CheckConstraint(
                condition=Q(first_year__gte=1900) & Q(last_year__lte=2200), name="indicator_years_plausible",
                violation_error_message=_("Years must be between 1900 and 2200."),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("indicators:benchmark", args=[self.pk])

    @property
    def years(self):
        return range(self.first_year, self.last_year + 1)


class IndicatorValue(models.Model):
    """A city's value of an indicator for a year. A correction overwrites the row; history keeps the old one."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="values",
                                  verbose_name=_("indicator"))
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="indicator_values", verbose_name=_("city"))
    year = models.PositiveSmallIntegerField(_("year"))
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    source = models.CharField(_("source"), max_length=500)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("entered by"))
    updated = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator value")
        verbose_name_plural = _("indicator values")
        ordering = ["indicator", "year", "city__name"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "city", "year"], name="indicatorvalue_one_per_city_year"),
        ]

    def __str__(self):
        return f"{self.indicator} – {self.city} {self.year}: {self.value}"


_BASELINE_YEAR_PLAUSIBLE = Q(baseline_year__gte=1900) & Q(baseline_year__lte=2200)


class CityTarget(models.Model):
    """A city's baseline for an indicator and, optionally, its own target; a city without its own target
    follows the network-wide one (indicators/progress.py says when it is on course)."""

    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="city_targets",
                                  verbose_name=_("indicator"))
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="indicator_targets", verbose_name=_("city"))
    baseline_year = models.PositiveSmallIntegerField(_("baseline year"))
    baseline_value = models.DecimalField(_("baseline value"), max_digits=20, decimal_places=4)
    target_year = models.PositiveSmallIntegerField(_("target year"), null=True, blank=True)
    target_value = models.DecimalField(_("target value"), max_digits=20, decimal_places=4, null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("baseline and target")
        verbose_name_plural = _("baselines and targets")
        ordering = ["indicator", "city__name"]
        constraints = [
            models.UniqueConstraint(fields=["indicator", "city"], name="citytarget_one_per_indicator_city"),
            models.CheckConstraint(
                condition=Q(target_year__isnull=True, target_value__isnull=True)
                | Q(target_year__isnull=False, target_value__isnull=False),
                name="citytarget_target_year_and_value_together",
                violation_error_message=_("A target needs both a value and a year."),
            ),
            models.CheckConstraint(
                condition=Q(target_year__isnull=True) | Q(target_year__gt=F("baseline_year")),
                name="citytarget_target_after_baseline",
                violation_error_message=_("The target year must come after the baseline year."),
            ),
            models.CheckConstraint(
                condition=_BASELINE_YEAR_PLAUSIBLE & (Q(target_year__isnull=True) | Q(target_year__lte=2200)),
                name="citytarget_years_plausible",
                violation_error_message=_("Years must be between 1900 and 2200."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} – {self.city}"


class NetworkTarget(models.Model):
    """One target for the whole network, followed by every city that has a baseline but no target of its own."""

    indicator = models.OneToOneField(Indicator, on_delete=models.CASCADE, related_name="network_target",
                                     verbose_name=_("indicator"))
    target_year = models.PositiveSmallIntegerField(_("target year"))
    target_value = models.DecimalField(_("target value"), max_digits=20, decimal_places=4)
    version = models.PositiveIntegerField(_("version"), default=1)
    updated = models.DateTimeField(_("updated"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("network-wide target")
        verbose_name_plural = _("network-wide targets")
        constraints = [
            models.CheckConstraint(
                condition=Q(target_year__gte=1900) & Q(target_year__lte=2200), name="networktarget_year_plausible",
                violation_error_message=_("Years must be between 1900 and 2200."),
            ),
        ]

    def __str__(self):
        return f"{self.indicator} – {self.target_value} ({self.target_year})"
