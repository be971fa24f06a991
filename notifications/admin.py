from django.contrib import admin

from .models import OutboxMessage


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    """The delivery log: every email the portal sent or is sending, whatever its kind."""

    list_display = ["kind", "to", "subject", "status", "attempts", "created", "sent_at", "failed_at"]
    list_filter = ["kind", "status"]
    search_fields = ["to", "subject", "key", "recipient__username"]
    list_select_related = ["recipient"]
    date_hierarchy = "created"
    readonly_fields = [f.name for f in OutboxMessage._meta.fields]

    def has_add_permission(self, request):
        return False
