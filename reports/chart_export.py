"""Plotly figures → vector SVG for the PDF reports, through kaleido and Debian's Chromium.

One Chromium per process, kept alive: `start()` runs kaleido's sync server once (a
Celery worker calls it on `worker_process_init`, the command line lazily on first use),
and every export goes through it; starting a browser per chart costs about 2 s each.
Kaleido is never asked to download a browser (no `plotly_get_chrome`): without one,
`ChartExportError` says so, and the report fails with that reason rather than being
rendered with blank charts.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path

import plotly.graph_objects as go
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from plotly.utils import PlotlyJSONEncoder

logger = logging.getLogger("reports.charts")

TABS = 2  # figures are drawn two at a time (two cores)
FIGURE_TIMEOUT = 60  # seconds for one figure before kaleido gives up
BROWSER_NAMES = ("chromium", "chromium-browser")
KOPTS_WARNING = "The kopts argument is ignored"
INSTALL_HINT = (
    "install Debian's chromium (`apt-get install chromium`, or `make run` as root) "
    "or set BROWSER_PATH"
)


class ChartExportError(RuntimeError):
    """Charts could not be exported. `permanent`: retrying cannot help (no browser)."""

    def __init__(self, message: str, *, permanent: bool = False) -> None:
        super().__init__(message)
        self.permanent = permanent


@dataclass(frozen=True)
class Chart:
    """A figure (a plotly Figure, or its JSON data as the results page embeds it) to
    export at the size it is drawn in the PDF (CSS pixels)."""

    figure: go.Figure | dict
    width: int = 900
    height: int | None = None  # None: the figure's own layout height

    def data(self) -> dict:
        return self.figure if isinstance(self.figure, dict) else self.figure.to_plotly_json()

    def spec(self) -> dict:
        height = self.height or self.data().get("layout", {}).get("height") or 450
        return {"format": "svg", "width": self.width, "height": int(height)}

    def key(self) -> str:
        """Same figure, same size → same SVG: a content address for the cache."""
        payload = json.dumps(self.data(), sort_keys=True, cls=PlotlyJSONEncoder)
        payload += repr(sorted(self.spec().items()))
        return hashlib.sha256(payload.encode()).hexdigest()


_lock = threading.Lock()
_started = False
_cache: OrderedDict[str, bytes] = OrderedDict()


def browser_path() -> str:
    """The Chromium to drive: BROWSER_PATH, else `chromium` on PATH. Never a download."""
    configured = settings.BROWSER_PATH or os.environ.get("BROWSER_PATH", "")
    if configured:
        if os.path.isfile(configured) and os.access(configured, os.X_OK):
            return configured
        raise ChartExportError(
            f"Charts cannot be exported: BROWSER_PATH={configured!r} is not an executable "
            f"browser; {INSTALL_HINT}.",
            permanent=True,
        )
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return found
    raise ChartExportError(
        f"Charts cannot be exported: Chromium is not installed; {INSTALL_HINT}.",
        permanent=True,
    )


def start() -> None:
    """Start this process's browser (idempotent). Raises ChartExportError without one."""
    global _started
    with _lock:
        if _started:
            return
        path = browser_path()  # checked first: kaleido's server thread would hang on it
        import kaleido

        # The browser itself (not this module) finds the path; pass it explicitly so
        # that kaleido never looks anywhere else.
        kaleido.start_sync_server(
            n=TABS, timeout=FIGURE_TIMEOUT, mathjax=False, path=path, silence_warnings=True
        )
        _started = True
        logger.info("chart export: started %s with %d tabs (pid %d)", path, TABS, os.getpid())


def stop() -> None:
    global _started
    with _lock:
        if not _started:
            return
        import kaleido

        kaleido.stop_sync_server(silence_warnings=True)
        _started = False


def _abandon() -> None:
    """Interrupted while waiting for the browser (the task's soft time limit), the sync
    server would hand its late answer to the next call. Leave it (its thread and browser
    end with the process) and let the next export start a fresh one."""
    global _started
    import kaleido
    from kaleido import _sync_server

    with _lock:
        _sync_server.GlobalKaleidoServer._instance = None
        kaleido._global_server = _sync_server.GlobalKaleidoServer()
        _started = False
    logger.warning("chart export interrupted: the next report starts a new browser")


def is_running() -> bool:
    return _started


def clear_cache() -> None:
    _cache.clear()


def export_svgs(charts: list[Chart]) -> list[bytes]:
    """Each chart as SVG bytes, in order. Charts already exported by this process (same
    figure, same size) come from a small in-memory cache (REPORT_CHART_CACHE_SIZE); the
    rest are drawn together, `TABS` at a time."""
    keys = [c.key() for c in charts]
    found = {k: _cache[k] for k in keys if k in _cache}
    missing = {k: c for k, c in zip(keys, charts, strict=True) if k not in found}
    if missing:
        start()
        for key, svg in zip(missing, _draw(list(missing.values())), strict=True):
            found[key] = svg
            _remember(key, svg)
    return [found[k] for k in keys]


def _remember(key: str, svg: bytes) -> None:
    limit = settings.REPORT_CHART_CACHE_SIZE
    _cache[key] = svg
    _cache.move_to_end(key)
    while len(_cache) > limit:
        _cache.popitem(last=False)


def _draw(charts: list[Chart]) -> list[bytes]:
    import kaleido

    with tempfile.TemporaryDirectory(prefix="aism-charts-") as folder:
        paths = [Path(folder) / f"{i}.svg" for i in range(len(charts))]
        jobs = [
            {"fig": c.data(), "path": p, "opts": c.spec()}
            for c, p in zip(charts, paths, strict=True)
        ]
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=KOPTS_WARNING)
            try:
                errors = kaleido.write_fig_from_object_sync(jobs)
            except SoftTimeLimitExceeded:
                _abandon()
                raise
            except Exception as exc:  # the browser died, timed out...
                raise ChartExportError(f"Charts could not be exported: {exc}") from exc
        if errors:
            raise ChartExportError(f"Charts could not be exported: {errors[0]}")
        missing = [p.name for p in paths if not p.is_file() or not p.stat().st_size]
        if missing:
            raise ChartExportError(f"Charts could not be exported: no image for {missing}")
        return [p.read_bytes() for p in paths]
