"""With Redis unreachable the cache falls back to each process's memory: logins are still
throttled (per process), cached scores are computed again, nobody gets a 500, and the
outage is logged."""

import logging
import socket

import pytest

from config.cache import RedisCacheWithLocalFallback
from tests.roadmap.conftest import answer_all

PASSWORD = "correct horse battery staple"  # tests/factories.py


def _dead_redis_url() -> str:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"redis://127.0.0.1:{port}/0"


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "config.cache.RedisCacheWithLocalFallback",
            "LOCATION": _dead_redis_url(),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }


def test_operations_fall_back_to_memory_and_the_outage_is_logged_once(caplog):
    cache = RedisCacheWithLocalFallback(_dead_redis_url(), {})
    with caplog.at_level(logging.ERROR, logger="config.cache"):
        assert cache.add("count", 0, timeout=60)
        assert cache.incr("count") == 1
        assert cache.incr("count") == 2
        cache.set_many({"a": 1, "b": 2})
        assert cache.get_many(["a", "b", "count"]) == {"a": 1, "b": 2, "count": 2}
        cache.delete_many(["a", "b"])
        assert cache.get("a", "gone") == "gone"
        assert cache.get_or_set("c", 3) == 3
        with pytest.raises(ValueError):
            cache.incr("missing")  # the same contract as Redis

    outage = [r for r in caplog.records if "Redis is unreachable" in r.getMessage()]
    assert len(outage) == 1


def test_logins_are_still_throttled_without_redis(client, alice, redis_down):
    for _ in range(10):
        response = client.post(
            "/accounts/login/",
            {"username": "alice", "password": "wrong"},
            REMOTE_ADDR="203.0.113.7",
        )
        assert response.status_code == 200

    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="203.0.113.7"
    )
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_login_and_the_scores_work_without_redis(
    client, alice, assessment, respondent, redis_down
):
    answer_all(respondent, 3)
    response = client.post(
        "/accounts/login/", {"username": "alice", "password": PASSWORD}, REMOTE_ADDR="203.0.113.8"
    )
    assert response.status_code == 302

    first = client.get(f"/api/v1/assessments/{assessment.pk}/scores/")
    again = client.get(f"/api/v1/assessments/{assessment.pk}/scores/")
    assert first.status_code == again.status_code == 200
    assert first.json() == again.json()
    assert first.json()["respondents_submitted"] == 1
