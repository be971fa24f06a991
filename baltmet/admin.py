from django.contrib.admin.apps import AdminConfig


class BaltMetAdminConfig(AdminConfig):
    default_site = "baltmet.admin_site.BaltMetAdminSite"
