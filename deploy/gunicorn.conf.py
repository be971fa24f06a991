"""gunicorn's settings for the portal (deploy/systemd/baltmet-web@.service passes --config and --bind).

Sync workers behind nginx, which buffers slow clients: WEB_CONCURRENCY workers (default one per core, at
least two: the portal's pages spend most of their time in Python, and on a small machine more workers only
compete for the cores — docs/performance.md, the load test with 2, 3 and 5 workers).
The app is loaded once in the master, which builds what every worker would otherwise build on its first
requests (baltmet/warmup.py) before forking them: a worker replaced after max_requests starts warm.
Metrics are summed over the workers through PROMETHEUS_MULTIPROC_DIR, emptied at start."""

import glob
import multiprocessing
import os

workers = int(os.environ.get("WEB_CONCURRENCY", max(2, multiprocessing.cpu_count())))
worker_class = "sync"
preload_app = True
timeout = 60
graceful_timeout = 30
# A worker is replaced after this many requests (jittered, so not all at once): no slow leak lives long.
max_requests = 2000
max_requests_jitter = 200
# nginx writes the access log (with the request id); the portal's own lines go to stderr as JSON.
accesslog = None
errorlog = "-"
# Only the local nginx's X-Forwarded-* headers are believed.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")


def on_starting(server):
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        os.makedirs(directory, exist_ok=True)
        for path in glob.glob(os.path.join(directory, "*.db")):
            os.remove(path)  # the previous run's workers are gone


def when_ready(server):
    # In the master, after the app is loaded and before any worker is forked. No database connection is
    # opened here (a connection made before the fork would be shared by the workers).
    from django.db import connections

    from baltmet.warmup import warm

    server.log.info("warmed before forking the workers: %s", warm())
    connections.close_all()


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
