from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from simple_history.admin import SimpleHistoryAdmin

from cities.models import Membership

from .models import User


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
