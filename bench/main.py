"""bench/run's driver: fresh PostgreSQL databases at each scale, generated data, page measurements, the
digest run and the load test, then the table and the JSON under bench/results/.

Every measuring step runs in its own process with the environment of a production instance (DEBUG off),
pointed at the database of its scale. Only databases named baltmet_bench_* and Redis DB 9 are touched.
"""

import argparse
import json
import os
import platform
import secrets
import subprocess
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

from bench import report

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
WORK = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results"
TEMPLATE = "baltmet_bench_template"


def log(message):
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def environment(options, database: str) -> dict:
    return {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": options.secret_key,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "SITE_URL": "http://127.0.0.1:8000",
        # Plain HTTP on localhost: no TLS redirect, no secure-only cookies.
        "SECURE_SSL_REDIRECT": "0", "SESSION_COOKIE_SECURE": "0", "CSRF_COOKIE_SECURE": "0", "SECURE_HSTS_SECONDS": "0",
        "DATABASE_URL": f"{options.postgres}/{database}",
        "REDIS_URL": options.redis,
        "EMAIL_URL": f"smtp://127.0.0.1:{options.smtp_port}",
        "STATIC_ROOT": str(WORK / "static"),
        "MEDIA_ROOT": str(WORK / "media"),
        "LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }


def optional_step(args, env, out: Path) -> dict:
    """Run a measuring step whose failure should show in the table rather than end the benchmark."""
    out.unlink(missing_ok=True)
    try:
        run(args, env)
    except subprocess.CalledProcessError as error:
        log(f"{args[2]} failed with exit status {error.returncode}")
    if not out.exists():
        return {"available": False, "reason": f"{args[2]} failed before writing its results (see above)"}
    return json.loads(out.read_text())


def database_name(scale: str) -> str:
    return f"baltmet_bench_{scale.replace('.', '_')}"


def run(args, env, **kwargs):
    return subprocess.run(args, cwd=ROOT, env=env, check=True, **kwargs)


def fresh_database(options, name: str, *, template: str | None = None):
    """Drop and create `name`, as a copy of `template` (an already migrated empty database) if given."""
    for database in (name, template or "baltmet_bench_"):
        if not database.startswith("baltmet_bench_"):
            raise SystemExit(f"Refusing to touch database {database}: only baltmet_bench_* are the benchmark's.")
    import psycopg2

    connection = psycopg2.connect(f"{options.postgres}/postgres")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    connection.close()


def vacuum_analyze(options, name: str):
    import psycopg2

    connection = psycopg2.connect(f"{options.postgres}/{name}")
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    connection.close()


def machine(env) -> dict:
    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    memory = ""
    try:
        kb = int(next(line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")))
        memory = f"{kb / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    versions = subprocess.run(
        [PYTHON, "-c", "import django, sys; from django.db import connection; django.setup(); "
         "c = connection.cursor(); c.execute('SHOW server_version'); "
         "print(django.get_version(), c.fetchone()[0], sep='|')"],
        cwd=ROOT, env={**env, "DJANGO_SETTINGS_MODULE": "baltmet.settings"}, capture_output=True, text=True,
    ).stdout.strip().split("|")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True,
                            text=True).stdout.strip()
    return {
        "cpu": cpu, "cpus": os.cpu_count(), "memory": memory, "os": platform.platform(),
        "python": platform.python_version(), "django": versions[0] if versions else "",
        "postgresql": versions[1] if len(versions) > 1 else "", "commit": commit,
        "load_average_at_start": os.getloadavg(),
    }


def main():
    parser = argparse.ArgumentParser(description="Benchmark the portal at two data sizes (see docs/performance.md).")
    parser.add_argument("--scales", nargs="+", default=["1", "10"])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=25,
                        help="Timed requests per page and scale, one per round, pages and scales interleaved.")
    parser.add_argument("--recipients", type=int, default=1000)
    parser.add_argument("--load-seconds", type=int, default=30, help="How long the load test runs.")
    parser.add_argument("--skip-digest", action="store_true")
    parser.add_argument("--skip-load", action="store_true")
    parser.add_argument("--reuse", action="store_true", help="Keep the databases of a previous run (no regeneration).")
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--redis", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/9"))
    parser.add_argument("--smtp-port", type=int, default=int(os.environ.get("BENCH_SMTP_PORT", "8125")))
    options = parser.parse_args()
    options.secret_key = secrets.token_urlsafe(50)
    WORK.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    started = time.perf_counter()

    first_env = environment(options, database_name(options.scales[0]))
    log("collecting static files")
    run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], first_env)
    results = {"started": datetime.now(timezone.utc).isoformat(timespec="seconds"), "seed": options.seed,
               "scales": []}

    if not options.reuse:
        # Migrated once, then copied for every scale.
        log(f"migrating an empty database {TEMPLATE}")
        fresh_database(options, TEMPLATE)
        run([PYTHON, "manage.py", "migrate", "--noinput", "-v0"], environment(options, TEMPLATE))
    for scale in options.scales:
        database = database_name(scale)
        env = environment(options, database)
        entry = {"scale": scale, "database": database}
        if not options.reuse:
            log(f"scale {scale}: fresh database {database} (a copy of {TEMPLATE})")
            fresh_database(options, database, template=TEMPLATE)
            log(f"scale {scale}: generate_load_data --scale {scale} --seed {options.seed}")
            begin = time.perf_counter()
            run([PYTHON, "manage.py", "generate_load_data", "--scale", scale, "--seed", str(options.seed)], env)
            entry["generate_s"] = round(time.perf_counter() - begin, 1)
            # Fresh planner statistics, as autovacuum would gather after an import (docs/performance.md).
            vacuum_analyze(options, database)
        results["scales"].append(entry)

    log("measuring pages at every scale, interleaved")
    out = WORK / "pages.json"
    run([PYTHON, "-m", "bench.pages", "--out", str(out), "--rounds", str(options.rounds),
         *[arg for entry in results["scales"] for arg in ("--db", f"{entry['scale']}={entry['database']}")]],
        {**first_env, "DJANGO_SETTINGS_MODULE": "bench.settings"})
    measured = json.loads(out.read_text())
    for entry in results["scales"]:
        entry.update(measured[entry["scale"]])

    largest = results["scales"][-1]
    env = environment(options, largest["database"])
    results["machine"] = machine(env)
    if not options.skip_digest:
        log(f"digest run for {options.recipients} recipients at scale {largest['scale']}")
        out = WORK / "digest.json"
        results["digest"] = {"scale": largest["scale"], **optional_step(
            [PYTHON, "-m", "bench.digest_run", "--recipients", str(options.recipients), "--out", str(out)], env, out,
        )}
    if not options.skip_load:
        log(f"load test at scale {largest['scale']}")
        out = WORK / "load.json"
        results["load"] = {"scale": largest["scale"], **optional_step(
            [PYTHON, "-m", "bench.load", "--out", str(out), "--seconds", str(options.load_seconds)], env, out,
        )}

    results["total_s"] = round(time.perf_counter() - started, 1)
    report.evaluate(results)
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for path in (RESULTS / f"bench-{stamp}.json", RESULTS / "latest.json"):
        path.write_text(json.dumps(results, indent=2, default=str) + "\n")
    print()
    print(report.table(results))
    print(f"\nWritten to bench/results/bench-{stamp}.json (and latest.json) in {results['total_s']} s.")
    return 0 if results["all_budgets_met"] else 1


if __name__ == "__main__":
    sys.exit(main())
