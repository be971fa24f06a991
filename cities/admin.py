from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ChairTerm, City, Membership


@admin.register(City)
class CityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "country", "joined", "left"]
    prepopulated_fields = {"slug": ["name"]}
    search_fields = ["name", "country"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "role", "city"]
    list_filter = ["role", "city"]
    list_select_related = ["user", "city"]
    autocomplete_fields = ["user", "city"]
    search_fields = ["user__username", "user__last_name", "user__email"]


@admin.register(ChairTerm)
class ChairTermAdmin(SimpleHistoryAdmin):
    list_display = ["city", "start", "end"]
    list_select_related = ["city"]
