"""Small helpers shared by the browser tests."""

import time


def wait_until(predicate, *, timeout: float = 5.0, interval: float = 0.05, message: str = ""):
    """Poll `predicate` (e.g. a database query) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(message or f"condition not met within {timeout}s")
        time.sleep(interval)
