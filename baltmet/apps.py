from django.apps import AppConfig
from django.db.models.signals import post_migrate


class BaltMetConfig(AppConfig):
    """The project itself: its beat schedule (schedules.py) is brought in line after every migrate."""

    name = "baltmet"
    verbose_name = "BaltMet portal"

    def ready(self):
        from . import schedules

        post_migrate.connect(lambda sender, **kwargs: schedules.ensure() if sender.name == "django_celery_beat"
                             else None, weak=False, dispatch_uid="baltmet-schedules")
