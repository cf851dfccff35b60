"""Login throttling, counted three ways within `window` seconds of the first failure:

- per account: `limit` failures lock the account, from every address (an account under
  attack from many addresses);
- per (account, address) pair: `limit` failures lock that account from that address;
- per address: `address_limit` failures, whatever the accounts, lock the address for
  every account (an address-wide attack). It is higher than `limit`, so one person's
  typos in a shared office lock their own account only, not their colleagues'.

While locked, every attempt (even with the right password) is refused for `lockout`
seconds. From `warn_after` failures for an account, the login page warns how many
attempts are left before the account is locked.

Every attempt is counted *before* its password is checked (`count_attempt`, one atomic
increment per counter), and an attempt whose count passes a limit is refused without a
password check: however many attempts arrive at once, no more than `limit` passwords are
checked per account. A successful attempt then takes its counts back (`succeeded`); a
failed one keeps them and may lock (`failed`).

Counters live in the cache passed in: the shared Django cache (Redis when REDIS_URL is
set), so every web process, the login page and the API token endpoint see the same
counts. Pure apart from that cache.
"""

import contextlib
import hashlib
import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

ACCOUNT, PAIR, ADDRESS = "account", "pair", "address"


@dataclass(frozen=True)
class Policy:
    limit: int  # failures per account, and per (account, address) pair
    address_limit: int  # failures per address, whatever the accounts
    window: int
    lockout: int
    warn_after: int  # failures for an account from which the login page warns

    @classmethod
    def from_settings(cls) -> "Policy":
        return cls(
            limit=settings.LOGIN_FAILURE_LIMIT,
            address_limit=settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS,
            window=settings.LOGIN_FAILURE_WINDOW_SECONDS,
            lockout=settings.LOGIN_LOCKOUT_SECONDS,
            warn_after=settings.LOGIN_WARNING_AFTER,
        )

    @property
    def lockout_minutes(self) -> int:
        return max(1, round(self.lockout / 60))


@dataclass(frozen=True)
class Failure:
    """What one failed attempt led to."""

    locked: frozenset[str]  # the scopes (ACCOUNT, PAIR, ADDRESS) it locked just now
    account_failures: int  # failures for the account in the window, this one included
    attempts_left: int  # before the account is locked (0: locked now)
    warn: bool  # the login page should warn that the account will be locked


def _now() -> float:
    return time.time()


def _digest(username: str) -> str:
    return hashlib.sha256(username.strip().lower().encode()).hexdigest()[:32]


def _scopes(username: str, ip: str | None) -> list[tuple[str, str]]:
    """(scope, cache key) for each counter this attempt counts towards."""
    scopes = []
    if username:
        digest = _digest(username)
        scopes.append((ACCOUNT, f"login-throttle:account:{digest}"))
        if ip:
            scopes.append((PAIR, f"login-throttle:pair:{digest}:{ip}"))
    if ip:
        scopes.append((ADDRESS, f"login-throttle:ip:{ip}"))
    return scopes


def _keys(username: str, ip: str | None) -> list[str]:
    return [key for _, key in _scopes(username, ip)]


def locked_until(cache, username: str, ip: str | None, *, now: float | None = None) -> float:
    """When the lockout of this account, this (account, address) pair or this address
    ends (0.0: not locked)."""
    now = _now() if now is None else now
    ends = cache.get_many([f"{key}:locked" for key in _keys(username, ip)]).values()
    latest = max((end or 0.0 for end in ends), default=0.0)
    return latest if latest > now else 0.0


def _count(cache, key: str, window: int) -> int:
    # The window starts at the first failure; incr keeps the key's expiry.
    cache.add(key, 0, timeout=window)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        return 1


@dataclass(frozen=True)
class Attempt:
    """One login attempt, counted before its password is checked."""

    username: str
    ip: str | None
    counts: dict[str, tuple[str, int]]  # scope -> (cache key, count with this attempt)
    refused_until: float  # > 0: over a limit, refused without checking the password


def _limit(scope: str, policy: Policy) -> int:
    return policy.address_limit if scope == ADDRESS else policy.limit


def _lock(cache, key: str, policy: Policy, now: float) -> float:
    until = now + policy.lockout
    cache.set(f"{key}:locked", until, timeout=policy.lockout)
    # The count is kept (not reset) until the lockout ends: attempts arriving together
    # with this one keep counting past the limit and are refused, where a fresh count
    # would let another LOGIN_FAILURE_LIMIT passwords be checked.
    cache.touch(key, timeout=policy.lockout)
    return until


def count_attempt(
    cache, username: str, ip: str | None, policy: Policy, *, now: float | None = None
) -> Attempt:
    """Count an attempt towards the account, the pair and the address (atomically, before
    the password is checked). Past a limit the scope is locked and the attempt refused."""
    now = _now() if now is None else now
    counts = {}
    refused_until = 0.0
    for scope, key in _scopes(username, ip):
        ended = cache.get(f"{key}:locked")
        if ended is not None and ended <= now:
            # A lockout that has ended starts a new count.
            cache.delete_many([key, f"{key}:locked"])
        count = _count(cache, key, policy.window)
        counts[scope] = (key, count)
        if count > _limit(scope, policy):
            refused_until = max(refused_until, _lock(cache, key, policy, now))
    return Attempt(username, ip, counts, refused_until)


def succeeded(cache, attempt: Attempt) -> None:
    """The password was right: the account's counts are cleared (`register_success`) and
    the address gets this attempt back (its count is of failures only)."""
    register_success(cache, attempt.username, attempt.ip)
    if ADDRESS in attempt.counts:
        with contextlib.suppress(ValueError):  # expired or locked meanwhile
            cache.decr(attempt.counts[ADDRESS][0])


def register_failure(
    cache, username: str, ip: str | None, policy: Policy, *, now: float | None = None
) -> Failure:
    """Count one failed attempt towards the account, the pair and the address."""
    return failed(cache, count_attempt(cache, username, ip, policy, now=now), policy, now=now)


def failed(cache, attempt: Attempt, policy: Policy, *, now: float | None = None) -> Failure:
    """The password was wrong: the attempt's counts stay; a count at its limit locks."""
    now = _now() if now is None else now
    locked = set()
    account_failures = 0
    for scope, (key, count) in attempt.counts.items():
        if scope == ACCOUNT:
            account_failures = count
        if count >= _limit(scope, policy):
            if count == _limit(scope, policy):  # past it, count_attempt has locked
                _lock(cache, key, policy, now)
            locked.add(scope)
    attempts_left = 0 if ACCOUNT in locked else max(0, policy.limit - account_failures)
    return Failure(
        locked=frozenset(locked),
        account_failures=account_failures,
        attempts_left=attempts_left,
        warn=bool(attempt.username) and account_failures >= policy.warn_after,
    )


def register_success(cache, username: str, ip: str | None = None) -> None:
    """A successful login clears the account's count and its count from this address
    (not the address's own count, nor the account's counts from other addresses)."""
    cache.delete_many([key for scope, key in _scopes(username, ip) if scope != ADDRESS])


def reset(cache, username: str, ip: str | None) -> None:
    keys = _keys(username, ip)
    cache.delete_many([*keys, *(f"{key}:locked" for key in keys)])


LOCKED_MESSAGE = gettext_lazy(
    "Too many failed login attempts for this account or from this address. "
    "Try again in %(minutes)s minutes."
)


def seconds_left(until: float, *, now: float | None = None) -> int:
    """Whole seconds until a lockout ends, rounded up (at least 1)."""
    now = _now() if now is None else now
    return max(1, math.ceil(until - now))


def minutes_left(until: float, *, now: float | None = None) -> int:
    """Whole minutes until a lockout ends, rounded up (at least 1)."""
    return math.ceil(seconds_left(until, now=now) / 60)


def failure_hint(failure: Failure, policy: Policy) -> str | None:
    """What to tell the person after a failed attempt, beyond "wrong password": the
    lockout it caused, or from `warn_after` failures how many attempts are left."""
    minutes = policy.lockout_minutes
    if ACCOUNT in failure.locked:
        return _(
            "Too many failed attempts: this account is now locked for %(minutes)s minutes."
        ) % {"minutes": minutes}
    if ADDRESS in failure.locked:
        return _(
            "Too many failed attempts from this address: logins from it are refused "
            "for %(minutes)s minutes."
        ) % {"minutes": minutes}
    if PAIR in failure.locked:
        return _(
            "Too many failed attempts: this account is now locked from this address "
            "for %(minutes)s minutes."
        ) % {"minutes": minutes}
    if failure.warn:
        left = failure.attempts_left
        return ngettext(
            "Warning: %(left)s attempt left before this account is locked for %(minutes)s minutes.",
            "Warning: %(left)s attempts left before this account is locked for %(minutes)s "
            "minutes.",
            left,
        ) % {"left": left, "minutes": minutes}
    return None
