"""The shared cache (Redis) with a local fallback.

While Redis is unreachable, each operation falls back to this process's own memory and
an error is logged (once a minute): login throttling keeps counting per process, cached
scores are computed again, and nobody gets a 500. Once Redis answers, it is used again
(counts made meanwhile stay local and expire).
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger("config.cache")

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
LOG_EVERY_SECONDS = 60
# RedisCache's own operations; the rest of BaseCache's (get_or_set, decr...) call these.
OPERATIONS = (
    "add", "get", "set", "touch", "delete", "get_many", "set_many", "delete_many",
    "has_key", "incr", "clear",
)  # fmt: skip


class RedisCacheWithLocalFallback(RedisCache):
    def __init__(self, server, params) -> None:
        super().__init__(server, params)
        self._local = LocMemCache(f"redis-fallback-{id(self)}", {})
        self._logged_at = float("-inf")

    def _fallback(self, operation: str, error: Exception):
        now = time.monotonic()
        if now - self._logged_at >= LOG_EVERY_SECONDS:
            self._logged_at = now
            logger.error(
                "Redis is unreachable (%s): the cache falls back to this process's memory",
                error,
            )
        return getattr(self._local, operation)


def _falling_back(operation: str):
    def method(self, *args, **kwargs):
        try:
            return getattr(RedisCache, operation)(self, *args, **kwargs)
        except UNREACHABLE as error:
            return self._fallback(operation, error)(*args, **kwargs)

    method.__name__ = operation
    return method


for _operation in OPERATIONS:
    setattr(RedisCacheWithLocalFallback, _operation, _falling_back(_operation))
