from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ProgressReport, ReportingPeriod


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(SimpleHistoryAdmin):
    list_display = ["label", "plan", "start", "end", "due_date", "is_closed"]
    list_filter = ["plan", "is_closed"]


@admin.register(ProgressReport)
class ProgressReportAdmin(SimpleHistoryAdmin):
    list_display = ["action_point", "city", "period", "delivery_status", "state", "submitted_at"]
    list_filter = ["period__plan", "period", "state", "delivery_status", "city"]
    list_select_related = ["action_point__focus_area", "city", "period"]
    raw_id_fields = ["action_point", "submitted_by", "reviewed_by"]
