"""Settings for the test suite: the production module with fast hashing and a local mailbox.

`make test` runs the suite in several processes (pytest-xdist). pytest-django gives each
its own SQL database; each gets its own Redis database and media folder here too, so two
processes never share a cache key, a throttling counter or a report file (report files
are named by primary key, and each database counts its own).
"""

import os
import re
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("DJANGO_DEBUG", "true")

_XDIST_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")  # "gw0", "gw1", … under xdist


def _own_redis_database(url: str, process: int) -> str:
    """redis://host:port/N → redis://host:port/(N + 1 + process): the given database
    stays for a run in one process (the worker tests), the others follow it."""
    parts = urlsplit(url)
    given = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{given + 1 + process}"))


if (
    _XDIST_WORKER
    and os.environ.get("REDIS_URL")
    # A child process of a test (it inherits the environment) keeps its parent's.
    and os.environ.get("REDIS_URL") != os.environ.get("TEST_PROCESS_REDIS_URL")
):
    # Before the settings module reads it: the cache, the broker and the worker tests'
    # child processes all take it from the environment.
    os.environ["REDIS_URL"] = os.environ["TEST_PROCESS_REDIS_URL"] = _own_redis_database(
        os.environ["REDIS_URL"], int(re.sub(r"\D", "", _XDIST_WORKER) or 0)
    )

from config.settings import *  # noqa: E402, F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = True
if _XDIST_WORKER:
    MEDIA_ROOT = Path(str(MEDIA_ROOT)) / _XDIST_WORKER  # noqa: F405
