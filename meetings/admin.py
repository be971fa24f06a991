from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import AgendaItem, Attendance, Meeting, MeetingDocument, Resolution


class AgendaItemInline(admin.TabularInline):
    model = AgendaItem
    extra = 0


class AttendanceInline(admin.TabularInline):
    model = Attendance
    extra = 0


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["title", "kind", "date", "host_city"]
    list_filter = ["kind", "host_city"]
    list_select_related = ["host_city"]
    readonly_fields = ["version"]
    inlines = [AgendaItemInline, AttendanceInline]


@admin.register(AgendaItem)
class AgendaItemAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "number", "title"]
    list_select_related = ["meeting"]


@admin.register(Attendance)
class AttendanceAdmin(SimpleHistoryAdmin):
    list_display = ["meeting", "city", "status", "representatives"]
    list_filter = ["status", "city"]
    list_select_related = ["meeting", "city"]


@admin.register(MeetingDocument)
class MeetingDocumentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "meeting", "added_by", "added_at"]
    list_select_related = ["meeting", "added_by"]


@admin.register(Resolution)
class ResolutionAdmin(SimpleHistoryAdmin):
    list_display = ["title", "meeting"]
    list_select_related = ["meeting"]
    readonly_fields = ["version"]
    filter_horizontal = ["plans", "action_points"]
