"""The engine's default schedule, in the database so the Secretariat can change it in the admin.

Celery's crontab needs both the day of the month and the day of the week to match, so days 1–7 and
Monday together mean the first Monday of the month.
"""

from django.db import migrations

DIGESTS = "Mayors' digests (first Monday of the month)"
REMINDERS = "Reminders to delegates (daily)"
SWEEP = "Digests and reminders: requeue pending deliveries"


def create_schedules(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    IntervalSchedule = apps.get_model("django_celery_beat", "IntervalSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    first_monday, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="8", day_of_month="1-7", month_of_year="*", day_of_week="1", timezone="Europe/Stockholm",
    )
    every_morning, _ = CrontabSchedule.objects.get_or_create(
        minute="0", hour="7", day_of_month="*", month_of_year="*", day_of_week="*", timezone="Europe/Stockholm",
    )
    every_five_minutes, _ = IntervalSchedule.objects.get_or_create(every=300, period="seconds")
    PeriodicTask.objects.get_or_create(
        name=DIGESTS, defaults={"task": "digests.tasks.fan_out_digests", "crontab": first_monday},
    )
    PeriodicTask.objects.get_or_create(
        name=REMINDERS, defaults={"task": "digests.tasks.fan_out_reminders", "crontab": every_morning},
    )
    PeriodicTask.objects.get_or_create(
        name=SWEEP, defaults={"task": "digests.tasks.sweep_deliveries", "interval": every_five_minutes},
    )


def remove_schedules(apps, schema_editor):
    apps.get_model("django_celery_beat", "PeriodicTask").objects.filter(name__in=[DIGESTS, REMINDERS, SWEEP]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("digests", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create_schedules, remove_schedules)]
