from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from actions.models import ActionPoint
from reports.models import ProgressReport, WorkflowState

from .serializers import MAX_ID


class IdFilter(filters.NumberFilter):
    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


def _taking_part(queryset, slug):
    partnered = ActionPoint.partner_cities.through.objects.filter(city__slug=slug).values("actionpoint_id")
    return queryset.filter(Q(coordinating_city__slug=slug) | Q(pk__in=partnered))


class PointFilter(filters.FilterSet):
    plan = IdFilter(field_name="focus_area__plan_id", label=_("plan"))
    city = filters.CharFilter(method="taking_part", max_length=100,
                              label=_("Only points this city (its slug) coordinates or partners in"))

    class Meta:
        model = ActionPoint
        fields = ["plan", "city"]

    def taking_part(self, queryset, name, value):
        return _taking_part(queryset, value)


class NetworkPointFilter(PointFilter):
    mine = filters.BooleanFilter(method="of_mine", label=_("Only the points your cities take part in"))

    class Meta(PointFilter.Meta):
        fields = ["plan", "city", "mine"]

    def of_mine(self, queryset, name, value):
        if not value:
            return queryset
        from cities.roles import roles_of

        ids = roles_of(self.request.user).city_ids
        partnered = ActionPoint.partner_cities.through.objects.filter(city_id__in=ids).values("actionpoint_id")
        return queryset.filter(Q(coordinating_city_id__in=ids) | Q(pk__in=partnered))


class PeriodFilter(filters.FilterSet):
    plan = IdFilter(field_name="plan_id", label=_("plan"))


class ReportFilter(filters.FilterSet):
    plan = IdFilter(field_name="period__plan_id", label=_("plan"))
    period = IdFilter(field_name="period_id", label=_("reporting period"))
    city = filters.CharFilter(field_name="city__slug", max_length=100, label=_("city (its slug)"))
    state = filters.ChoiceFilter(choices=WorkflowState.choices, label=_("workflow state"))
    action_point = IdFilter(field_name="action_point_id", label=_("action point"))

    class Meta:
        model = ProgressReport
        fields = ["plan", "period", "city", "state", "action_point"]


class PublicProgressFilter(filters.FilterSet):
    plan = IdFilter(field_name="period__plan_id", label=_("plan"))
    period = IdFilter(field_name="period_id", label=_("reporting period"))
    city = filters.CharFilter(field_name="city__slug", max_length=100, label=_("city (its slug)"))
    action_point = IdFilter(field_name="action_point_id", label=_("action point"))

    class Meta:
        model = ProgressReport
        fields = ["plan", "period", "city", "action_point"]


class IndicatorValueFilter(filters.FilterSet):
    indicator = IdFilter(field_name="indicator_id", label=_("indicator"))
    city = filters.CharFilter(field_name="city__slug", max_length=100, label=_("city (its slug)"))
    year = IdFilter(field_name="year", max_value=9999, label=_("year"))
