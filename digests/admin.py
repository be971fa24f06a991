from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DigestSubscription, ReminderItem


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(SimpleHistoryAdmin):
    list_display = ["user", "frequency", "updated"]
    list_filter = ["frequency"]
    search_fields = ["user__username", "user__email", "user__last_name"]
    raw_id_fields = ["user"]


@admin.register(ReminderItem)
class ReminderItemAdmin(SimpleHistoryAdmin):
    list_display = ["recipient", "stage", "action_point", "city", "period", "message"]
    list_filter = ["stage", "period"]
    raw_id_fields = ["message", "recipient", "action_point", "city", "period"]
    list_select_related = ["recipient", "action_point__focus_area", "city", "period", "message"]
