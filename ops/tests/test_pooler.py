"""The portal behind PgBouncer in transaction mode (DATABASE_POOLER=transaction), against a real PgBouncer:
a connection is someone else's after each transaction, so row locks, races and streamed exports must still
hold — one winner among racing saves, one history row, the whole export."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg2
import pytest
from django.db import connection

from reports.models import ProgressReport
from testing.services import BASE_DIR, free_port, port_open, wait_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

PGBOUNCER = shutil.which("pgbouncer") or "/usr/sbin/pgbouncer"
THREADS = 8
ROUNDS = 10


@pytest.fixture
def pgbouncer(postgres):
    if not os.path.exists(PGBOUNCER):
        from conftest import service_required

        service_required("PgBouncer", "the pgbouncer package is not installed (apt-get install pgbouncer)")
    port = free_port()
    folder = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    db = connection.settings_dict
    (folder / "users.txt").write_text('"postgres" ""\n')
    # Fewer server connections than racing clients: PgBouncer hands them round per transaction.
    (folder / "pgbouncer.ini").write_text(f"""[databases]
* = host={db['HOST'] or '127.0.0.1'} port={db['PORT'] or 5432}
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = {port}
unix_socket_dir =
auth_type = trust
auth_file = {folder / 'users.txt'}
admin_users = postgres
pool_mode = transaction
default_pool_size = 3
max_client_conn = 100
ignore_startup_parameters = extra_float_digits,options
logfile = {folder / 'pgbouncer.log'}
""")
    shutil.chown(folder, "postgres") if os.geteuid() == 0 else None
    for child in folder.iterdir():
        shutil.chown(child, "postgres") if os.geteuid() == 0 else None
    command = [PGBOUNCER, str(folder / "pgbouncer.ini")]
    if os.geteuid() == 0:  # PgBouncer refuses to run as root
        command[1:1] = ["-u", "postgres"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    try:
        wait_for(lambda: port_open("127.0.0.1", port) or process.poll() is not None, timeout=20,
                 message="PgBouncer to listen")
        assert process.poll() is None, process.stderr.read().decode()
        yield port
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


def _transactions_through(port: int, database: str) -> int:
    admin = psycopg2.connect(host="127.0.0.1", port=port, user="postgres", dbname="pgbouncer")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute("SHOW STATS")
        names = [column.name for column in cursor.description]
        rows = [dict(zip(names, row)) for row in cursor.fetchall()]
    admin.close()
    return sum(row["total_xact_count"] for row in rows if row["database"] == database)


def test_racing_saves_and_a_streamed_export_through_pgbouncer_in_transaction_mode(
    pgbouncer, assigned, periods, cities, alice,
):
    database = connection.settings_dict["NAME"]
    env = {**os.environ, "DATABASE_URL": f"postgres://postgres@127.0.0.1:{pgbouncer}/{database}",
           "DATABASE_POOLER": "transaction", "DEBUG": "1", "CACHE_URL": ""}
    slots = [(point, period) for point in assigned.values() for period in periods.values()]
    reports = [ProgressReport.objects.create(action_point=point, city=cities["riga"], period=period,
                                             summary="The draft as it was.")
               for (point, period), _ in zip(slots, range(ROUNDS))]
    history_before = ProgressReport.history.count()

    finished = subprocess.run(
        [sys.executable, "-m", "ops.tests.pooler_probe", ",".join(str(r.pk) for r in reports), str(alice.pk),
         str(THREADS)], cwd=BASE_DIR, env=env, capture_output=True, timeout=300)
    assert finished.returncode == 0, finished.stderr.decode()[-3000:]
    seen = json.loads(finished.stdout.decode().strip().splitlines()[-1])

    assert seen["conn_max_age"] == 0 and seen["server_side_cursors_disabled"]
    assert len(seen["rounds"]) == ROUNDS
    for round_, outcomes in enumerate(seen["rounds"]):
        assert outcomes.count("saved") == 1, f"round {round_}: {outcomes}"
        assert set(outcomes) == {"saved", "ReportConflict"}, f"round {round_}: {outcomes}"
    for report in reports:
        report.refresh_from_db()
        assert report.summary.startswith("Saved by thread ")
    assert ProgressReport.history.count() == history_before + ROUNDS  # one history row per winner
    # Header plus one line per report: the export streamed to the end through the pooler.
    assert seen["csv_lines"] == 1 + ProgressReport.objects.count()
    assert _transactions_through(pgbouncer, database) > ROUNDS * THREADS
