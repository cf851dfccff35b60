"""perf/api_load_benchmark.py's pieces that can break without anyone running it: its
command line, the settings module its server uses, the bare view it is compared with, and
the wrk script's bookkeeping of acknowledged writes (against a stand-in server for one
second). The benchmark itself takes minutes and is run by hand (perf/RESULTS.md)."""

import json
import os
import shutil
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.test import RequestFactory
from django.urls import resolve, reverse

PERF = Path(__file__).resolve().parents[1] / "perf"


@pytest.fixture
def perf_on_path(monkeypatch):
    monkeypatch.syspath_prepend(str(PERF))


def test_the_load_benchmark_explains_its_options():
    done = subprocess.run(
        [sys.executable, str(PERF / "api_load_benchmark.py"), "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    for option in ("--duration", "--connections", "--keep"):
        assert option in done.stdout


def test_the_benchmark_urlconf_adds_a_bare_view_to_the_app(perf_on_path):
    import load_settings

    assert load_settings.ROOT_URLCONF == "load_urls"
    match = resolve("/perf/bare/", urlconf="load_urls")
    response = match.func(RequestFactory().get("/perf/bare/"))
    assert (response.status_code, response.content) == (200, b"ok")
    # Every URL of the app is there too, under the same names.
    assert reverse("api-scores", kwargs={"assessment_id": 1}, urlconf="load_urls") == (
        "/api/v1/assessments/1/scores/"
    )
    with pytest.raises(Exception, match="perf-bare"):
        reverse("perf-bare")  # not in the app's own URLconf


class _Echo(BaseHTTPRequestHandler):
    """Stands in for the answer endpoint: echoes the comment, records each path."""

    protocol_version = "HTTP/1.1"
    seen: list[str] = []

    def do_PUT(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.seen.append(self.path)
        comment = json.loads(body)["comment"]
        reply = json.dumps({"comment": comment}, separators=(",", ":")).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    def log_message(self, *args):
        pass


@pytest.mark.skipif(shutil.which("wrk") is None, reason="wrk is not installed")
def test_the_write_script_sends_each_pair_once_and_knows_which_were_acknowledged(tmp_path):
    pairs = tmp_path / "pairs.txt"
    pairs.write_text("".join(f"token{n} q{n % 7} {n % 5 + 1}\n" for n in range(50_000)))
    acked = tmp_path / "acked.txt"
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Echo)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        done = subprocess.run(
            [
                "wrk",
                "-t2",
                "-c4",
                "-d1s",
                "-s",
                str(PERF / "wrk" / "answers.lua"),
                f"http://127.0.0.1:{server.server_port}/api/v1/",
            ],
            env={
                **os.environ,
                "LOAD_PAIRS_FILE": str(pairs),
                "LOAD_ACKED_FILE": str(acked),
                "LOAD_THREADS": "2",
            },
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        )
    finally:
        server.shutdown()
    line = next(x for x in done.stdout.splitlines() if x.startswith("RESULT "))
    result = json.loads(line.removeprefix("RESULT "))
    numbers = [int(n) for n in acked.read_text().split()]
    sent = [p.removeprefix("/api/v1/respond/").rstrip("/") for p in _Echo.seen]

    assert result["ok"] > 0 and result["non_2xx"] == 0 and result["unechoed"] == 0
    assert len(numbers) == result["ok"] == len(set(numbers))
    assert len(sent) == len(set(sent))  # no pair twice
    assert {f"token{n}/answers/q{n % 7}" for n in numbers} <= set(sent)
    assert result["p50_us"] <= result["p95_us"]


def test_the_reminder_benchmark_runs_at_a_small_size():
    """perf/reminder_benchmark.py end to end on a throwaway SQLite database: 20 and 2
    assessments, the same query count, a second sweep that claims nothing."""
    command = [sys.executable, str(PERF / "reminder_benchmark.py")]
    command += ["--respondents", "400", "--assessments", "20", "--compare", "2"]
    done = subprocess.run(
        command,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        env={k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
    )
    assert done.returncode == 0, done.stdout + done.stderr
    result = next(line for line in done.stdout.splitlines() if line.startswith("RESULT "))
    assert result.endswith(": OK")
    assert "queries 6 for 2 assessments, 6 for 20" in result
