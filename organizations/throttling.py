"""Login throttling: after `limit` failed attempts for one account or from one address
within `window` seconds, every attempt (even with the right password) is refused for
`lockout` seconds.

Counters live in the cache passed in: the shared Django cache (Redis when REDIS_URL is
set), so every web process sees the same counts. Pure apart from that cache.
"""

import hashlib
import time
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Policy:
    limit: int
    window: int
    lockout: int

    @classmethod
    def from_settings(cls) -> "Policy":
        return cls(
            limit=settings.LOGIN_FAILURE_LIMIT,
            window=settings.LOGIN_FAILURE_WINDOW_SECONDS,
            lockout=settings.LOGIN_LOCKOUT_SECONDS,
        )


def _now() -> float:
    return time.time()


def _keys(username: str, ip: str | None) -> list[str]:
    keys = []
    if username:
        digest = hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]
        keys.append(f"login-throttle:account:{digest}")
    if ip:
        keys.append(f"login-throttle:ip:{ip}")
    return keys


def locked_until(cache, username: str, ip: str | None, *, now: float | None = None) -> float:
    """When the lockout for this account or address ends (0.0: not locked)."""
    now = _now() if now is None else now
    ends = [cache.get(f"{key}:locked") or 0.0 for key in _keys(username, ip)]
    latest = max(ends, default=0.0)
    return latest if latest > now else 0.0


def register_failure(
    cache, username: str, ip: str | None, policy: Policy, *, now: float | None = None
) -> bool:
    """Count one failed attempt; True when it locks the account or the address."""
    now = _now() if now is None else now
    locked = False
    for key in _keys(username, ip):
        # The window starts at the first failure; incr keeps the key's expiry.
        cache.add(key, 0, timeout=policy.window)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=policy.window)
            count = 1
        if count >= policy.limit:
            cache.set(f"{key}:locked", now + policy.lockout, timeout=policy.lockout)
            cache.delete(key)
            locked = True
    return locked


def register_success(cache, username: str) -> None:
    """A successful login clears the account's count (not the address's)."""
    cache.delete_many(_keys(username, None))


def reset(cache, username: str, ip: str | None) -> None:
    keys = _keys(username, ip)
    cache.delete_many([*keys, *(f"{key}:locked" for key in keys)])
