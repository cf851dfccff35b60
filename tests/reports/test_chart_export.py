"""Chart export without a browser: the cache by content, the order of the results, and
the clear error when there is no Chromium (nothing is ever downloaded)."""

import pytest

from reports import chart_export
from reports.chart_export import Chart, ChartExportError


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


def test_an_export_cut_short_by_the_time_limit_leaves_the_browser_for_a_new_one(monkeypatch):
    import kaleido
    from celery.exceptions import SoftTimeLimitExceeded
    from kaleido import _sync_server

    def interrupted(jobs):
        raise SoftTimeLimitExceeded()

    old_server = kaleido._global_server
    monkeypatch.setattr(kaleido, "_global_server", old_server)
    monkeypatch.setattr(_sync_server.GlobalKaleidoServer, "_instance", old_server)
    monkeypatch.setattr(kaleido, "write_fig_from_object_sync", interrupted)
    monkeypatch.setattr(chart_export, "_started", True)

    with pytest.raises(SoftTimeLimitExceeded):
        chart_export._draw([chart("a")])

    assert chart_export._started is False  # the next export starts a fresh server
    assert kaleido._global_server is not old_server
    assert not kaleido._global_server.is_running()
