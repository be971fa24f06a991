import re

from django import forms
from django.utils.translation import gettext_lazy as _

from actions.models import ActionPlan, ActionPoint
from cities.models import City

from .attachments import AttachmentFields
from .models import AgendaItem, AttendanceStatus, Meeting, Resolution
from .services import Presence

AGENDA_MAX_ITEMS = 60
NUMBERED = re.compile(r"^\d{1,2}[.)]\s+")  # "3. Budget" is item 3, "Budget"
AGENDA_ITEM_MAX = AgendaItem._meta.get_field("title").max_length


class MeetingForm(AttachmentFields, forms.ModelForm):
    """A meeting with its agenda (one item a line), each city's attendance (a fixed row per city, which
    works without JavaScript) and a link or a file to add."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    agenda = forms.CharField(
        label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 6}), max_length=20000,
        help_text=_("One item a line, in order; they are numbered for you."),
    )

    class Meta:
        model = Meeting
        fields = ["kind", "title", "date", "host_city", "place", "minutes"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}), "minutes": forms.Textarea(attrs={"rows": 10})}

    def __init__(self, *args, cities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["minutes"].max_length = 50000
        self.cities = list(cities if cities is not None else City.objects.order_by("name"))
        self.fields["host_city"].queryset = City.objects.order_by("name")
        for city in self.cities:
            self.fields[f"attendance_{city.pk}"] = forms.ChoiceField(
                label=_("%(city)s: attendance") % {"city": city}, required=False,
                choices=[("", _("Not recorded"))] + list(AttendanceStatus.choices),
            )
            self.fields[f"representatives_{city.pk}"] = forms.CharField(
                label=_("%(city)s: who came") % {"city": city}, required=False, max_length=300,
            )

    def main_fields(self):
        return [self[name] for name in ("kind", "title", "date", "host_city", "place", "agenda", "minutes")]

    def attachment_fields(self):
        return [self[name] for name in ("attach_url", "attach_title", "attach_file")]

    def attendance_rows(self):
        return [(city, self[f"attendance_{city.pk}"], self[f"representatives_{city.pk}"]) for city in self.cities]

    def clean_agenda(self):
        lines = [" ".join(line.split()) for line in self.cleaned_data["agenda"].splitlines()]
        items = [NUMBERED.sub("", line) or line for line in lines if line]
        if len(items) > AGENDA_MAX_ITEMS:
            raise forms.ValidationError(_("An agenda can have up to %(n)s items.") % {"n": AGENDA_MAX_ITEMS})
        too_long = [n for n, item in enumerate(items, start=1) if len(item) > AGENDA_ITEM_MAX]
        if too_long:
            raise forms.ValidationError(
                _("Item %(n)s is longer than %(max)s characters.") % {"n": too_long[0], "max": AGENDA_ITEM_MAX})
        return items

    def attendance(self) -> list[Presence]:
        return [Presence(city_id=city.pk, status=self.cleaned_data.get(f"attendance_{city.pk}") or "",
                         representatives=(self.cleaned_data.get(f"representatives_{city.pk}") or "").strip())
                for city in self.cities]


class ResolutionForm(forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Resolution
        fields = ["meeting", "title", "text", "plans", "action_points"]
        widgets = {"text": forms.Textarea(attrs={"rows": 12}), "plans": forms.CheckboxSelectMultiple,
                   "action_points": forms.SelectMultiple(attrs={"size": 12})}
        help_texts = {"action_points": _("Hold Ctrl (or ⌘) to choose several.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["text"].max_length = 50000
        self.fields["meeting"].queryset = Meeting.objects.select_related("host_city").order_by("-date")
        self.fields["plans"].queryset = ActionPlan.objects.defer("introduction").order_by("-first_year")
        self.fields["action_points"].queryset = (
            ActionPoint.objects.select_related("focus_area__plan")
            .order_by("-focus_area__plan__first_year", "focus_area__number", "sequence")
        )
        self.fields["action_points"].label_from_instance = (
            lambda p: f"{p.focus_area.plan.first_year}–{p.focus_area.plan.last_year} · {p.number} {p.text[:80]}")
