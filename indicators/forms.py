from django import forms
from django.utils.translation import gettext_lazy as _

from actions.models import ActionPlan, ActionPoint
from cities.models import City

from .models import Indicator


class IndicatorForm(forms.ModelForm):
    class Meta:
        model = Indicator
        fields = ["name", "description", "unit", "higher_is_better", "action_points", "first_year", "last_year"]
        widgets = {"action_points": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        plan = ActionPlan.objects.current()
        points = ActionPoint.objects.select_related("focus_area").order_by("focus_area__number", "sequence")
        self.fields["action_points"].queryset = points.filter(focus_area__plan=plan) if plan else points.none()
        self.fields["action_points"].label_from_instance = lambda point: f"{point.number} {point.text[:90]}"
        self.fields["action_points"].required = False

    def clean(self):
        data = super().clean()
        first, last = data.get("first_year"), data.get("last_year")
        if first and last and last < first:
            self.add_error("last_year", _("The last year cannot come before the first year."))
        return data


class ValueForm(forms.Form):
    city = forms.ModelChoiceField(label=_("City"), queryset=City.objects.order_by("name"))
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)
    value = forms.DecimalField(label=_("Value"), max_digits=20, decimal_places=4)
    source = forms.CharField(label=_("Source"), max_length=500,
                             help_text=_("Where the number comes from: a statistics office table, a report, a link."))

    def __init__(self, *args, indicator, city=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in indicator.years]
        self.fields["value"].label = _("Value (%(unit)s)") % {"unit": indicator.unit}
        if city is not None:  # a delegate enters their own city's values only
            del self.fields["city"]


class UploadForm(forms.Form):
    file = forms.FileField(label=_("CSV file"),
                           help_text=_("Columns city,year,value,source with that first line; UTF-8; up to 1 MB."))


class YearForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int)

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, year) for year in indicator.years]


def _year_field(label, *, required=True):
    return forms.IntegerField(label=label, min_value=1900, max_value=2200, required=required)


def _value_field(label, *, required=True):
    return forms.DecimalField(label=label, max_digits=20, decimal_places=4, required=required)


class CityTargetForm(forms.Form):
    """A city's baseline and, optionally, its own target; `version` is the row's version when the form was
    shown (0: there was none), so that a save over somebody else's change is noticed."""

    baseline_year = _year_field(_("Baseline year"))
    baseline_value = _value_field(_("Baseline value"))
    target_year = _year_field(_("Target year"), required=False)
    target_value = _value_field(_("Target value"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        unit = indicator.unit
        self.fields["baseline_value"].label = _("Baseline value (%(unit)s)") % {"unit": unit}
        self.fields["target_value"].label = _("Target value (%(unit)s)") % {"unit": unit}
        self.fields["target_year"].help_text = _(
            "Leave the target empty to follow the network-wide target.")

    def clean(self):
        data = super().clean()
        year, value = data.get("target_year"), data.get("target_value")
        if year is not None and value is None and "target_value" not in self.errors:
            self.add_error("target_value", _("Give the target value too, or leave the target year empty."))
        if value is not None and year is None and "target_year" not in self.errors:
            self.add_error("target_year", _("Give the target year too, or leave the target value empty."))
        baseline = data.get("baseline_year")
        if year is not None and baseline is not None and year <= baseline:
            self.add_error("target_year", _("The target year must come after the baseline year."))
        return data


class NetworkTargetForm(forms.Form):
    target_year = _year_field(_("Target year"))
    target_value = _value_field(_("Target value"))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)

    def __init__(self, *args, indicator, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target_value"].label = _("Target value (%(unit)s)") % {"unit": indicator.unit}
