from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Indicator, IndicatorValue


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
