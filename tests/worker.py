"""A real Celery worker process for tests marked `worker` (see tests/test_worker.py).

The worker runs with production-like settings (`config.settings`, not the test
settings), consumes only a queue named for this test run, and is always stopped
when the `with` block ends, killed with its pool children if it does not stop.
"""

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar
from urllib.parse import urlsplit

import pytest

BASE_DIR = Path(__file__).resolve().parents[1]
POSTGRES_SCHEMES = ("postgres", "postgresql", "pgsql", "psql")
STARTUP_TIMEOUT = 60.0
STOP_TIMEOUT = 20.0
POLL_INTERVAL = 0.1

T = TypeVar("T")


def require_worker_services() -> tuple[str, str]:
    """Return (REDIS_URL, DATABASE_URL), or skip the test when they are not usable.

    A worker is another process, so it cannot see SQLite's in-memory test database:
    PostgreSQL is required. With REQUIRE_WORKER_TESTS=1 (CI) the test fails instead.
    """
    redis_url = os.environ.get("REDIS_URL", "")
    database_url = os.environ.get("DATABASE_URL", "")
    problems = []
    if not redis_url:
        problems.append("REDIS_URL is not set")
    if urlsplit(database_url).scheme not in POSTGRES_SCHEMES:
        problems.append("DATABASE_URL is not a PostgreSQL URL")
    if problems:
        message = "worker tests need Redis and PostgreSQL: " + "; ".join(problems)
        if os.environ.get("REQUIRE_WORKER_TESTS") == "1":
            pytest.fail(f"REQUIRE_WORKER_TESTS=1: {message}", pytrace=False)
        pytest.skip(message)
    return redis_url, database_url


def with_database_name(database_url: str, name: str) -> str:
    """The same server and credentials, another database (the pytest test database)."""
    return urlsplit(database_url)._replace(path=f"/{name}").geturl()


@dataclass
class Worker:
    process: subprocess.Popen
    queue: str
    log_path: Path

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def describe(self) -> str:
        state = "running" if self.process.poll() is None else f"exited {self.process.returncode}"
        return f"worker ({state}) log:\n{self.log()[-4000:]}"

    def wait_for(self, check: Callable[[], T], *, timeout: float, what: str) -> T:
        """Poll `check` until it returns something truthy; fail (with the log) on timeout
        or as soon as the worker has died."""
        deadline = time.monotonic() + timeout
        while True:
            result = check()
            if result:
                return result
            if self.process.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"gave up waiting {timeout:.0f} s for {what}; {self.describe()}")
            time.sleep(POLL_INTERVAL)

    def pool_children(self) -> list[int]:
        """Process ids of the worker's pool children (its direct children)."""
        children = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            with suppress(OSError, IndexError, ValueError):
                fields = stat.read_text().rsplit(")", 1)[1].split()
                if int(fields[1]) == self.process.pid:
                    children.append(int(stat.parent.name))
        return children

    def stop(self) -> None:
        """Warm shutdown (SIGTERM); SIGKILL the whole process group if it hangs."""
        if self.process.poll() is None:
            self.process.terminate()
            with suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=STOP_TIMEOUT)
        if self.process.poll() is None:
            # The pool children share the worker's process group: leave none behind,
            # since each holds a connection to the test database.
            with suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=STOP_TIMEOUT)
        # A pool child that outlived its parent (the group is the worker's own session).
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)


@contextmanager
def running_worker(
    *, env: dict[str, str], log_path: Path, extra_args: Sequence[str] = ()
) -> Iterator[Worker]:
    """Start `celery -A config worker` (prefork, one child) and wait until it is ready.

    `env` overrides the inherited environment; `extra_args` are added to the command
    (e.g. `--include` a module of test faults). The worker consumes only its own,
    uniquely named queue, so it cannot take tasks queued by anything else on the same
    Redis, and nothing else takes its tasks.
    """
    queue = f"aism-test-{uuid.uuid4().hex[:12]}"
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker",
        "--pool", "prefork", "--concurrency", "1",
        # Both queues, as `make worker`: renders and the like, and the periodic tasks.
        "--queues", f"{queue},{queue}.periodic", "--hostname", f"{queue}@%h",
        "--loglevel", "info",
        "--without-gossip", "--without-mingle", "--without-heartbeat",
        *extra_args,
    ]  # fmt: skip
    full_env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        # What the worker itself queues (a retry, say) stays on its own queue.
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        **env,
    }
    with log_path.open("wb") as log_file:
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    worker = Worker(process=process, queue=queue, log_path=log_path)
    try:
        worker.wait_for(
            lambda: " ready." in worker.log(), timeout=STARTUP_TIMEOUT, what="the worker to start"
        )
        yield worker
    finally:
        worker.stop()
        _forget_queue(env.get("REDIS_URL") or os.environ["REDIS_URL"], queue)


def _forget_queue(redis_url: str, queue: str) -> None:
    """Remove the test queue's keys (the list and its bindings) from Redis."""
    import redis

    client = redis.Redis.from_url(redis_url)
    try:
        keys = [*client.scan_iter(match=f"{queue}*"), *client.scan_iter(match=f"*{queue}")]
        if keys:
            client.delete(*set(keys))
    finally:
        client.close()
