from django import forms

from .models import ActionPoint


class CoordinatorUpdateForm(forms.ModelForm):
    """The coordinator's summary. The status is confirmed period by period on the point's roll-up."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ActionPoint
        fields = ["coordinator_summary"]
        widgets = {"coordinator_summary": forms.Textarea(attrs={"rows": 5})}

    def clean_coordinator_summary(self):
        return self.cleaned_data["coordinator_summary"].strip()
