import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _empty_cache():
    """The dashboard caches rendered fragments; each test starts from an empty cache (the database is
    rolled back between tests, so ids, and with them cache keys, may come round again)."""
    cache.clear()
    yield
    cache.clear()
