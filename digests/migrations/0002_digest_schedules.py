"""Formerly created the digest and reminder schedules; they are defined in baltmet/schedules.py now,
which creates them after every migrate."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("digests", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = []
