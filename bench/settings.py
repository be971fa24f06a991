"""The portal's own settings, plus the benchmark's trivial view (only in the benchmark process)."""

from baltmet.settings import *  # noqa: F403
from baltmet.settings import ALLOWED_HOSTS

ROOT_URLCONF = "bench.urls"
# Django's test client calls itself "testserver".
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]
