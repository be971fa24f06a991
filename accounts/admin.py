from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from cities.models import Membership

from .models import Invitation, PasswordResetRequest, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    search_fields = ["username", "first_name", "last_name", "email"]
    list_display = ["username", "email", "first_name", "last_name", "is_active", "last_login"]
    list_filter = ["is_active", "memberships__role", "memberships__city"]
    fieldsets = DjangoUserAdmin.fieldsets + (("Preferences", {"fields": ["language", "time_zone"]}),)
    inlines = [MembershipInline]


@admin.register(Invitation)
class InvitationAdmin(SimpleHistoryAdmin):
    list_display = ["email", "role", "city", "invited_by", "created", "expires_at", "used_at", "revoked"]
    list_filter = ["role", "city", "revoked"]
    readonly_fields = ["token_hash", "created", "used_at", "user"]
    raw_id_fields = ["invited_by"]


@admin.register(PasswordResetRequest)
class PasswordResetRequestAdmin(admin.ModelAdmin):
    """The reset throttle's record (accounts/services.py): read only."""

    list_display = ["email", "client", "at"]
    search_fields = ["email", "client"]
    readonly_fields = ["email", "client", "at"]

    def has_add_permission(self, request):
        return False
