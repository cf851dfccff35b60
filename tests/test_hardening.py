"""Issue 7, hardening: login throttling, session lifetime, password hashing and the
security headers. (The audit log has its own tests in tests/audit/.)"""

import os
import secrets
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from common.security import CONTENT_SECURITY_POLICY, LOGIN_TIME_KEY
from organizations import throttling

BASE_DIR = Path(__file__).resolve().parents[1]
PASSWORD = "correct horse battery staple"  # tests/factories.py
LOGIN_URL = "/accounts/login/"


@pytest.fixture
def address():
    """A documentation address (RFC 5737) of its own, so a shared Redis never locks
    127.0.0.1 for other tests; its counters are removed afterwards. The fixture users'
    account counters start at zero: other tests fail their logins on purpose (a wrong
    password to the token endpoint), and which of them ran before in this process
    depends on how the suite was split between processes."""
    ip = f"203.0.113.{uuid.uuid4().int % 250 + 1}"
    for name in ("alice", "bob", "carol", "erin"):
        throttling.reset(cache, name, ip)
    names = []
    yield ip, names
    for name in names:
        throttling.reset(cache, name, ip)
    throttling.reset(cache, "", ip)


def _post_login(client, username, password, ip):
    return client.post(LOGIN_URL, {"username": username, "password": password}, REMOTE_ADDR=ip)


def _fail(client, username, ip, times):
    for _ in range(times):
        response = _post_login(client, username, "wrong password", ip)
        assert response.status_code == 200, response.status_code


# --- login throttling -----------------------------------------------------------------


def test_the_eleventh_failed_attempt_is_refused_even_with_the_right_password(
    client, alice, address
):
    ip, names = address
    names.append("alice")
    _fail(client, "alice", ip, 10)
    response = _post_login(client, "alice", PASSWORD, ip)
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    assert "Try again in 15 minutes" in response.content.decode()
    assert 0 < int(response["Retry-After"]) <= settings.LOGIN_LOCKOUT_SECONDS
    assert "_auth_user_id" not in client.session


def test_user_a_failures_from_an_address_do_not_lock_user_b_there_below_the_address_limit(
    client, alice, erin, address
):
    # Issue 13: this used to lock the whole address after 10 failures, whoever made them.
    ip, names = address
    names.append("alice")
    _fail(client, "alice", ip, settings.LOGIN_FAILURE_LIMIT)
    assert _post_login(client, "alice", PASSWORD, ip).status_code == 429  # alice is locked
    # Others at the same address fail too, just below the per-address limit in all ...
    below = settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS - 1 - settings.LOGIN_FAILURE_LIMIT
    per_name = settings.LOGIN_FAILURE_LIMIT - 1
    for i in range(0, below, per_name):
        names.append(f"nobody{i}")
        _fail(client, f"nobody{i}", ip, min(per_name, below - i))
    # ... and erin, at the same address, still logs in.
    response = _post_login(client, "erin", PASSWORD, ip)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(erin.pk)


def test_the_per_address_limit_locks_every_account_from_the_address(client, alice, erin, address):
    ip, names = address
    names.extend(f"nobody{i}" for i in range(settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS))
    for name in names:
        _fail(client, name, ip, 1)
    response = _post_login(client, "erin", PASSWORD, ip)
    assert response.status_code == 429
    assert "Too many failed login attempts" in response.content.decode()
    # Another address is not locked, nor is alice's account.
    other = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    try:
        assert _post_login(client, "alice", PASSWORD, other).status_code == 302
    finally:
        throttling.reset(cache, "alice", other)


def test_ten_failures_for_one_account_lock_it_from_every_address(client, alice, address):
    ip, names = address
    names.append("alice")
    _fail(client, "alice", ip, 9)
    other = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    third = f"192.0.2.{uuid.uuid4().int % 250 + 1}"  # where alice never failed
    try:
        _fail(client, "ALICE", other, 1)  # user names are compared case-insensitively
        assert _post_login(client, "alice", PASSWORD, other).status_code == 429
        assert _post_login(client, "alice", PASSWORD, third).status_code == 429
    finally:
        throttling.reset(cache, "alice", other)
        throttling.reset(cache, "alice", third)


def test_nine_failures_then_the_right_password_logs_in_and_clears_the_account_count(
    client, alice, address
):
    ip, names = address
    names.append("alice")
    _fail(client, "alice", ip, 9)
    assert _post_login(client, "alice", PASSWORD, ip).status_code == 302
    client.logout()
    other = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    try:
        _fail(client, "alice", other, 9)  # the account starts counting again from zero
        assert _post_login(client, "alice", PASSWORD, other).status_code == 302
    finally:
        throttling.reset(cache, "alice", other)


def test_the_lockout_expires(client, alice, address, monkeypatch):
    ip, names = address
    names.append("alice")
    _fail(client, "alice", ip, 10)
    assert _post_login(client, "alice", PASSWORD, ip).status_code == 429
    later = time.time() + settings.LOGIN_LOCKOUT_SECONDS + 1
    monkeypatch.setattr(throttling, "_now", lambda: later)
    assert _post_login(client, "alice", PASSWORD, ip).status_code == 302


def _store():
    from django.core.cache.backends.locmem import LocMemCache

    return LocMemCache(f"throttle-{uuid.uuid4().hex}", {})


POLICY = throttling.Policy(limit=3, address_limit=5, window=60, lockout=100, warn_after=2)
T0 = 1_000_000.0


def test_the_account_limit_in_the_throttling_module():
    store = _store()
    fail = throttling.register_failure
    assert not fail(store, "u", "192.0.2.1", POLICY, now=T0).locked
    assert not fail(store, "u", "192.0.2.2", POLICY, now=T0).locked
    assert not throttling.locked_until(store, "u", "192.0.2.1", now=T0)
    # The third failure for the account, from a third address, locks the account ...
    failure = fail(store, "u", "192.0.2.3", POLICY, now=T0)
    assert failure.locked == {throttling.ACCOUNT}
    assert failure.attempts_left == 0
    # ... from every address, until the lockout ends; other accounts are not locked.
    assert throttling.locked_until(store, "u", "192.0.2.9", now=T0 + 99) == T0 + 100
    assert throttling.locked_until(store, "U ", None, now=T0 + 99) == T0 + 100
    assert not throttling.locked_until(store, "x", "192.0.2.3", now=T0 + 99)
    assert not throttling.locked_until(store, "u", "192.0.2.1", now=T0 + 101)


def test_the_address_limit_in_the_throttling_module():
    store = _store()
    ip = "192.0.2.1"
    for name in ("a", "a", "b", "b"):  # 4 failures from the address, 2 per account
        assert not throttling.register_failure(store, name, ip, POLICY, now=T0).locked
    assert not throttling.locked_until(store, "c", ip, now=T0)
    failure = throttling.register_failure(store, "c", ip, POLICY, now=T0)
    assert failure.locked == {throttling.ADDRESS}
    assert throttling.locked_until(store, "d", ip, now=T0 + 99) == T0 + 100
    assert not throttling.locked_until(store, "d", "192.0.2.2", now=T0 + 99)
    assert not throttling.locked_until(store, "a", "192.0.2.2", now=T0 + 99)


def test_the_pair_limit_in_the_throttling_module():
    store = _store()
    ip, attacker = "192.0.2.1", "192.0.2.66"
    throttling.register_failure(store, "u", attacker, POLICY, now=T0)
    throttling.register_failure(store, "u", attacker, POLICY, now=T0)
    # The owner logs in from elsewhere: the account's count starts again, not the pair's.
    throttling.register_success(store, "u", ip)
    failure = throttling.register_failure(store, "u", attacker, POLICY, now=T0)
    assert failure.locked == {throttling.PAIR}
    assert failure.attempts_left == 2  # the account itself is not locked
    assert throttling.locked_until(store, "u", attacker, now=T0) == T0 + 100
    assert not throttling.locked_until(store, "u", ip, now=T0)
    assert not throttling.locked_until(store, "x", attacker, now=T0)


def test_the_warning_in_the_throttling_module():
    store = _store()
    first = throttling.register_failure(store, "u", "192.0.2.1", POLICY, now=T0)
    assert (first.account_failures, first.warn) == (1, False)
    assert throttling.failure_hint(first, POLICY) is None
    second = throttling.register_failure(store, "u", "192.0.2.1", POLICY, now=T0)
    assert (second.account_failures, second.attempts_left, second.warn) == (2, 1, True)
    assert throttling.failure_hint(second, POLICY) == (
        "Warning: 1 attempt left before this account is locked for 2 minutes."
    )
    third = throttling.register_failure(store, "u", "192.0.2.1", POLICY, now=T0)
    assert "this account is now locked for 2 minutes" in throttling.failure_hint(third, POLICY)


def test_the_login_page_warns_from_the_fifth_failure_how_many_attempts_are_left(
    client, alice, address
):
    ip, names = address
    names.append("alice")
    limit, warn_after = settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_WARNING_AFTER
    minutes = round(settings.LOGIN_LOCKOUT_SECONDS / 60)
    assert (limit, warn_after, minutes) == (10, 5, 15)  # the documented defaults
    for failures in range(1, limit + 1):
        page = _post_login(client, "alice", "wrong password", ip).content.decode()
        assert "Please enter a correct username and password" in page
        left = limit - failures
        if failures < warn_after:
            assert "Warning:" not in page and "locked" not in page, failures
        elif left:
            attempts = "attempt" if left == 1 else "attempts"
            warning = f"Warning: {left} {attempts} left before this account is locked"
            assert f"{warning} for {minutes} minutes." in page, failures
        else:
            assert f"this account is now locked for {minutes} minutes" in page
    assert _post_login(client, "alice", PASSWORD, ip).status_code == 429


def test_the_counter_lives_in_the_django_cache_not_in_the_process(client, alice, address):
    ip, names = address
    names.append("alice")
    _fail(client, "alice", ip, 1)
    digest_keys = throttling._keys("alice", ip)  # account, account and address, address
    assert [cache.get(key) for key in digest_keys] == [1, 1, 1]


CHILD = """
import sys
from unittest import mock

import django

django.setup()
from django.test import Client
from django.test.utils import setup_test_environment

setup_test_environment()

username, ip, times = sys.argv[1], sys.argv[2], int(sys.argv[3])
client = Client()
# No database in this process: an unknown account fails without one.
with mock.patch("django.contrib.auth.forms.authenticate", return_value=None):
    for _ in range(times):
        response = client.post(
            "/accounts/login/", {"username": username, "password": "wrong"}, REMOTE_ADDR=ip
        )
        assert response.status_code == 200, response.status_code
print("ok")
"""


def test_two_processes_share_the_counter_through_redis(client, db, address):
    if not os.environ.get("REDIS_URL"):
        message = "the shared-counter test needs REDIS_URL (a cache shared by processes)"
        if os.environ.get("REQUIRE_WORKER_TESTS") == "1":
            pytest.fail(f"REQUIRE_WORKER_TESTS=1: {message}", pytrace=False)
        pytest.skip(message)
    assert "RedisCache" in settings.CACHES["default"]["BACKEND"]
    ip, names = address
    username = f"someone-{uuid.uuid4().hex[:8]}"
    names.append(username)
    result = subprocess.run(
        [sys.executable, "-c", CHILD, username, ip, "5"],
        cwd=BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings"},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and "ok" in result.stdout, result.stdout + result.stderr
    _fail(client, username, ip, 5)
    assert _post_login(client, username, "anything", ip).status_code == 429


# --- sessions -------------------------------------------------------------------------


def test_the_session_key_changes_at_login(client, alice, address):
    ip, names = address
    names.append("alice")
    client.get(LOGIN_URL)
    session = client.session
    session["before-login"] = True
    session.save()
    before = session.session_key
    assert client.cookies[settings.SESSION_COOKIE_NAME].value == before
    assert _post_login(client, "alice", PASSWORD, ip).status_code == 302
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert after != before
    assert not Session.objects.filter(session_key=before).exists()


def test_sessions_end_after_30_idle_minutes_and_every_request_renews_them(client, alice):
    assert settings.SESSION_COOKIE_AGE == 1800
    assert settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(alice)
    key = client.session.session_key
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timezone.timedelta(0, 60))
    assert client.get("/organizations/").status_code == 200
    renewed = Session.objects.get(pk=key).expire_date - timezone.now()
    assert 1790 < renewed.total_seconds() <= 1800
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    assert int(cookie["max-age"]) == 1800
    # Idle for longer than that: the session is gone.
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timezone.timedelta(0, 1))
    response = client.get("/organizations/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def _set_login_time(client, value: float) -> None:
    session = client.session
    session[LOGIN_TIME_KEY] = value
    session.save()


def test_sessions_end_12_hours_after_login_however_active(client, alice, address):
    ip, names = address
    names.append("alice")
    assert settings.SESSION_ABSOLUTE_SECONDS == 43200
    assert _post_login(client, "alice", PASSWORD, ip).status_code == 302
    started = client.session[LOGIN_TIME_KEY]
    assert abs(started - time.time()) < 60
    _set_login_time(client, time.time() - 43200 + 60)
    assert client.get("/organizations/").status_code == 200
    _set_login_time(client, time.time() - 43200 - 1)
    response = client.get("/organizations/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    # The API refuses the ended session too.
    assert client.get("/api/v1/assessments/1/scores/").status_code in (401, 403)


# --- production settings: password hashing and cookies ----------------------------------


def _production(code: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(48),
        DJANGO_ALLOWED_HOSTS="example.com",
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "--no-imports", "-c", code],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout.strip()


def test_production_hashes_new_passwords_with_argon2_and_sets_strict_cookies():
    output = _production(
        "from django.conf import settings as s\n"
        "from django.contrib.auth.models import User\n"
        "u = User(username='new'); u.set_password('a long passphrase')\n"
        "print(u.password.split('$')[0])\n"
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE)\n"
        "print(s.CSRF_COOKIE_SECURE, s.CSRF_COOKIE_SAMESITE, s.SECURE_SSL_REDIRECT)\n"
    )
    assert output.splitlines() == ["argon2", "True True Lax", "True Lax True"]


# --- security headers -----------------------------------------------------------------


def _assert_security_headers(response):
    assert response["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert uuid.UUID(response["X-Request-ID"])


def test_the_content_security_policy_allows_no_inline_script():
    directives = dict(d.split(" ", 1) for d in CONTENT_SECURITY_POLICY.split("; "))
    assert directives["script-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    # plotly.js inserts <style> elements and style attributes: styles only.
    assert directives["style-src"] == "'self' 'unsafe-inline'"


def test_security_headers_on_a_page(client, alice):
    _assert_security_headers(client.get(LOGIN_URL))
    client.force_login(alice)
    _assert_security_headers(client.get("/organizations/"))


def test_security_headers_on_the_api(client, alice, assessment):
    _assert_security_headers(client.get("/api/v1/respond/no-such-token/"))
    client.force_login(alice)
    response = client.get(f"/api/v1/assessments/{assessment.pk}/scores/")
    assert response.status_code == 200
    _assert_security_headers(response)


def test_security_headers_on_the_admin(client, django_user_model):
    _assert_security_headers(client.get("/admin/login/"))
    staff = django_user_model.objects.create_user("staff", password=PASSWORD, is_staff=True)
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    response = client.get("/admin/")
    assert response.status_code == 200
    _assert_security_headers(response)


def test_every_request_gets_its_own_id(client, db):
    first = client.get(LOGIN_URL)["X-Request-ID"]
    second = client.get(LOGIN_URL)["X-Request-ID"]
    assert first != second


def test_the_api_docs_keep_the_policy_and_redoc_allows_only_its_own_inline_script(client, db):
    docs = client.get("/api/docs/")
    assert docs["Content-Security-Policy"] == CONTENT_SECURITY_POLICY
    assert "<script>" not in docs.content.decode()
    redoc = client.get("/api/redoc/")
    policy = redoc["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]
    # Each inline script of the page (none with today's Redoc settings) is allowed by hash.
    assert policy.count("'sha256-") == redoc.content.decode().count("<script>")
    assert policy.endswith("; worker-src 'self' blob:")


def test_the_api_docs_ask_nothing_of_another_host(client, db):
    docs = client.get("/api/docs/").content.decode()
    assert "/static/drf_spectacular_sidecar/" in docs
    redoc = client.get("/api/redoc/").content.decode()
    assert '<script src="/api/redoc-dist/bundles/redoc.standalone.js">' in redoc
    for page in (docs, redoc):
        assert "<title>" in page
        assert "https://" not in page and "http://" not in page
    # Redoc's bundle is the sidecar's without the logo it would load from cdn.redoc.ly
    # (blocked by the CSP: a console error on every visit).
    bundle = client.get("/api/redoc-dist/bundles/redoc.standalone.js")
    assert bundle.status_code == 200
    assert bundle["Content-Type"].startswith("text/javascript")
    body = bundle.content.decode()
    assert "cdn.redoc.ly" not in body
    assert "API docs by Redocly" in body and len(body) > 500_000


def test_every_page_names_its_icons_and_favicon_ico_finds_one(client, db):
    login = client.get("/accounts/login/").content.decode()
    for icon in ("icons/favicon.ico", "icons/icon.svg", "icons/apple-touch-icon.png"):
        assert f"/static/{icon}" in login
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file


def test_allowing_a_pages_own_inline_scripts_hashes_exactly_them(rf):
    import base64
    import hashlib

    from django.http import HttpResponse

    from common.security import allow_own_inline_scripts

    view = allow_own_inline_scripts(lambda request: HttpResponse("<script>go()</script>"))
    policy = view(rf.get("/"))["Content-Security-Policy"]
    digest = base64.b64encode(hashlib.sha256(b"go()").digest()).decode()
    assert f"script-src 'self' 'sha256-{digest}';" in policy


def _post_token(client, username, password, ip):
    return client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        content_type="application/json",
        REMOTE_ADDR=ip,
    )


def test_the_api_token_endpoint_is_throttled_like_the_login_page(client, alice, address):
    ip, names = address
    names.append("alice")
    for failures in range(1, 11):
        response = _post_token(client, "alice", "x", ip)
        assert response.status_code == 400
        messages = [error["message"] for error in response.json()["errors"]]
        if failures == 5:
            assert messages[1] == (
                "Warning: 5 attempts left before this account is locked for 15 minutes."
            )
        if failures < 5:
            assert len(messages) == 1
    response = _post_token(client, "alice", PASSWORD, ip)
    assert response.status_code == 429
    assert response.json()["errors"][0]["code"] == "throttled"
    assert "Too many failed login attempts" in response.json()["errors"][0]["message"]
    # The login page shares the same counters.
    assert _post_login(client, "alice", PASSWORD, ip).status_code == 429


def test_the_api_token_endpoint_locks_one_account_not_its_neighbours(client, alice, erin, address):
    ip, names = address
    names.append("alice")
    other = f"198.51.100.{uuid.uuid4().int % 250 + 1}"
    try:
        for _ in range(settings.LOGIN_FAILURE_LIMIT):
            assert _post_token(client, "alice", "x", ip).status_code == 400
        # Alice is locked from every address; erin, at the same address, is not.
        assert _post_token(client, "alice", PASSWORD, other).status_code == 429
        assert _post_token(client, "erin", PASSWORD, ip).status_code == 200
    finally:
        throttling.reset(cache, "alice", other)


def test_the_api_token_endpoint_refuses_an_address_over_its_limit(client, erin, address):
    ip, names = address
    names.extend(f"nobody{i}" for i in range(settings.LOGIN_FAILURE_LIMIT_PER_ADDRESS))
    for name in names:
        assert _post_token(client, name, "x", ip).status_code == 400
    response = _post_token(client, "erin", PASSWORD, ip)
    assert response.status_code == 429
    assert response["Retry-After"]


# --- concurrent attempts ----------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("endpoint", ["page", "api"])
def test_thirty_concurrent_wrong_logins_check_at_most_ten_passwords(alice, address, endpoint):
    """Each attempt is counted before its password is checked, so attempts that arrive
    together cannot check more passwords than LOGIN_FAILURE_LIMIT."""
    from threading import Barrier, Lock, Thread
    from unittest import mock

    from django.db import connection
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("concurrent logins need PostgreSQL (SQLite serializes the audit writes)")
    ip, names = address
    names.append("alice")
    checks, lock = [], Lock()
    original = type(alice).check_password

    def counted(user, raw):
        with lock:
            checks.append(raw)
        time.sleep(0.05)  # a slow hash: the attempts overlap
        return original(user, raw)

    barrier = Barrier(30)
    statuses = []

    def attempt():
        client = Client()
        try:
            barrier.wait()
            if endpoint == "page":
                response = _post_login(client, "alice", "wrong password", ip)
            else:
                response = client.post(
                    "/api/v1/auth/token/",
                    {"username": "alice", "password": "wrong password"},
                    REMOTE_ADDR=ip,
                )
            statuses.append(response.status_code)
        finally:
            connection.close()

    with mock.patch.object(type(alice), "check_password", counted):
        threads = [Thread(target=attempt) for _ in range(30)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert len(statuses) == 30
    assert len(checks) <= settings.LOGIN_FAILURE_LIMIT == 10
    assert statuses.count(429) >= 30 - 10
