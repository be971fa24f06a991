from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from baltmet.admin import ReadOnlyAdminMixin

from .models import ActionPlan, ActionPoint, FocusArea, Milestone


class FocusAreaInline(admin.StackedInline):
    model = FocusArea
    extra = 0


@admin.register(ActionPlan)
class ActionPlanAdmin(SimpleHistoryAdmin):
    list_display = ["title", "first_year", "last_year", "status"]
    list_filter = ["status"]
    inlines = [FocusAreaInline]


@admin.register(FocusArea)
class FocusAreaAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "plan"]
    list_filter = ["plan"]
    list_select_related = ["plan"]


@admin.register(ActionPoint)
class ActionPointAdmin(SimpleHistoryAdmin):
    list_display = ["number", "short_text", "coordinating_city", "status"]
    list_filter = ["focus_area__plan", "status", "coordinating_city"]
    list_select_related = ["focus_area", "coordinating_city"]
    filter_horizontal = ["partner_cities"]
    search_fields = ["text"]

    @admin.display(description="text")
    def short_text(self, point):
        return point.text[:80]


@admin.register(Milestone)
class MilestoneAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only here: milestones change on the action point's page (actions/milestones.py), where the
    version check and who-may rules apply."""

    list_display = ["title", "action_point", "due_date", "responsible_city", "done", "done_on"]
    list_filter = ["action_point__focus_area__plan", "done", "responsible_city"]
    list_select_related = ["action_point__focus_area", "responsible_city"]
    search_fields = ["title"]
