"""Chart export without a browser: the cache by content, the order of the results, and
the clear error when there is no Chromium (nothing is ever downloaded)."""

import re
from xml.etree import ElementTree

import pytest

from reports import chart_export
from reports.chart_export import Chart, ChartExportError

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
