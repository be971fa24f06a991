from axes.backends import AxesStandaloneBackend
from django.contrib.auth.backends import ModelBackend

from cities.roles import roles_of

# The Secretariat runs the network: it may manage every record of these apps in the admin.
SECRETARIAT_APPS = {"accounts", "cities", "actions", "reports", "notifications", "digests", "initiatives", "indicators",
                    "dashboard",
                    "django_celery_beat"}


class RoleBackend(ModelBackend):
    """Model permissions that follow from a person's network role, not from per-user grants."""

    def has_perm(self, user_obj, perm, obj=None):
        if super().has_perm(user_obj, perm, obj):
            return True
        app_label = perm.split(".", 1)[0]
        return app_label in SECRETARIAT_APPS and roles_of(user_obj).is_secretariat

    def has_module_perms(self, user_obj, app_label):
        if super().has_module_perms(user_obj, app_label):
            return True
        return app_label in SECRETARIAT_APPS and roles_of(user_obj).is_secretariat


class LoginThrottleBackend(AxesStandaloneBackend):
    """django-axes' lockout check for logins that come from a request (the login page).

    A call to authenticate() without a request comes from code (a management command, the test
    client's login()), not from anyone on the network, so there is no address to throttle by.
    """

    def authenticate(self, request=None, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)
