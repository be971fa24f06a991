from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from actions.models import ActionPoint, FocusArea
from baltmet.widgets import FastSelect
from cities.models import City

from meetings.attachments import AttachmentFields

from .models import DESCRIPTION_MAX, RESULTS_MAX, TITLE_MAX


class PracticeForm(AttachmentFields, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=TITLE_MAX)
    city = forms.ModelChoiceField(label=_("City"), queryset=City.objects.none())
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 8}),
                                  max_length=DESCRIPTION_MAX)
    results = forms.CharField(label=_("Results"), widget=forms.Textarea(attrs={"rows": 5}), required=False,
                              max_length=RESULTS_MAX, help_text=_("What it achieved, with figures where you have them."))
    focus_areas = forms.ModelMultipleChoiceField(label=_("Focus areas it serves"), required=False,
                                                 queryset=FocusArea.objects.none(), widget=forms.CheckboxSelectMultiple)
    action_points = forms.ModelMultipleChoiceField(
        label=_("Action points it serves"), required=False, queryset=ActionPoint.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 10}), help_text=_("Hold Ctrl (or ⌘) to choose several."))
    contact = forms.ModelChoiceField(label=_("Contact person"), required=False, queryset=None,
                                     help_text=_("Who answers questions about it; without one, the city's delegates."))
    languages = forms.MultipleChoiceField(label=_("Available in"), required=False, choices=settings.LANGUAGES,
                                          widget=forms.CheckboxSelectMultiple)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, cities, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = cities
        if cities.count() == 1:
            self.fields["city"].initial = cities.first()
        self.fields["focus_areas"].queryset = FocusArea.objects.filter(plan=plan).order_by("number") \
            if plan else FocusArea.objects.none()
        self.fields["action_points"].queryset = (
            ActionPoint.objects.filter(focus_area__plan=plan).select_related("focus_area").in_order()
            if plan else ActionPoint.objects.none())
        self.fields["action_points"].label_from_instance = lambda p: f"{p.number} {p.text[:90]}"
        self.fields["contact"].queryset = get_user_model().objects.filter(
            is_active=True, memberships__city__in=cities).distinct().order_by("last_name", "first_name", "username")

    def main_fields(self):
        return [self[n] for n in ("title", "city", "description", "results", "focus_areas", "action_points",
                                  "contact", "languages")]

    def attachment_fields(self):
        return [self[n] for n in ("attach_url", "attach_title", "attach_file")]

    def clean(self):
        data = super().clean()
        contact, city = data.get("contact"), data.get("city")
        if contact and city and not contact.memberships.filter(city=city).exists():
            self.add_error("contact", _("The contact person must belong to the practice's city."))
        return data

    def data_for_service(self):
        return {name: self.cleaned_data[name] for name in ("title", "description", "results", "contact")} | {
            "languages": list(self.cleaned_data["languages"])}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    city = forms.ModelChoiceField(label=_("City"), required=False, queryset=City.objects.order_by("name"),
                                  widget=FastSelect, empty_label=_("Every city"))
    focus_area = forms.ModelChoiceField(label=_("Focus area"), required=False, queryset=FocusArea.objects.none(),
                                        widget=FastSelect, empty_label=_("Every focus area"))
    point = forms.ModelChoiceField(label=_("Action point"), required=False, queryset=ActionPoint.objects.none(),
                                   widget=FastSelect, empty_label=_("Every action point"))

    def __init__(self, *args, plan=None, **kwargs):
        super().__init__(*args, **kwargs)
        if plan is not None:
            self.fields["focus_area"].queryset = FocusArea.objects.filter(plan=plan).order_by("number")
            self.fields["point"].queryset = (ActionPoint.objects.filter(focus_area__plan=plan)
                                             .select_related("focus_area").in_order())
            self.fields["point"].label_from_instance = lambda p: f"{p.number} {p.text[:60]}"

    def filters(self) -> dict:
        """The valid filters; a wrong one is reported beside its field and left out."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"text": data.get("q") or "", "city": data.get("city"), "focus_area": data.get("focus_area"),
                "action_point": data.get("point")}


class ContactForm(forms.Form):
    message = forms.CharField(label=_("Your question"), widget=forms.Textarea(attrs={"rows": 6}), max_length=3000,
                              help_text=_("Your name and email address are sent with it, so they can answer you."))

    def clean_message(self):
        message = self.cleaned_data["message"].replace("\x00", "").strip()
        if not message:
            raise forms.ValidationError(_("Write your question."))
        return message
