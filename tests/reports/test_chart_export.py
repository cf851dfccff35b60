"""Chart export without a browser: the cache by content, the order of the results, and
the clear error when there is no Chromium (nothing is ever downloaded)."""

import base64
import importlib.metadata
import inspect
import io
import re
import time
import tomllib
from pathlib import Path
from xml.etree import ElementTree

import pytest
from pypdf import PdfReader

from reports import chart_export
from reports.chart_export import Chart, ChartExportError
from reports.pdf import render_pdf

from .conftest import chromium_or_skip


@pytest.fixture
def drawn(monkeypatch):
    """Replace the browser: each drawn chart becomes b"<svg>{its title}</svg>"."""
    calls = []

    def draw(charts):
        calls.append([c.figure["layout"]["title"] for c in charts])
        return [f"<svg>{c.figure['layout']['title']}</svg>".encode() for c in charts]

    monkeypatch.setattr(chart_export, "_draw", draw)
    monkeypatch.setattr(chart_export, "start", lambda: None)
    monkeypatch.setattr(chart_export, "_cache", type(chart_export._cache)())
    return calls


def chart(title: str, width: int = 900) -> Chart:
    return Chart(figure={"data": [], "layout": {"title": title, "height": 300}}, width=width)


def test_charts_come_back_in_order_and_are_drawn_once(drawn):
    assert chart_export.export_svgs([chart("a"), chart("b")]) == [b"<svg>a</svg>", b"<svg>b</svg>"]
    assert chart_export.export_svgs([chart("b"), chart("c")]) == [b"<svg>b</svg>", b"<svg>c</svg>"]
    assert drawn == [["a", "b"], ["c"]]


def test_the_same_figure_at_another_size_is_another_chart(drawn):
    chart_export.export_svgs([chart("a")])
    chart_export.export_svgs([chart("a", width=500)])
    assert drawn == [["a"], ["a"]]
    assert chart("a", 500).spec() == {"format": "svg", "width": 500, "height": 300}


def test_without_a_cache_every_export_draws(drawn, settings):
    settings.REPORT_CHART_CACHE_SIZE = 0
    chart_export.export_svgs([chart("a")])
    chart_export.export_svgs([chart("a")])
    assert drawn == [["a"], ["a"]]


def test_a_missing_browser_is_a_permanent_error_that_says_what_to_do(settings, tmp_path):
    settings.BROWSER_PATH = str(tmp_path / "chromium")
    with pytest.raises(ChartExportError) as error:
        chart_export.browser_path()
    assert error.value.permanent
    assert "apt-get install chromium" in str(error.value)


def test_with_nothing_on_path_it_says_chromium_is_not_installed(settings, monkeypatch):
    settings.BROWSER_PATH = ""
    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(chart_export.shutil, "which", lambda name: None)
    with pytest.raises(ChartExportError, match="Chromium is not installed"):
        chart_export.browser_path()


class FakeBrowser:
    def __init__(self, error: BaseException) -> None:
        self.error = error
        self.closed: list[bool] = []

    def draw(self, specs):
        raise self.error

    def close(self, wait: bool = True) -> None:
        self.closed.append(wait)


def test_an_export_cut_short_by_the_time_limit_leaves_the_browser_for_a_new_one(monkeypatch):
    from celery.exceptions import SoftTimeLimitExceeded

    browser = FakeBrowser(SoftTimeLimitExceeded())
    monkeypatch.setattr(chart_export, "_browser", browser)

    with pytest.raises(SoftTimeLimitExceeded):
        chart_export._draw([chart("a")])

    assert chart_export._browser is None  # the next export starts a fresh browser
    assert browser.closed == [False]  # closed without making the task wait for it


def test_a_browser_that_fails_is_replaced_and_the_reason_given(monkeypatch):
    browser = FakeBrowser(TimeoutError())
    monkeypatch.setattr(chart_export, "_browser", browser)

    with pytest.raises(ChartExportError, match="could not be exported: TimeoutError") as error:
        chart_export._draw([chart("a")])

    assert not error.value.permanent  # another attempt, with a new browser, may work
    assert chart_export._browser is None
    assert browser.closed == [False]


def test_tabs_are_reused_and_reloaded_now_and_then_with_the_same_drawings(monkeypatch):
    """With a real Chromium: more figures than a tab draws between reloads, twice over,
    come back as the same SVG whether the tab was fresh or had drawn before."""
    chromium_or_skip()
    monkeypatch.setattr(chart_export, "RELOAD_EVERY", 2)
    monkeypatch.setattr(chart_export, "_cache", type(chart_export._cache)())
    charts = [
        Chart(figure={"data": [{"type": "bar", "x": ["a", "b"], "y": [n, 2]}], "layout": {}})
        for n in range(5)
    ]
    chart_export.stop()
    try:
        first = chart_export.export_svgs(charts)
        chart_export.clear_cache()
        again = chart_export.export_svgs(charts)
    finally:
        chart_export.stop()

    assert all(svg.startswith(b"<svg") for svg in first)
    assert [_canonical(svg) for svg in again] == [_canonical(svg) for svg in first]
    assert len({_canonical(svg) for svg in first}) == 5


def _canonical(svg: bytes) -> str:
    """Attribute order aside (canonical XML), and plotly's random ids for clip paths."""
    return re.sub(r"[0-9a-f]{6}", "", ElementTree.canonicalize(svg.decode()))


# --- the tab-reusing override of kaleido's internals ----------------------------------


def test_the_installed_kaleido_is_the_one_the_tab_reuse_override_was_written_for():
    """_tab_reusing_kaleido replaces a private method of kaleido: another kaleido must be
    read, the override checked against it, and KALEIDO_VERSION and the pin moved."""
    installed = importlib.metadata.version("kaleido")
    assert installed == chart_export.KALEIDO_VERSION, (
        f"kaleido {installed} is installed, but reports/chart_export.py overrides the "
        f"internals of kaleido {chart_export.KALEIDO_VERSION} (_tab_reusing_kaleido): "
        "review the override against the new kaleido before changing KALEIDO_VERSION "
        "and the pin in pyproject.toml"
    )
    project = tomllib.loads((Path(__file__).parents[2] / "pyproject.toml").read_text())
    assert f"kaleido=={chart_export.KALEIDO_VERSION}" in project["project"]["dependencies"]


def test_the_override_replaces_the_method_kaleido_returns_every_tab_through():
    import kaleido
    from kaleido._kaleido_tab import _KaleidoTab

    stock = kaleido.Kaleido._return_kaleido_tab
    override = chart_export._tab_reusing_kaleido()._return_kaleido_tab
    assert issubclass(chart_export._tab_reusing_kaleido(), kaleido.Kaleido)
    assert inspect.iscoroutinefunction(stock) and inspect.iscoroutinefunction(override)
    assert list(inspect.signature(stock).parameters) == ["self", "tab"]
    assert list(inspect.signature(override).parameters) == ["self", "tab"]
    # Every figure's tab comes back through it (in a `finally`), and the stock version
    # reloads the tab before putting it back on the queue the next figure waits on.
    render_task = inspect.getsource(kaleido.Kaleido._render_task)
    assert "await self._return_kaleido_tab(tab)" in render_task
    assert "await self._get_kaleido_tab()" in render_task
    assert "await tab.reload()" in inspect.getsource(stock)
    assert "self.tabs_ready.put(tab)" in inspect.getsource(stock)
    assert "self.tabs_ready = asyncio.Queue(" in inspect.getsource(kaleido.Kaleido.__init__)
    assert inspect.iscoroutinefunction(_KaleidoTab.reload)
    assert list(inspect.signature(_KaleidoTab.reload).parameters) == ["self"]
    assert list(inspect.signature(kaleido.Kaleido.calc_fig).parameters)[:3] == [
        "self",
        "fig",
        "opts",
    ]


def test_in_chromium_a_tab_is_reloaded_every_reload_every_figures_not_after_each(monkeypatch):
    """Counted at kaleido's own tab reload: every figure with RELOAD_EVERY = 1 (kaleido's
    stock behaviour), then none over 8 figures with the shipped RELOAD_EVERY."""
    chromium_or_skip()
    from kaleido._kaleido_tab import _KaleidoTab

    reloads = []
    stock_reload = _KaleidoTab.reload

    async def counted_reload(tab):
        reloads.append(id(tab))
        return await stock_reload(tab)

    monkeypatch.setattr(_KaleidoTab, "reload", counted_reload)
    monkeypatch.setattr(chart_export, "_cache", type(chart_export._cache)())

    def figures(first: int, count: int) -> list[Chart]:
        return [
            Chart(figure={"data": [{"type": "bar", "x": ["a"], "y": [n]}], "layout": {}})
            for n in range(first, first + count)
        ]

    chart_export.stop()
    try:
        chart_export.start()
        kaleido = chart_export._browser._kaleido
        monkeypatch.setattr(chart_export, "RELOAD_EVERY", 1)
        chart_export.export_svgs(figures(0, 4))
        after_each = len(reloads)
        monkeypatch.setattr(chart_export, "RELOAD_EVERY", 25)
        svgs = chart_export.export_svgs(figures(100, 8))
        started = time.monotonic()
        chart_export.stop()
        # The browser's event loop stops once the close is over, without waiting for
        # CLOSE_TIMEOUT (it used to, in every worker process shutdown).
        assert time.monotonic() - started < chart_export.CLOSE_TIMEOUT
    finally:
        chart_export.stop()

    assert after_each == 4 and kaleido.tab_reloads == 4
    assert len(reloads) == 4  # none more: the tabs were reused for 8 figures
    assert sum(kaleido._figures_drawn.values()) == 8
    assert all(svg.startswith(b"<svg") for svg in svgs)


# --- the SVG as WeasyPrint reads it fastest ---------------------------------------------

RADAR = Path(__file__).parent / "data" / "plotly_radar.svg"  # the demo's radar, from kaleido


def _drawing(svg: bytes) -> bytes:
    """The PDF drawing operators of a page that shows only `svg`."""
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg).decode()
    html = f'<html lang="en"><title>c</title><body><img alt="c" src="{uri}"></body></html>'
    return PdfReader(io.BytesIO(render_pdf(html).content)).pages[0].get_contents().get_data()


def test_a_print_ready_chart_is_drawn_exactly_as_plotly_wrote_it():
    original = RADAR.read_bytes()

    ready = chart_export.print_ready(original)

    assert original.count(b"style=") > 50 and b"style=" not in ready and b"class=" not in ready
    assert ready.startswith(b"<svg ")  # in the default namespace, as plotly wrote it
    assert ElementTree.fromstring(ready).tag == "{http://www.w3.org/2000/svg}svg"
    assert _drawing(ready) == _drawing(original)


def test_style_declarations_become_attributes_and_win_over_those_already_there():
    svg = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><text x="1" fill="red" class="label" '
        b"style=\"fill: rgb(42, 63, 95); font-family: 'Open Sans', verdana, sans-serif; "
        b'font-size: 12px;">A; B: C</text></svg>'
    )

    text = ElementTree.fromstring(chart_export.print_ready(svg))[0]

    assert text.attrib == {
        "x": "1",
        "fill": "rgb(42, 63, 95)",
        "font-family": "'Open Sans', verdana, sans-serif",
        "font-size": "12px",
    }
    assert text.text == "A; B: C"


@pytest.mark.parametrize(
    "style",
    ["fill: red !important", "fill: ;", "fill red", "--brand: 1; fill: red", "fill: url(#a"],
)
def test_a_style_it_cannot_read_with_certainty_is_left_as_it_was(style):
    svg = f'<svg xmlns="http://www.w3.org/2000/svg"><rect style="{style}"/></svg>'.encode()

    rect = ElementTree.fromstring(chart_export.print_ready(svg))[0]

    assert rect.attrib == {"style": style}


def test_classes_stay_when_the_svg_has_a_stylesheet_and_bad_svg_comes_back_unchanged():
    styled = (
        b'<svg xmlns="http://www.w3.org/2000/svg"><style>.a { fill: red }</style>'
        b'<rect class="a" style="stroke: blue"/></svg>'
    )
    rect = ElementTree.fromstring(chart_export.print_ready(styled))[1]
    assert rect.attrib == {"class": "a", "stroke": "blue"}

    assert chart_export.print_ready(b"<svg><g></svg>") == b"<svg><g></svg>"
