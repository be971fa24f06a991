"""Run by test_pooler.py in a process of its own, connected through PgBouncer (transaction mode) with the
portal's pooler settings: races saves of each report it is given, streams the CSV export, and prints what happened."""

import json
import os
import sys

import django


def main(report_ids: list[int], user_id: int, threads: int) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "baltmet.settings")
    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model

    from dashboard.exports import reports_csv
    from reports import services
    from reports.models import ProgressReport
    from testing.races import race

    user = get_user_model().objects.get(pk=user_id)

    def save(report, n):
        def action():
            services.report_save(report=report, version=report.version, user=user,
                                 data={"summary": f"Saved by thread {n}.", "delivery_status": "on_track"})
            return "saved"
        return action

    rounds = []
    for report in ProgressReport.objects.filter(pk__in=report_ids).order_by("pk"):
        outcomes = race(*[save(report, n) for n in range(threads)])
        rounds.append([o if isinstance(o, str) else type(o).__name__ for o in outcomes])
    csv = b"".join(part if isinstance(part, bytes) else part.encode()
                   for part in reports_csv(ProgressReport.objects.order_by("pk")))
    print(json.dumps({
        "conn_max_age": settings.DATABASES["default"]["CONN_MAX_AGE"],
        "server_side_cursors_disabled": settings.DATABASES["default"].get("DISABLE_SERVER_SIDE_CURSORS", False),
        "rounds": rounds,
        "csv_lines": csv.decode("utf-8-sig").count("\n"),
    }))


if __name__ == "__main__":
    main([int(pk) for pk in sys.argv[1].split(",")], int(sys.argv[2]), int(sys.argv[3]))
