"""The report URL fetcher serves our static and media files from disk and data: URIs,
and refuses (and logs) everything else."""

import logging

import pytest

from reports.fetcher import ORIGIN, RefusedURL, SafeFetcher

REFUSED = [
    "file:///etc/passwd",
    "http://127.0.0.1:6379/",
    "http://169.254.169.254/latest/meta-data/",
    "https://example.com/static/css/report.css",
    "http://report.invalid/static/css/report.css",  # not our scheme and host
    "ftp://127.0.0.1/x",
    "gopher://127.0.0.1:6379/_INFO",
    f"{ORIGIN}/static/../../../../etc/passwd",
    f"{ORIGIN}/static/%2e%2e/%2e%2e/settings.py",
    f"{ORIGIN}/media/../../etc/passwd",
    f"{ORIGIN}/media/%2e%2e/db.sqlite3",
    f"{ORIGIN}/media/",
    f"{ORIGIN}/media/missing.png",
    f"{ORIGIN}/elsewhere/file.txt",
    f"{ORIGIN}/static/css/report.css?x=1",
]


@pytest.mark.parametrize("url", REFUSED)
def test_it_refuses_and_logs_anything_else(url, caplog):
    fetcher = SafeFetcher()
    with caplog.at_level(logging.WARNING, logger="reports.fetcher"), pytest.raises(RefusedURL):
        fetcher.fetch(url)
    assert fetcher.refused == [url]
    assert [r.levelno for r in caplog.records if r.name == "reports.fetcher"] == [logging.WARNING]


def test_it_serves_our_static_files_from_disk():
    response = SafeFetcher().fetch(f"{ORIGIN}/static/css/report.css")
    assert b"@page" in response.read()
    assert response.content_type == "text/css"


def test_it_serves_media_files_from_disk(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "branding").mkdir()
    (tmp_path / "branding" / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\nfake")
    (tmp_path.parent / "secret.txt").write_text("secret")

    response = SafeFetcher().fetch(f"{ORIGIN}/media/branding/logo.png")

    assert response.read().startswith(b"\x89PNG")
    assert response.content_type == "image/png"
    with pytest.raises(RefusedURL):
        SafeFetcher().fetch(f"{ORIGIN}/media/../secret.txt")


def test_it_decodes_data_uris_without_any_network():
    response = SafeFetcher().fetch("data:text/plain;base64,aGVsbG8=")
    assert response.read() == b"hello"
