from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from baltmet.admin import ReadOnlyAdminMixin

from .models import Evidence, PointPeriodStatus, ProgressReport, ReportingPeriod


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


@admin.register(Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "report", "content_type", "size", "added_by", "added_at"]
    list_select_related = ["report__action_point__focus_area", "report__city", "report__period", "added_by"]
    raw_id_fields = ["report", "added_by"]
    search_fields = ["title", "url", "file"]


@admin.register(PointPeriodStatus)
class PointPeriodStatusAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """Read-only here: a point's status for a period is confirmed on its roll-up page
    (reports.services.confirm_point_status), where the version check, the reason and who-may rules apply."""

    list_display = ["action_point", "period", "status", "confirmed_by", "confirmed_at"]
    list_filter = ["period__plan", "period", "status"]
    list_select_related = ["action_point__focus_area", "period", "confirmed_by"]
