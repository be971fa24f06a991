from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import CityTarget, Indicator, IndicatorValue, NetworkTarget


@admin.register(Indicator)
class IndicatorAdmin(SimpleHistoryAdmin):
    list_display = ["name", "unit", "higher_is_better", "first_year", "last_year"]
    filter_horizontal = ["action_points"]
    search_fields = ["name"]


@admin.register(IndicatorValue)
class IndicatorValueAdmin(SimpleHistoryAdmin):
    list_display = ["indicator", "city", "year", "value", "source"]
    list_filter = ["indicator", "city", "year"]
    list_select_related = ["indicator", "city"]


class _VersionedAdmin(SimpleHistoryAdmin):
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        if change:  # so that a portal form opened before this change notices it
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(CityTarget)
class CityTargetAdmin(_VersionedAdmin):
    list_display = ["indicator", "city", "baseline_year", "baseline_value", "target_year", "target_value"]
    list_filter = ["indicator", "city"]
    list_select_related = ["indicator", "city"]


@admin.register(NetworkTarget)
class NetworkTargetAdmin(_VersionedAdmin):
    list_display = ["indicator", "target_year", "target_value"]
    list_select_related = ["indicator"]
