"""Plotly figures → vector SVG for the PDF reports, through kaleido and Debian's Chromium.

One Chromium per process, kept alive: `start()` opens it once, driven by kaleido from a
thread of its own, lazily on the first chart (in a Celery worker too: never while the
pool child is starting, see reports/tasks.py), and every export goes through it;
starting a browser per chart costs about 2 s each. A failed or interrupted export
discards that browser, and the next export starts a new one.
Kaleido is never asked to download a browser (no `plotly_get_chrome`): without one,
`ChartExportError` says so, and the report fails with that reason rather than being
rendered with blank charts.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import hashlib
import json
import logging
import os
import re
import shutil
import threading
from collections import OrderedDict
from dataclasses import dataclass
from xml.etree import ElementTree

import plotly.graph_objects as go
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from plotly.utils import PlotlyJSONEncoder

logger = logging.getLogger("reports.charts")

TABS = 2  # figures are drawn two at a time (two cores)
FIGURE_TIMEOUT = 60  # seconds for one figure before kaleido gives up
STARTUP_TIMEOUT = 60  # seconds for the browser to start and load plotly.js in its tabs
CLOSE_TIMEOUT = 10
RELOAD_EVERY = 25  # figures a tab draws between reloads (see _tab_reusing_kaleido)
# The kaleido whose internals _tab_reusing_kaleido overrides, pinned in pyproject.toml;
# tests/reports/test_chart_export.py fails when another is installed.
KALEIDO_VERSION = "1.5.1"
BROWSER_NAMES = ("chromium", "chromium-browser")
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
_browser: _Browser | None = None
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
    global _browser
    with _lock:
        if _browser is not None:
            return
        path = browser_path()  # checked first: kaleido would otherwise search elsewhere
        try:
            _browser = _Browser(path)
        except Exception as exc:
            raise ChartExportError(f"Charts could not be exported: {exc}") from exc
        logger.info("chart export: started %s with %d tabs (pid %d)", path, TABS, os.getpid())


def stop() -> None:
    global _browser
    with _lock:
        browser, _browser = _browser, None
    if browser is not None:
        browser.close()


def _abandon() -> None:
    """After an interrupted or failed export the browser's state is unknown: close it
    without waiting, and let the next export start a fresh one."""
    global _browser
    with _lock:
        browser, _browser = _browser, None
    if browser is not None:
        browser.close(wait=False)
    logger.warning("chart export failed or was interrupted: the next report starts a new browser")


def is_running() -> bool:
    return _browser is not None


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
    browser = _browser
    if browser is None:  # stopped in between (worker shutdown)
        raise ChartExportError("Charts could not be exported: the browser was stopped")
    try:
        svgs = browser.draw([(c.data(), c.spec()) for c in charts])
    except SoftTimeLimitExceeded:
        _abandon()
        raise
    except Exception as exc:  # the browser died, timed out, plotly refused a figure...
        _abandon()
        reason = str(exc) or type(exc).__name__  # a timeout has no message
        raise ChartExportError(f"Charts could not be exported: {reason}") from exc
    empty = [i for i, svg in enumerate(svgs) if not svg]
    if empty:
        raise ChartExportError(f"Charts could not be exported: no image for charts {empty}")
    return [print_ready(svg) for svg in svgs]


SVG_NAMESPACE = "http://www.w3.org/2000/svg"
_DECLARATION = re.compile(
    r"""\s*([a-zA-Z][-a-zA-Z]*)\s*:\s*((?:[^;'"()!]|'[^']*'|"[^"]*"|\([^)]*\))*?)\s*(?:;|$)"""
)


def print_ready(svg: bytes) -> bytes:
    """The same drawing, in the form WeasyPrint reads fastest.

    Plotly writes every colour, stroke and font as a `style` attribute, which WeasyPrint
    runs through its CSS parser node by node (about 400 in the demo full report, 1.6 % of
    its instructions: perf/RESULTS.md); as presentation attributes (`fill="..."`) it
    reads them as they are. Class names, which only plotly's own scripts use, go too,
    unless the SVG has a stylesheet.
    A declaration it cannot read with certainty (`!important`, anything unexpected)
    leaves that element's `style` as it was, and SVG it cannot parse is returned
    unchanged: this only saves time, it never changes a chart."""
    try:
        root = ElementTree.fromstring(svg)
        has_stylesheet = root.find(f".//{{{SVG_NAMESPACE}}}style") is not None
        for element in root.iter():
            declarations = _declarations(element.get("style"))
            if declarations is not None:
                del element.attrib["style"]
                element.attrib.update(declarations)
            if not has_stylesheet:
                element.attrib.pop("class", None)
            # written back in the default namespace, as plotly wrote it (not "ns0:svg")
            element.tag = element.tag.removeprefix(f"{{{SVG_NAMESPACE}}}")
        root.set("xmlns", SVG_NAMESPACE)
        return ElementTree.tostring(root, encoding="utf-8")
    except (ElementTree.ParseError, ValueError):
        return svg


def _declarations(style: str | None) -> dict[str, str] | None:
    """`fill: red; stroke-width: 1px` → {"fill": "red", "stroke-width": "1px"}; None
    when there is no style or any part of it is not a plain declaration."""
    if style is None:
        return None
    found, position, style = {}, 0, style.strip()
    while position < len(style):
        match = _DECLARATION.match(style, position)
        if match is None or match.end() == position or not match.group(2):
            return None
        found[match.group(1).lower()] = match.group(2)
        position = match.end()
    return found


class _Browser:
    """One Chromium, driven by kaleido from an event loop in a thread of its own, so
    that the synchronous code of a worker can hand it figures and wait."""

    def __init__(self, path: str) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="chart-export", daemon=True
        )
        self._thread.start()
        try:
            self._kaleido = self._run(self._open(path), timeout=STARTUP_TIMEOUT)
        except BaseException:
            self._loop.call_soon_threadsafe(self._loop.stop)
            raise

    @staticmethod
    async def _open(path: str):
        kaleido = _tab_reusing_kaleido()(n=TABS, timeout=FIGURE_TIMEOUT, mathjax=False, path=path)
        await kaleido.open()
        return kaleido

    def _run(self, coroutine, timeout: float):
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout)
        except BaseException:  # also the soft time limit, raised in this thread
            future.cancel()
            raise

    def draw(self, specs: list[tuple[dict, dict]]) -> list[bytes]:
        async def draw_all() -> list[bytes]:
            return await asyncio.gather(
                *(self._kaleido.calc_fig(figure, opts=opts) for figure, opts in specs)
            )

        # kaleido limits each figure to FIGURE_TIMEOUT; this bounds the whole batch
        return self._run(draw_all(), timeout=FIGURE_TIMEOUT * (len(specs) // TABS + 1))

    def close(self, wait: bool = True) -> None:
        future = asyncio.run_coroutine_threadsafe(self._kaleido.close(), self._loop)
        # The loop stops once the close is over, success or not. (Stopped from inside the
        # coroutine, it stopped before the result reached `future`, and every close
        # waited the whole CLOSE_TIMEOUT: 10 s per worker process shutdown.)
        future.add_done_callback(lambda _: self._loop.call_soon_threadsafe(self._loop.stop))
        if wait:
            with contextlib.suppress(Exception):
                future.result(CLOSE_TIMEOUT)
            self._loop.call_soon_threadsafe(self._loop.stop)  # also when the close hangs
            self._thread.join(CLOSE_TIMEOUT)


@functools.cache
def _tab_reusing_kaleido() -> type:
    """kaleido.Kaleido reloading a tab (and with it plotly.js) only every
    `RELOAD_EVERY` figures instead of after each one: the reload costs about 0.1 s a
    figure, five times the drawing itself, and this still bounds the tab's memory.

    Written for kaleido KALEIDO_VERSION: its `_render_task` hands every tab back through
    `_return_kaleido_tab(tab)`, which awaits `tab.reload()` and puts the tab back on the
    `tabs_ready` queue; this replaces that one method (`tab_reloads` counts the reloads)."""
    import kaleido

    class TabReusingKaleido(kaleido.Kaleido):
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._figures_drawn: dict[int, int] = {}  # by id of the tab
            self.tab_reloads = 0

        async def _return_kaleido_tab(self, tab) -> None:
            drawn = self._figures_drawn.get(id(tab), 0) + 1
            if drawn >= RELOAD_EVERY:
                drawn = 0
                self.tab_reloads += 1
                await tab.reload()
            self._figures_drawn[id(tab)] = drawn
            await self.tabs_ready.put(tab)

    return TabReusingKaleido
