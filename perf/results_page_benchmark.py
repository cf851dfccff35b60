"""The demo results page in Chromium: time from navigation to the last chart drawn, on
a phone (390×844) and a laptop (1366×900), warm cache, and the bytes it transfers.

    .venv/bin/python perf/results_page_benchmark.py [--runs 5]

A throwaway SQLite database gets the reference and demo data; `manage.py runserver`
serves it (DEBUG, static files from the app folders, as in development). The executive
logs in, opens the results page once to warm the cache, then `--runs` more times per
width: each run is timed in the page, from the navigation's start to the moment every
[data-chart] holds a drawn plotly SVG. Prints the median per width, its ratio to the
1.5 s target, and the bytes transferred on the cold (first) and a warm load.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[1]
TARGET_S = 1.5
WIDTHS = {"phone": (390, 844), "laptop": (1366, 900)}
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
ALL_CHARTS_DRAWN = (
    "() => { const charts = [...document.querySelectorAll('[data-chart]')];"
    " return charts.length > 0 && charts.every((c) => c.querySelector('.main-svg')); }"
)
TRANSFERRED = (
    "() => performance.getEntriesByType('navigation').concat("
    "performance.getEntriesByType('resource')).reduce((n, e) => n + e.transferSize, 0)"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _serve(env: dict) -> tuple[subprocess.Popen, str]:
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    for command in (["migrate", "--noinput"], ["load_reference_data"], ["load_demo_data"]):
        subprocess.run(manage + command, env=env, check=True, capture_output=True)
    port = _free_port()
    server = subprocess.Popen(
        [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return server, f"http://127.0.0.1:{port}"
        time.sleep(0.2)
    server.kill()
    raise SystemExit("the development server did not start")


def _results_url(env: dict) -> str:
    code = (
        "from assessments.models import Assessment;"
        "from results.management.commands.load_demo_data import DEMO_ORGANIZATION as N,"
        " BASELINE_TITLE as T;"
        "print(Assessment.objects.get(organization__name=N, title=T).pk)"
    )
    out = subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), "shell", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return f"/assessments/{out.split()[-1]}/results/"


def _measure(browser, base: str, path: str, size: tuple[int, int], runs: int) -> dict:
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.goto(f"{base}/accounts/login/?next={path}")
    page.fill("#id_username", "executive")
    page.fill("#id_password", "demo-password")
    page.click("button[type=submit]")
    page.wait_for_function(ALL_CHARTS_DRAWN, timeout=30_000)
    cold_bytes = page.evaluate(TRANSFERRED)  # the first load: nothing cached yet
    charts = page.evaluate("document.querySelectorAll('[data-chart]').length")
    times, warm_bytes = [], 0
    for _ in range(runs):
        page.goto(f"{base}{path}", wait_until="commit")
        page.wait_for_function(ALL_CHARTS_DRAWN, timeout=30_000, polling="raf")
        times.append(page.evaluate("performance.now()") / 1000)
        warm_bytes = page.evaluate(TRANSFERRED)
    context.close()
    return {"times": times, "cold": cold_bytes, "warm": warm_bytes, "charts": charts}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    tmp = Path(tempfile.mkdtemp(prefix="aism-results-bench-"))
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{tmp / 'db.sqlite3'}",
        "MEDIA_ROOT": str(tmp / "media"),
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    server, base = _serve(env)
    try:
        path = _results_url(env)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"]
            )
            for name, size in WIDTHS.items():
                result = _measure(browser, base, path, size, args.runs)
                median = statistics.median(result["times"])
                runs = ", ".join(f"{t:.2f}" for t in result["times"])
                print(
                    f"{name} {size[0]}x{size[1]}: last of {result['charts']} charts drawn "
                    f"after {median:.2f} s (median of {args.runs}: {runs}); "
                    f"{median / TARGET_S:.2f} × the {TARGET_S} s target; transferred "
                    f"{result['cold'] / 1024:.0f} KiB cold, {result['warm'] / 1024:.0f} KiB warm"
                )
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)


if __name__ == "__main__":
    main()
