from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import RecoveryCode, RecoveryCodes


class ReadOnly(SimpleHistoryAdmin):
    """Recovery codes are made and used only through the portal's pages (their digests mean nothing
    to read); the admin shows them and their history, and may delete a set."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class RecoveryCodeInline(admin.TabularInline):
    model = RecoveryCode
    fields = ["used_at"]
    readonly_fields = ["used_at"]
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(RecoveryCodes)
class RecoveryCodesAdmin(ReadOnly):
    list_display = ["user", "created"]
    search_fields = ["user__username", "user__email"]
    inlines = [RecoveryCodeInline]


@admin.register(RecoveryCode)
class RecoveryCodeAdmin(ReadOnly):
    list_display = ["device", "used_at"]
    list_select_related = ["device__user"]
    fields = ["device", "used_at"]
