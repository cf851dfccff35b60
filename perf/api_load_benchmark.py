"""The API under load: the scores endpoint (an authenticated read) and the answer
endpoint (an autosave write) served by gunicorn with 2 workers on PostgreSQL, driven by
wrk on the same machine, each against a bare Django view on the same server.

    .venv/bin/python perf/api_load_benchmark.py [--duration 60] [--connections 16] [--keep]

Steps, all on loopback and bounded in time:

1. Drops and recreates its own database (LOAD_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/aism_load; never the application's DATABASE_URL),
   migrates it and loads the reference data. Then builds one organization with a
   consultant (an API token), an assessment with `--respondents` submitted executives
   who answered every question plus a few still in progress (what the scores endpoint
   reads), and an open assessment with enough respondents that the write run can save
   each (respondent, question) pair at most once.
2. Starts `gunicorn config.wsgi -w 2` on 127.0.0.1 with the production settings
   (DJANGO_DEBUG=false, a secret key, allowed hosts, persistent database connections,
   HTTPS-only settings, access log on), plus one URL: `perf/load_settings.py` adds
   /perf/bare/ (`perf/load_urls.py`), a view returning "ok" without touching the
   database, through the same middleware. wrk sends X-Forwarded-Proto: https, as the TLS
   proxy in front of production does.
3. Runs wrk (`--threads` 2, `--connections` 16, `--duration` seconds each; the bare
   view and the scores after a short warm-up, the writes last, on warm workers) against
   the bare view, GET /api/v1/assessments/<id>/scores/ with
   "Authorization: Token ...", and PUT /api/v1/respond/<token>/answers/<question>/
   (perf/wrk/*.lua). Prints requests per second, p50/p95 latency, errors (non-2xx and
   socket errors) and each endpoint's throughput as a share of the bare view's.
4. None lost: every write's comment carries its pair's number and the response echoes
   it, so wrk knows which pairs were acknowledged; each of them must be in the database
   with the value sent. Answers saved whose response wrk never read (in flight when it
   stopped, at most one per connection) are counted apart, and the answers in the
   database must equal the server's own 200s (access log) and the audit entries.

Targets: scores at least 400 req/s with p95 under 150 ms; answers at least 150 req/s with
p95 under 250 ms; no errors. Exits non-zero when a write is lost or any request failed.
Stops gunicorn and drops the database at the end (unless --keep), also on Ctrl-C.
wrk comes from Debian (`apt-get install wrk`); run as root, the script installs it.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import warnings
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PERF = ROOT / "perf"
WRK_SCRIPTS = PERF / "wrk"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/aism_load"
ORGANIZATION = "Load benchmark organization"
# Pairs prepared for the write run: more than two cores can save in the time given.
MAX_WRITE_RATE = 2000
TARGETS = {"scores": (400, 150), "answer": (150, 250)}  # req/s at least, p95 ms under


def ensure_wrk() -> str:
    wrk = shutil.which("wrk")
    if wrk:
        return wrk
    if os.geteuid() == 0 and shutil.which("apt-get"):
        print("wrk is missing: apt-get install -y wrk")
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        quiet = {"env": env, "stdout": subprocess.DEVNULL}
        if subprocess.run(["apt-get", "install", "-y", "wrk"], **quiet).returncode:
            subprocess.run(["apt-get", "update"], check=False, **quiet)
            subprocess.run(["apt-get", "install", "-y", "wrk"], check=False, **quiet)
        wrk = shutil.which("wrk")
    if not wrk:
        sys.exit("wrk is not installed: run `apt-get install wrk` as root (Debian package).")
    return wrk


def recreate_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = sql.Identifier(url.rsplit("/", 1)[1].split("?")[0])
    try:
        admin = psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True)
    except psycopg.OperationalError as exc:
        sys.exit(f"Cannot reach PostgreSQL for {url}: {exc}")
    with admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))
        admin.execute(sql.SQL("CREATE DATABASE {}").format(name))


def drop_database(url: str) -> None:
    import psycopg
    from psycopg import sql

    name = sql.Identifier(url.rsplit("/", 1)[1].split("?")[0])
    with psycopg.connect(url.rsplit("/", 1)[0] + "/postgres", autocommit=True) as admin:
        admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name))


def server_environment(url: str) -> dict[str, str]:
    """Production settings (config/settings.py reads them) for the server and for this
    process, which builds the data with the same settings module."""
    return {
        "DJANGO_SETTINGS_MODULE": "load_settings",
        "PYTHONPATH": os.pathsep.join([str(PERF), str(ROOT)]),
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": url,
        "DATABASE_CONN_MAX_AGE": "60",
        # The scores' cache is then each worker's own memory; nothing queues a task.
        "REDIS_URL": "",
        "LOG_LEVEL": "WARNING",
        # whitenoise: no collected static files here, and none are requested.
        "PYTHONWARNINGS": "ignore:No directory at:UserWarning",
    }


def setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    sys.path[:0] = [str(PERF), str(ROOT)]
    warnings.filterwarnings("ignore", "No directory at", UserWarning)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115


def plausible_value(rng: random.Random, question, optimism: int) -> tuple[str, int | None]:
    roll = rng.random()
    if roll < 0.05:
        return "dont_know", None
    if roll < 0.08 and question.allow_na:
        return "na", None
    base = 2 + question.dimension_id % 2 + optimism
    return "level", max(1, min(5, base + rng.choice([-1, 0, 0, 1])))


def build_data(respondents: int, write_pairs: int, seed: int = 7) -> dict:
    """The read assessment (submitted respondents with every answer), the write
    assessment (open respondents, no answers yet) and the pairs the write run saves."""
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone
    from rest_framework.authtoken.models import Token

    from assessments import services
    from assessments.models import Answer, ExecutiveRole, Question, Respondent
    from assessments.selectors import latest_bank
    from organizations.models import Industry, Region, SizeBand
    from organizations.services import organization_create

    rng = random.Random(seed)
    bank = latest_bank()
    questions = list(Question.objects.filter(bank=bank).order_by("position"))
    roles = list(ExecutiveRole.values)
    units = ["Group", "Group IT", "Plants", "Supply chain", "Finance"]
    with transaction.atomic():
        consultant = get_user_model().objects.create(username="load-consultant")
        consultant.set_unusable_password()  # the API token is its credential here
        consultant.save()
        token = Token.objects.create(user=consultant).key
        organization = organization_create(
            user=consultant,
            name=ORGANIZATION,
            industry=Industry.MANUFACTURING,
            size_band=SizeBand.FROM_5000,
            region=Region.EUROPE,
        )
        scored = services.assessment_create(
            organization=organization, bank=bank, title="2026 baseline", user=consultant
        )
        in_progress = max(2, respondents // 5)
        people = [
            services.respondent_add(
                assessment=scored,
                name=f"Executive {n:03d}",
                email=f"exec{n:03d}@load.example",
                role=roles[n % len(roles)],
                title=f"Title {n % 7}",
                business_unit=units[n % len(units)],
            )
            for n in range(respondents + in_progress)
        ]
        answers = []
        for n, person in enumerate(people):
            answered = questions if n < respondents else questions[: len(questions) // 2]
            for question in answered:
                kind, level = plausible_value(rng, question, optimism=n % 3 == 0)
                answers.append(Answer(respondent=person, question=question, kind=kind, level=level))
        Answer.objects.bulk_create(answers)
        submitted = [p.pk for p in people[:respondents]]
        Respondent.objects.filter(pk__in=submitted).update(submitted_at=timezone.now())

        autosave = services.assessment_create(
            organization=organization, bank=bank, title="2026 autosave", user=consultant
        )
        count = math.ceil(write_pairs / len(questions))
        expires = timezone.now() + timedelta(days=30)
        writers = Respondent.objects.bulk_create(
            Respondent(
                assessment=autosave,
                name=f"Respondent {n:05d}",
                email=f"r{n:05d}@load.example",
                role=roles[n % len(roles)],
                business_unit=units[n % len(units)],
                token_expires_at=expires,
            )
            for n in range(count)
        )
    # Pair n: respondent n mod R, question n div R, so concurrent requests belong to
    # different respondents, each answering the questionnaire in order.
    pairs = [
        (writers[n % count].token, questions[n // count].key, rng.randint(1, 5))
        for n in range(count * len(questions))
    ]
    return {
        "token": token,
        "organization": organization.pk,
        "scored": scored.pk,
        "autosave": autosave.pk,
        "submitted": respondents,
        "answers": len(answers),
        "questions": len(questions),
        "writers": count,
        "pairs": pairs,
        "spare_respondent": people[-1].token,
        "spare_question": questions[-1].key,
    }


def queries_per_request(data: dict) -> dict[str, int]:
    """Database queries of one request to each endpoint, counted in this process with
    the test client (the write goes to a respondent outside the write run)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    scores = f"/api/v1/assessments/{data['scored']}/scores/"
    answer = f"/api/v1/respond/{data['spare_respondent']}/answers/{data['spare_question']}/"
    counts = {}
    for name, call in (
        ("bare", lambda: client.get("/perf/bare/")),
        ("scores", lambda: client.get(scores, HTTP_AUTHORIZATION=f"Token {data['token']}")),
        ("answer", lambda: client.put(answer, {"value": 3}, content_type="application/json")),
    ):
        call()  # warm: caches, URL resolver
        with CaptureQueriesContext(connection) as captured:
            response = call()
        if response.status_code != 200:
            sys.exit(f"{name}: HTTP {response.status_code} in-process: {response.content[:300]!r}")
        counts[name] = len(captured.captured_queries)
    return counts


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(env: dict[str, str], port: int, workdir: Path) -> subprocess.Popen:
    command = [
        str(ROOT / ".venv" / "bin" / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        "2",
        "--chdir",
        str(ROOT),
        "--access-logfile",
        str(workdir / "access.log"),
        "--error-logfile",
        str(workdir / "gunicorn.log"),
    ]
    # A session of its own: Ctrl-C reaches this script, which stops the server itself.
    server = subprocess.Popen(command, env={**os.environ, **env}, start_new_session=True)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if server.poll() is not None:
            sys.exit(f"gunicorn exited ({server.returncode}); see {workdir / 'gunicorn.log'}")
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/perf/bare/", headers={"X-Forwarded-Proto": "https"}
        )
        try:
            with urllib.request.urlopen(request, timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.2)
    sys.exit(f"gunicorn did not answer within 30 s; see {workdir / 'gunicorn.log'}")


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)  # the master and its two workers
    try:
        server.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


def run_wrk(wrk: str, args, script: str, url: str, seconds: float, env: dict) -> dict:
    command = [
        wrk,
        "--threads",
        str(args.threads),
        "--connections",
        str(args.connections),
        "--duration",
        f"{seconds:g}s",
        "--timeout",
        "10s",
        "--script",
        str(WRK_SCRIPTS / script),
        url,
    ]
    env = {**os.environ, **env, "LOAD_THREADS": str(args.threads)}
    load_before = os.getloadavg()[0]
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode or not lines:
        sys.exit(f"wrk failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    result = json.loads(lines[-1].removeprefix("RESULT "))
    seconds = result["duration_us"] / 1e6
    sockets = sum(result[k] for k in ("connect", "read", "write", "timeout"))
    result.update(
        rps=result["requests"] / seconds,
        p50=result["p50_us"] / 1000,
        p95=result["p95_us"] / 1000,
        errors=result["non_2xx"] + sockets,
        sockets=sockets,
        load=(load_before, os.getloadavg()[0]),
    )
    return result


def check_writes(data: dict, acked_file: Path, access_log: Path) -> dict:
    """Every acknowledged pair must be in the database with the value it was sent."""
    from assessments.models import Answer
    from audit.models import AuditEntry

    acked = [int(line) for line in acked_file.read_text().split()]
    saved = {
        (token, key): (level, comment)
        for token, key, level, comment in Answer.objects.filter(
            respondent__assessment_id=data["autosave"]
        ).values_list("respondent__token", "question__key", "level", "comment")
    }
    lost = []
    for n in acked:
        token, key, level = data["pairs"][n]
        if saved.get((token, key)) != (level, f"load pair {n}"):
            lost.append(n)
    prefix = "/api/v1/respond/"
    with access_log.open() as log:
        server_ok = sum(1 for line in log if f'"PUT {prefix}' in line and '" 200 ' in line)
    return {
        "acked": len(acked),
        "distinct": len(set(acked)),
        "rows": len(saved),
        "lost": lost,
        "unacknowledged": len(saved) - (len(set(acked)) - len(lost)),
        "server_ok": server_ok,
        "audit": AuditEntry.objects.filter(
            action="answer.saved", respondent__assessment_id=data["autosave"]
        ).count(),
    }


def met(ok: bool) -> str:
    return "met" if ok else "MISSED"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=60, help="seconds per endpoint")
    parser.add_argument("--warmup", type=float, default=3, help="seconds before each run")
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument(
        "--respondents", type=int, default=40, help="submitted respondents the scores read"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database and logs")
    args = parser.parse_args()
    url = os.environ.get("LOAD_DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        sys.exit("This benchmark measures PostgreSQL: set LOAD_DATABASE_URL=postgres://…")
    wrk = ensure_wrk()
    workdir = Path(tempfile.mkdtemp(prefix="aism-load-"))
    # Ctrl-C raises KeyboardInterrupt; a plain kill should clean up too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    server = None
    created = False
    print(
        f"{time.strftime('%Y-%m-%d %H:%M')}, load average "
        + " ".join(f"{x:.2f}" for x in os.getloadavg())
    )
    try:
        started = time.perf_counter()
        recreate_database(url)
        created = True
        env = server_environment(url)
        setup_django(env)
        data = build_data(args.respondents, math.ceil(args.duration * MAX_WRITE_RATE))
        pairs_file = workdir / "pairs.txt"
        pairs_file.write_text("".join(f"{t} {k} {v}\n" for t, k, v in data["pairs"]))
        queries = queries_per_request(data)
        from django.db import connection, connections

        server_version = connection.cursor().connection.info.server_version // 10000
        connections.close_all()
        print(
            f"PostgreSQL {server_version}, database {url.rsplit('/', 1)[1]}: scores read "
            f"{data['submitted']} submitted respondents × {data['questions']} questions "
            f"({data['answers']:,} answers with those in progress); writes go to "
            f"{data['writers']:,} open respondents ({len(data['pairs']):,} pairs); "
            f"set up in {time.perf_counter() - started:.1f} s"
        )
        print(
            f"queries per request: bare {queries['bare']}, scores {queries['scores']}, "
            f"answer {queries['answer']} (in-process, test client)"
        )

        port = free_port()
        server = start_server(env, port, workdir)
        base = f"http://127.0.0.1:{port}"
        endpoints = {
            "bare": ("get.lua", f"{base}/perf/bare/", {}),
            "scores": (
                "get.lua",
                f"{base}/api/v1/assessments/{data['scored']}/scores/",
                {"LOAD_API_TOKEN": data["token"]},
            ),
            "answer": (
                "answers.lua",
                f"{base}/api/v1/",
                {
                    "LOAD_PAIRS_FILE": str(pairs_file),
                    "LOAD_ACKED_FILE": str(workdir / "acked.txt"),
                },
            ),
        }
        print(
            f"gunicorn config.wsgi, 2 sync workers, 127.0.0.1:{port}; wrk {args.threads} "
            f"threads, {args.connections} connections, {args.duration:g} s per endpoint "
            f"after {args.warmup:g} s warm-up; {os.cpu_count()} cores shared by all"
        )
        results = {}
        for name, (script, target, extra) in endpoints.items():
            if args.warmup and name != "answer":  # a warm-up write would use up pairs
                run_wrk(wrk, args, script, target, args.warmup, extra)
            results[name] = r = run_wrk(wrk, args, script, target, args.duration, extra)
            print(
                f"  {name:<6} {r['requests']:>8,} requests, load average "
                f"{r['load'][0]:.2f} → {r['load'][1]:.2f}"
            )
        stop_server(server)
        check = check_writes(data, workdir / "acked.txt", workdir / "access.log")
    finally:
        if server is not None:
            stop_server(server)
        if created and not args.keep:
            from django.db import connections

            connections.close_all()
            drop_database(url)
        if args.keep:
            print(f"kept: database {url}, logs and pair files in {workdir}")
        else:
            shutil.rmtree(workdir, ignore_errors=True)

    bare = results["bare"]
    labels = {
        "bare": "bare Django view (GET)",
        "scores": "scores (GET, token)",
        "answer": "answer (PUT, autosave)",
    }
    print()
    print(f"{'endpoint':<24} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'errors':>7} {'/ bare':>7}")
    for name, r in results.items():
        print(
            f"{labels[name]:<24} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} "
            f"{r['errors']:>7,} {r['rps'] / bare['rps']:>7.2f}"
        )
    for name, r in results.items():
        if r["errors"]:
            print(
                f"  {name} errors: non-2xx {r['non_2xx']} {r['statuses']}, connect {r['connect']}, "
                f"read {r['read']}, write {r['write']}, timeout {r['timeout']}"
            )
    print()
    print(
        f"writes: {check['acked']:,} acknowledged (2xx), every one in the database with the "
        f"value sent: {'yes' if not check['lost'] else 'NO'}"
    )
    print(
        f"  answers in the database: {check['rows']:,} = {check['acked'] - len(check['lost']):,} "
        f"acknowledged + {check['unacknowledged']:,} in flight when wrk stopped "
        f"(at most {args.connections}); the server logged {check['server_ok']:,} PUT 200; "
        f"audit entries answer.saved: {check['audit']:,}"
    )
    print(f"  lost writes: {len(check['lost'])}")
    exhausted = results["answer"]["statuses"].get("404", 0)
    if exhausted:
        print(f"  {exhausted} requests found no pair left (raise MAX_WRITE_RATE)")

    errors = sum(r["errors"] for r in results.values())
    consistent = (
        not check["lost"]
        and check["acked"] == check["distinct"]
        and check["rows"] == check["server_ok"] == check["audit"]
        and 0 <= check["unacknowledged"] <= args.connections
    )
    print()
    for name, (rate, p95) in TARGETS.items():
        r = results[name]
        print(
            f"{name}: {r['rps']:.0f} req/s (target ≥ {rate}) {met(r['rps'] >= rate)}; "
            f"p95 {r['p95']:.0f} ms (target < {p95} ms) {met(r['p95'] < p95)}"
        )
    print(f"errors: {errors} (target 0) {met(errors == 0)}")
    print(f"none lost: {met(consistent)}")
    return 0 if errors == 0 and consistent else 1


if __name__ == "__main__":
    try:
        sys.exit(main())
    except KeyboardInterrupt:
        sys.exit("interrupted (gunicorn stopped)")
