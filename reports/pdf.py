"""HTML → PDF with WeasyPrint: tagged (PDF/UA-1), fetching only through `SafeFetcher`.

WeasyPrint only *logs* a missing `lang` or image `alt` (the PDF would not be
accessible); such a render is refused here instead.
"""

from __future__ import annotations

import gc
import hashlib
import logging
import threading
from contextlib import contextmanager
from dataclasses import dataclass

from .fetcher import BASE_URL, SafeFetcher

PDF_VARIANT = "pdf/ua-1"
ACCESSIBILITY_ERRORS = ('Missing required "lang"', "has no required alt description")


class AccessibilityError(RuntimeError):
    """The document would not be an accessible PDF (a template bug; not retried)."""


@dataclass(frozen=True)
class RenderedPdf:
    content: bytes
    pages: int | None  # (a Word document's pages are Word's to lay out)
    checksum: str

    @property
    def size(self) -> int:
        return len(self.content)


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.ERROR)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _weasyprint_errors():
    handler = _Collect()
    weasy = logging.getLogger("weasyprint")
    weasy.addHandler(handler)
    try:
        yield handler.messages
    finally:
        weasy.removeHandler(handler)


_pauses = 0
_pauses_lock = threading.Lock()
_collector_was_enabled = True


@contextmanager
def _cyclic_collector_paused():
    """No cyclic garbage collection while WeasyPrint works.

    A render allocates millions of objects while the box tree of the whole document
    stays alive, and Python's collector answers with three or four full collections,
    each re-scanning every object of the process: about 0.6 s of the demo full report's
    5 s on this machine (perf/RESULTS.md), for garbage that can wait. What a render
    leaves is collected after it (`collect_render_garbage`, called by the worker once
    the report is saved). Renders in several threads share one pause; the last to
    finish resumes the collector, if it was running."""
    global _pauses, _collector_was_enabled
    with _pauses_lock:
        if _pauses == 0:
            _collector_was_enabled = gc.isenabled()
            gc.disable()
        _pauses += 1
    try:
        yield
    finally:
        with _pauses_lock:
            _pauses -= 1
            if _pauses == 0 and _collector_was_enabled:
                gc.enable()


def collect_render_garbage() -> int:
    """Collect the cyclic garbage of the renders (one full collection); the number of
    unreachable objects found."""
    return gc.collect()


def render_pdf(html: str, fetcher: SafeFetcher | None = None) -> RenderedPdf:
    """Lay out `html` (its URLs relative to `BASE_URL`) and write a PDF/UA-1 file."""
    from weasyprint import HTML  # imported here: 0.5 s, only where PDFs are made

    fetcher = fetcher or SafeFetcher()
    with _weasyprint_errors() as errors, _cyclic_collector_paused():
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render(
            pdf_variant=PDF_VARIANT
        )
        content = document.write_pdf(pdf_variant=PDF_VARIANT)
    problems = [m for m in errors if any(e in m for e in ACCESSIBILITY_ERRORS)]
    if problems:
        raise AccessibilityError("The report is not an accessible PDF: " + "; ".join(problems))
    return RenderedPdf(
        content=content,
        pages=len(document.pages),
        checksum=hashlib.sha256(content).hexdigest(),
    )
