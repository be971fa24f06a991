from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PublicConfig(AppConfig):
    name = "transparency"
    label = "transparency"
    verbose_name = _("Public pages and open data")
