from django.contrib.admin.apps import AdminConfig


class BaltMetAdminConfig(AdminConfig):
    default_site = "baltmet.admin_site.BaltMetAdminSite"


class ReadOnlyAdminMixin:
    """For records the admin only reads: the services write them, with their rules and history."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
