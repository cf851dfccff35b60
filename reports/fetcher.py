"""The only way a report can load anything: our own static and media files, read from
disk, and data: URIs. Everything else (file:, http(s): to any host, other schemes) is
refused and logged on the "reports.fetcher" logger at WARNING.

Report HTML is rendered with `BASE_URL` as its base, so `{% static %}` and media URLs
become `https://report.invalid/static/...` and `.../media/...`; the `.invalid` top-level
domain can never resolve, and no request ever leaves the process.
"""

from __future__ import annotations

import logging
import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.utils._os import safe_join
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger("reports.fetcher")

ORIGIN = "https://report.invalid"
BASE_URL = f"{ORIGIN}/"


class RefusedURL(ValueError):
    pass


class SafeFetcher(URLFetcher):
    """WeasyPrint's URL fetcher, restricted to the allowlist above.

    `served` and `refused` list every URL asked for, for tests and for the log."""

    def __init__(self) -> None:
        super().__init__(timeout=1, allow_redirects=False, fail_on_errors=False)
        self.served: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        if url.startswith("data:"):
            self.served.append(url[:40])
            return super().fetch(url, headers)  # decoded in memory, no network
        path = self._local_path(url)
        if path is None:
            self.refused.append(url)
            logger.warning("report fetcher refused %r (not a static or media file)", url)
            raise RefusedURL(f"refused: {url}")
        self.served.append(url)
        logger.debug("report fetcher served %s from %s", url, path)
        content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})

    def _local_path(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if f"{parts.scheme}://{parts.netloc}" != ORIGIN or parts.query:
            return None
        path = unquote(parts.path)
        static, media = "/" + settings.STATIC_URL.lstrip("/"), "/" + settings.MEDIA_URL.lstrip("/")
        if path.startswith(static):
            return _static_file(path.removeprefix(static))
        if path.startswith(media):
            return _under(Path(settings.MEDIA_ROOT), path.removeprefix(media))
        return None


def _under(root: Path, relative: str) -> Path | None:
    """`root/relative` when it is a file inside `root` (no `..`, no absolute paths)."""
    if not relative or "\x00" in relative:
        return None
    try:
        candidate = Path(safe_join(str(root), relative)).resolve()
    except (SuspiciousFileOperation, ValueError):
        return None
    if not candidate.is_file() or not candidate.is_relative_to(Path(root).resolve()):
        return None
    return candidate


def _static_file(relative: str) -> Path | None:
    """Collected static files first (hashed names in production), then the finders."""
    if settings.STATIC_ROOT:
        collected = _under(Path(settings.STATIC_ROOT), relative)
        if collected is not None:
            return collected
    if not relative or "\x00" in relative or ".." in Path(relative).parts:
        return None
    try:
        found = finders.find(relative)
    except SuspiciousFileOperation:
        return None
    return Path(found) if found else None
