from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from baltmet.admin import ReadOnlyAdminMixin

from .models import ConsentRequest, Decision, Initiative


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = ["title", "plan", "action_point", "proposing_city", "state"]
    list_filter = ["plan", "state", "proposing_city"]
    # The consent workflow (initiatives.services) owns these; editing them here would bypass it.
    readonly_fields = ["state", "version", "decided_at"]
    list_select_related = ["plan", "action_point__focus_area", "proposing_city"]
    filter_horizontal = ["involved_cities"]


@admin.register(ConsentRequest)
class ConsentRequestAdmin(SimpleHistoryAdmin):
    list_display = ["initiative", "city", "expected_cost", "currency", "answer", "answered_by", "answered_at"]
    list_filter = ["answer", "city"]
    list_select_related = ["initiative", "city", "answered_by"]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """The record of decisions is append-only: the admin reads it, the services write it."""

    list_display = ["initiative", "kind", "city", "user", "at", "version"]
    list_filter = ["kind"]
    list_select_related = ["initiative", "city", "user"]
