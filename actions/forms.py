from django import forms

from .models import ActionPoint


class CoordinatorUpdateForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = ActionPoint
        fields = ["status", "coordinator_summary"]
        widgets = {"coordinator_summary": forms.Textarea(attrs={"rows": 5})}

    def clean_coordinator_summary(self):
        return self.cleaned_data["coordinator_summary"].strip()
