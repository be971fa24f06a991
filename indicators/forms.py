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
