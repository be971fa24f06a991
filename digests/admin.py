from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DigestDelivery, DigestSubscription, ReminderItem


@admin.register(DigestSubscription)
class DigestSubscriptionAdmin(SimpleHistoryAdmin):
    list_display = ["user", "frequency", "updated"]
    list_filter = ["frequency"]
    search_fields = ["user__username", "user__email", "user__last_name"]
    raw_id_fields = ["user"]


class ReminderItemInline(admin.TabularInline):
    model = ReminderItem
    extra = 0
    raw_id_fields = ["recipient", "action_point", "city", "period"]


@admin.register(DigestDelivery)
class DigestDeliveryAdmin(SimpleHistoryAdmin):
    list_display = ["recipient", "kind", "period_key", "copy", "status", "attempts", "sent_at", "failed_at"]
    list_filter = ["kind", "status", "period_key"]
    search_fields = ["recipient__username", "recipient__email", "to", "subject"]
    raw_id_fields = ["recipient"]
    list_select_related = ["recipient"]
    inlines = [ReminderItemInline]


@admin.register(ReminderItem)
class ReminderItemAdmin(SimpleHistoryAdmin):
    list_display = ["recipient", "stage", "action_point", "city", "period", "delivery"]
    list_filter = ["stage", "period"]
    raw_id_fields = ["delivery", "recipient", "action_point", "city", "period"]
    list_select_related = ["recipient", "action_point__focus_area", "city", "period", "delivery"]
