from django import forms
from django.utils.translation import gettext_lazy as _

from cities.models import City

from .models import ActionPoint


class CoordinatorUpdateForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ActionPoint
        fields = ["status", "coordinator_summary"]
        widgets = {"coordinator_summary": forms.Textarea(attrs={"rows": 5})}

    def clean_coordinator_summary(self):
        return self.cleaned_data["coordinator_summary"].strip()


class MilestoneForm(forms.Form):
    """A milestone's title, due date and responsible city (one of the cities taking part in the point)."""

    title = forms.CharField(label=_("Title"), max_length=200)
    due_date = forms.DateField(label=_("Due date"), widget=forms.DateInput(attrs={"type": "date"}),
                               help_text=_("For example 2027-03-31."))
    responsible_city = forms.ModelChoiceField(label=_("Responsible city"), queryset=City.objects.none())
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0, initial=0)

    def __init__(self, *args, point, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible_city"].queryset = City.objects.filter(pk__in=point.taking_part_ids()).order_by("name")
        self.fields["responsible_city"].help_text = _("The coordinating city or one of the partner cities.")

    def clean_title(self):
        return self.cleaned_data["title"].strip()


class MilestoneMarkForm(forms.Form):
    """Done on a date, or (done = no) back to not done."""

    done = forms.TypedChoiceField(label=_("Done?"), choices=[("yes", _("Done")), ("no", _("Not done"))],
                                  coerce=lambda value: value == "yes", widget=forms.HiddenInput)
    done_on = forms.DateField(label=_("Done on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["done_on"].widget.attrs["max"] = today.isoformat()
        if self["done"].value() == "no":  # marking not done asks for no date
            self.fields["done_on"].widget = forms.HiddenInput()

    def clean(self):
        data = super().clean()
        if data.get("done") and "done_on" not in self.errors:
            done_on = data.get("done_on")
            if done_on is None:
                self.add_error("done_on", _("Give the date the milestone was done on."))
            elif done_on > self.today:
                self.add_error("done_on", _("The date it was done on cannot be in the future."))
        return data


class MilestoneRemoveForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
