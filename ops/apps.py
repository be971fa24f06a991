from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the portal: health and readiness probes, metrics, request ids in logs and tasks, Sentry."""

    name = "ops"
    verbose_name = "Operations"

    def ready(self):
        from . import tasks_signals  # noqa: F401  (connects Celery's signals, in web processes and workers)
