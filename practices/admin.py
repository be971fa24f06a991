from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ContactRequest, Practice, PracticeAttachment


@admin.register(Practice)
class PracticeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "city", "published_at", "updated"]
    list_filter = ["city"]
    list_select_related = ["city"]
    search_fields = ["title"]
    readonly_fields = ["version", "published_at", "published_by"]
    filter_horizontal = ["focus_areas", "action_points"]
    raw_id_fields = ["contact", "created_by"]


@admin.register(PracticeAttachment)
class PracticeAttachmentAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "practice", "added_by", "added_at"]
    list_select_related = ["practice", "added_by"]


@admin.register(ContactRequest)
class ContactRequestAdmin(SimpleHistoryAdmin):
    list_display = ["practice", "asked_by", "asking_city", "created"]
    list_select_related = ["practice", "asked_by", "asking_city"]

    # The record of who asked whom: read here, written by "Ask this city".
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
