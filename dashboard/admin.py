from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Invitation


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["email", "role", "city", "invited_by", "created", "expires_at", "used_at", "revoked"]
    list_filter = ["role", "city", "revoked"]
    readonly_fields = ["token_hash", "created", "used_at", "user"]
    raw_id_fields = ["invited_by"]
