"""Fixtures shared by every app's tests: the network's people, cities and the 2011–2012 plan."""

import os
import socket

import pytest
from django.conf import settings
from django.db import connection


def service_required(name: str, reason: str):
    """Skip when a service is absent, but fail under REQUIRE_SERVICES=1 (CI never skips)."""
    if os.environ.get("REQUIRE_SERVICES") == "1":
        pytest.fail(f"{name} is required (REQUIRE_SERVICES=1) but {reason}")
    pytest.skip(f"{name} is not available: {reason}")


def port_open(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing():
    # MD5 for speed; PBKDF2 too, for passwords that server processes (end-to-end tests) must verify.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]


@pytest.fixture(autouse=True, scope="session")
def _compiled_catalogues():
    """`make setup` compiles the translation catalogues; a checkout where it never ran has no .mo files,
    so they are compiled here. A stale one is left for baltmet/tests/test_catalogues.py to report."""
    from baltmet.catalogues import compile_all, sources

    if any(not path.with_suffix(".mo").exists() for path in sources()):
        compile_all()


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: ids come round again when the database is rolled back."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def postgres(db):
    if connection.vendor != "postgresql":
        pytest.skip("this test exercises PostgreSQL itself; run with DATABASE_URL=postgres://…")
    return connection


pytest_plugins = ["testing.fixtures", "testing.services"]


# CI runs the PostgreSQL suite in two halves side by side (.ci/run): TEST_HALF=slow takes the browser,
# server and page-sweep tests, which mostly wait; TEST_HALF=rest takes everything else. Unset: all.
SLOW_HALF = ("e2e/", "ops/", "baltmet/tests/test_url_permissions.py", "baltmet/tests/test_fuzz_forms.py")


def pytest_collection_modifyitems(config, items):
    half = os.environ.get("TEST_HALF", "")
    if half not in ("slow", "rest"):
        return
    keep, drop = [], []
    for item in items:
        (keep if item.nodeid.startswith(SLOW_HALF) == (half == "slow") else drop).append(item)
    config.hook.pytest_deselected(items=drop)
    items[:] = keep
