"""Short-timeout Redis clients for the probes and metrics: an unreachable server answers in half a second."""

from functools import lru_cache

from django.conf import settings


@lru_cache(maxsize=4)
def _client(url: str):
    import redis

    return redis.Redis.from_url(url, socket_timeout=0.5, socket_connect_timeout=0.5)


def broker_redis():
    """The broker's Redis, or None with the filesystem broker (development)."""
    return _client(settings.REDIS_URL) if settings.REDIS_URL else None
