"""Beat's schedule, in one place. It lives in the database (django-celery-beat), so the Secretariat can
change a time or switch a task off in the admin (Periodic tasks); after every `migrate`, `ensure()`
creates the entries missing by name and deletes the tasks of RETIRED_TASKS. An entry that exists is
left as it is (its time, its time zone): to stop one, disable it — a deleted or renamed one comes back
at the next deploy."""

from django.conf import settings

# name: (task, crontab fields or an interval in seconds)
SCHEDULES = {
    # Celery's crontab needs both the day of the month and the day of the week to match, so days 1–7
    # and Monday together mean the first Monday of the month.
    "Mayors' digests (first Monday of the month)": (
        "digests.tasks.fan_out_digests", {"minute": "0", "hour": "8", "day_of_month": "1-7", "day_of_week": "1"}),
    "Reminders to delegates (daily)": ("digests.tasks.fan_out_reminders", {"minute": "0", "hour": "7"}),
    "Send pending emails (outbox sweep)": ("notifications.tasks.sweep_outbox", 60),
}
# Tasks earlier releases scheduled.
RETIRED_TASKS = ["digests.tasks.sweep_deliveries"]


def ensure(**kwargs) -> None:
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    PeriodicTask.objects.filter(task__in=RETIRED_TASKS).delete()
    for name, (task, when) in SCHEDULES.items():
        if PeriodicTask.objects.filter(name=name).exists():
            continue  # kept as the Secretariat may have changed it
        if isinstance(when, int):
            schedule = {"interval": IntervalSchedule.objects.get_or_create(every=when, period="seconds")[0]}
        else:
            fields = {"day_of_month": "*", "month_of_year": "*", "day_of_week": "*", **when}
            schedule = {"crontab": CrontabSchedule.objects.get_or_create(**fields, timezone=settings.TIME_ZONE)[0]}
        PeriodicTask.objects.create(name=name, task=task, **schedule)
