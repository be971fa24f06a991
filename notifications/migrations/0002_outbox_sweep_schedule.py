"""Formerly created the outbox sweep's schedule; it is defined in baltmet/schedules.py now, which
creates it after every migrate."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = []
