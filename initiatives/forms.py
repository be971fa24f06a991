from django import forms
from django.utils.translation import gettext_lazy as _

from actions.models import ActionPoint

from .models import CURRENCIES
from .services import CostLine


class InitiativeForm(forms.Form):
    """The terms of an initiative. Each member city has a cost field; a city with a cost is involved.

    A fixed row per member city (about ten) works without JavaScript, unlike an add-a-row formset.
    """

    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea, required=False, max_length=10000)
    action_point = forms.ModelChoiceField(
        label=_("Action point"), queryset=ActionPoint.objects.none(), required=False,
        empty_label=_("None – a new initiative outside the action points (every member city must agree)"),
    )
    start = forms.DateField(label=_("Start"), widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_("End"), widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, plan=None, cities=(), proposing_city=None, with_action_point=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.cities = list(cities)
        self.proposing_city = proposing_city
        if with_action_point:
            self.fields["action_point"].queryset = (
                ActionPoint.objects.filter(focus_area__plan=plan).select_related("focus_area").in_order()
            )
            self.fields["action_point"].label_from_instance = lambda point: f"{point.number} {point.text[:90]}"
        else:
            del self.fields["action_point"]
        for city in self.cities:
            self.fields[f"cost_{city.pk}"] = forms.DecimalField(
                label=_("%(city)s: expected cost") % {"city": city}, required=False, min_value=0,
                max_digits=14, decimal_places=2,
                help_text=_("Your city must take part.") if city == proposing_city else
                _("Leave empty if %(city)s does not take part.") % {"city": city},
            )
            self.fields[f"currency_{city.pk}"] = forms.ChoiceField(
                label=_("%(city)s: currency") % {"city": city}, choices=CURRENCIES, initial="EUR",
            )

    def cost_rows(self):
        return [(city, self[f"cost_{city.pk}"], self[f"currency_{city.pk}"]) for city in self.cities]

    def main_fields(self):
        return [self[name] for name in ("title", "description", "action_point", "start", "end") if name in self.fields]

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end") and data["end"] < data["start"]:
            self.add_error("end", _("The end cannot come before the start."))
        if self.proposing_city is not None and data.get(f"cost_{self.proposing_city.pk}") is None:
            self.add_error(f"cost_{self.proposing_city.pk}",
                           _("Give your city's expected cost: the proposing city takes part."))
        return data

    def costs(self) -> list[CostLine]:
        return [
            CostLine(city=city, amount=self.cleaned_data[f"cost_{city.pk}"],
                     currency=self.cleaned_data[f"currency_{city.pk}"])
            for city in self.cities if self.cleaned_data.get(f"cost_{city.pk}") is not None
        ]


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your city's answer"), widget=forms.RadioSelect,
        choices=[("approve", _("Approve, at the cost shown")), ("decline", _("Decline"))],
    )
    comment = forms.CharField(label=_("Comment (optional)"), widget=forms.Textarea, required=False, max_length=2000)
    version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(forms.Form):
    comment = forms.CharField(label=_("Why (optional)"), widget=forms.Textarea, required=False, max_length=2000)
