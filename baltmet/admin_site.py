from django.contrib import admin
from django.utils.translation import gettext_lazy as _


class BaltMetAdminSite(admin.AdminSite):
    site_header = _("BaltMet portal administration")
    site_title = _("BaltMet admin")

    def has_permission(self, request):
        from cities.roles import roles_of

        # The Secretariat reaches the admin by its role; no separate staff flag to keep in step.
        user = request.user
        # Only a session that passed the second factor (twofactor/middleware.py sends the others to it).
        verified = getattr(user, "is_verified", lambda: False)()
        return user.is_active and verified and (user.is_staff or roles_of(user).is_secretariat)

    def login(self, request, extra_context=None):
        # One way in, with its second factor and its throttle: the portal's login page.
        from django.contrib.auth.views import redirect_to_login
        from django.urls import reverse

        return redirect_to_login(request.GET.get("next") or reverse("admin:index", current_app=self.name))
