from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class BaltMetAdminSite(admin.AdminSite):
    site_header = _("BaltMet portal administration")
    site_title = _("BaltMet admin")

    def has_permission(self, request):
        from cities.roles import roles_of

        # The Secretariat reaches the admin by its role; no separate staff flag to keep in step.
        user = request.user
        return user.is_active and (user.is_staff or roles_of(user).is_secretariat)
