from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.models import INVITABLE_ROLES, Invitation
from actions.models import ActionPlan, ActionPoint, DeliveryStatus, FocusArea, current_plan_of
from baltmet.params import parse_id
from baltmet.widgets import FastSelect
from cities.models import City, Membership
from reports.models import ReportingPeriod, WorkflowState

ANY = [("", _("Any"))]


class _LoadedChoiceIterator(forms.models.ModelChoiceIterator):
    """The options of a LoadedModelChoiceField: its list, with no query of its own."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.objects:
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.objects) + (self.field.empty_label is not None)

    def __bool__(self):
        return self.field.empty_label is not None or bool(self.field.objects)


class LoadedModelChoiceField(forms.ModelChoiceField):
    """A ModelChoiceField whose options are a list the form loads once (lazily, by `load`) and shares
    with the view, so that drawing and checking the drop-down costs no query of its own."""

    iterator = _LoadedChoiceIterator

    def __init__(self, model, **kwargs):
        super().__init__(model._default_manager.none(), **kwargs)
        self.load = list
        self._objects = None

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result._objects = None
        return result

    @property
    def objects(self) -> list:
        if self._objects is None:
            self._objects = list(self.load())
        return self._objects

    def to_python(self, value):
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        if isinstance(value, self.queryset.model):
            value = getattr(value, key)
        for obj in self.objects:
            if str(getattr(obj, key)) == str(value):
                return obj
        raise forms.ValidationError(self.error_messages["invalid_choice"], code="invalid_choice",
                                    params={"value": value})


class ReportFilterForm(forms.Form):
    """The filters shared by the dashboard, the queue, the reports list and the exports. A GET form,
    so every view can be bookmarked and shared; a wrong value is reported beside its field and ignored.

    Each drop-down's options are loaded once, when first needed, and kept on the form (`plans`,
    `periods` of the chosen plan, `focus_areas`, `cities`) so that the views can reuse them."""

    plan = LoadedModelChoiceField(ActionPlan, label=_("Plan"), required=False, empty_label=_("Current plan"),
                                  widget=FastSelect)
    period = LoadedModelChoiceField(ReportingPeriod, label=_("Reporting period"), required=False, widget=FastSelect)
    focus_area = LoadedModelChoiceField(FocusArea, label=_("Focus area"), required=False, empty_label=_("All"),
                                        widget=FastSelect)
    city = LoadedModelChoiceField(City, label=_("City"), required=False, empty_label=_("All"), widget=FastSelect)
    delivery_status = forms.ChoiceField(choices=ANY + list(DeliveryStatus.choices), label=_("Delivery status"),
                                        required=False, widget=FastSelect)
    state = forms.ChoiceField(choices=ANY + list(WorkflowState.choices), label=_("Workflow state"), required=False,
                              widget=FastSelect)

    def __init__(self, data, *, period_empty_label=_("All"), fields=None):
        super().__init__(data)
        self._loaded = {}
        self.plan = self._chosen_plan(data)
        self.fields["plan"].load = lambda: self.plans
        self.fields["period"].load = lambda: self.periods
        self.fields["period"].empty_label = period_empty_label
        self.fields["focus_area"].load = lambda: self.focus_areas
        self.fields["city"].load = lambda: self.cities
        if fields is not None:
            for name in list(self.fields):
                if name not in fields:
                    del self.fields[name]

    def _once(self, name, load):
        if name not in self._loaded:
            self._loaded[name] = list(load())
        return self._loaded[name]

    @property
    def plans(self) -> list:
        return self._once("plans", lambda: ActionPlan.objects.order_by("-first_year"))

    @property
    def periods(self) -> list:
        """The chosen plan's periods, in order."""
        return self._once("periods", lambda: ReportingPeriod.objects.filter(plan=self.plan).order_by("start")
                          if self.plan is not None else [])

    @property
    def focus_areas(self) -> list:
        return self._once("focus_areas", lambda: FocusArea.objects.filter(plan=self.plan).order_by("number")
                          if self.plan is not None else [])

    @property
    def cities(self) -> list:
        """Every city, past members too, by name."""
        return self._once("cities", lambda: City.objects.order_by("name"))

    def _chosen_plan(self, data):
        chosen = parse_id((data or {}).get("plan"))
        plan = next((plan for plan in self.plans if plan.pk == chosen), None) if chosen is not None else None
        return plan or current_plan_of(self.plans)

    def filters(self) -> dict:
        """The valid filters, with the plan always set (the current plan unless another is chosen)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        valid = {name: data.get(name) for name in self.fields if name not in self.errors}
        valid["plan"] = self.plan
        for name in ("period", "focus_area", "city"):
            valid.setdefault(name, None)
        for name in ("delivery_status", "state"):
            valid[name] = valid.get(name) or ""
        return valid


class ReviewForm(forms.Form):
    comment = forms.CharField(
        label=_("Comment to the delegate"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Required when you return the report; optional when you approve it."),
    )


class ReturnForm(ReviewForm):
    def clean_comment(self):
        comment = self.cleaned_data["comment"].strip()
        if not comment:
            raise forms.ValidationError(_("Say what needs to change: a comment is required to return a report."))
        return comment


class PointCitiesForm(forms.ModelForm):
    class Meta:
        model = ActionPoint
        fields = ["coordinating_city", "partner_cities"]
        widgets = {"partner_cities": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Cities that have left the network (Copenhagen, 2010) are not offered; one already on the point
        # stays listed so that saving the form does not drop it unasked.
        kept = set(self.instance.partner_cities.values_list("pk", flat=True)) if self.instance.pk else set()
        if self.instance.coordinating_city_id:
            kept.add(self.instance.coordinating_city_id)
        cities = City.objects.filter(Q(left__isnull=True) | Q(pk__in=kept)).order_by("name")
        self.fields["coordinating_city"].queryset = cities
        self.fields["partner_cities"].queryset = cities
        self.fields["partner_cities"].required = False

    def clean(self):
        data = super().clean()
        coordinator = data.get("coordinating_city")
        if coordinator is not None and coordinator in (data.get("partner_cities") or []):
            self.add_error("partner_cities", _("The coordinating city cannot also be a partner city."))
        return data


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%Y-%m-%d")


class PeriodForm(forms.ModelForm):
    class Meta:
        model = ReportingPeriod
        fields = ["label", "start", "end", "due_date"]
        widgets = {"start": DateInput, "end": DateInput, "due_date": DateInput}


class DraftPointForm(PointCitiesForm):
    """A draft plan's point: its text too, and its cities among the current members only."""

    class Meta(PointCitiesForm.Meta):
        fields = ["text", "coordinating_city", "partner_cities"]
        widgets = {**PointCitiesForm.Meta.widgets, "text": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        members = City.objects.filter(left__isnull=True).order_by("name")
        self.fields["coordinating_city"].queryset = members
        self.fields["partner_cities"].queryset = members


class FocusAreaForm(forms.ModelForm):
    class Meta:
        model = FocusArea
        fields = ["title"]


class SuccessorPlanForm(forms.Form):
    title = forms.CharField(label=_("Title of the new plan"), max_length=200)
    first_year = forms.IntegerField(label=_("First year"), min_value=1990, max_value=2100)
    last_year = forms.IntegerField(label=_("Last year"), min_value=1990, max_value=2100)

    def clean_title(self):
        title = self.cleaned_data["title"].strip()
        if ActionPlan.objects.filter(title__iexact=title).exists():
            raise forms.ValidationError(_("A plan with this title already exists."))
        return title

    def clean(self):
        data = super().clean()
        if data.get("first_year") and data.get("last_year") and data["last_year"] < data["first_year"]:
            self.add_error("last_year", _("The last year cannot come before the first year."))
        return data


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["role", "city"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.order_by("name")
        self.fields["city"].help_text = _("Leave empty for the Secretariat and the Chair.")


class PeopleFilterForm(forms.Form):
    never_logged_in = forms.BooleanField(label=_("Only people who have never logged in"), required=False)
    city = forms.ModelChoiceField(City.objects.order_by("name"), label=_("City"), required=False, empty_label=_("All"),
                                  widget=FastSelect)
    role = forms.ChoiceField(choices=ANY + list(Membership._meta.get_field("role").choices), label=_("Role"),
                             widget=FastSelect,
                             required=False)


class InvitationForm(forms.ModelForm):
    class Meta:
        model = Invitation
        fields = ["email", "first_name", "last_name", "role", "city", "language"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = INVITABLE_ROLES
        self.fields["city"].queryset = City.objects.filter(left__isnull=True).order_by("name")
        self.fields["language"].help_text = _("The invitation email is written in this language.")

    def clean_email(self):
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _("Somebody with this email already has an account; change their role on their page.")
            )
        return email

    def _post_clean(self):
        # The token and expiry are the service's business; only the fields above are checked here.
        pass
