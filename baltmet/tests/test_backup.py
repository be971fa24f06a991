"""The README's backup procedure: a pg_dump restored into an empty database keeps every report
and its whole history."""

import shutil
import subprocess

import pytest
from django.conf import settings

from conftest import service_required
from reports.models import ProgressReport


@pytest.mark.django_db(transaction=True)
def test_a_dump_restored_into_an_empty_database_keeps_reports_and_history(postgres, riga_report, alice, tmp_path):
    if not (shutil.which("pg_dump") and shutil.which("pg_restore")):
        service_required("pg_dump", "PostgreSQL's client tools are not installed")
    import psycopg2

    riga_report.summary = "Edited once"
    riga_report.save()
    riga_report.summary = "Edited twice"
    riga_report.save()
    db = settings.DATABASES["default"]
    conn = dict(host=db.get("HOST") or "127.0.0.1", port=str(db.get("PORT") or 5432), user=db.get("USER") or "postgres")
    args = ["-h", conn["host"], "-p", conn["port"], "-U", conn["user"]]
    dump, restored = tmp_path / "baltmet.dump", f"{db['NAME']}_restored"

    subprocess.run(["pg_dump", *args, "--format=custom", "--file", str(dump), db["NAME"]], check=True)
    subprocess.run(["dropdb", *args, "--if-exists", restored], check=True)
    subprocess.run(["createdb", *args, restored], check=True)
    try:
        subprocess.run(["pg_restore", *args, "--no-owner", "--dbname", restored, str(dump)], check=True)
        with psycopg2.connect(dbname=restored, **conn) as copy, copy.cursor() as cursor:
            cursor.execute("SELECT id, summary, version FROM reports_progressreport ORDER BY id")
            reports = cursor.fetchall()
            cursor.execute("SELECT id, summary, history_type FROM reports_historicalprogressreport ORDER BY history_id")
            history = cursor.fetchall()
        copy.close()
    finally:
        subprocess.run(["dropdb", *args, "--if-exists", restored], check=True)

    assert reports == [(r.pk, r.summary, r.version) for r in ProgressReport.objects.order_by("pk")]
    assert history == [
        (h.id, h.summary, h.history_type) for h in ProgressReport.history.order_by("history_id")
    ]
    assert [h[1] for h in history] == ["First draft.", "Edited once", "Edited twice"]
