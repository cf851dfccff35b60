"""A roadmap deleted while milestones are being added, edited and deleted: every request
ends in its success or a clear refusal (404 or 409), never a 500; nothing is left behind.
PostgreSQL only: SQLite serializes every writer, so the requests never overlap there."""

import threading

import pytest
from django.db import connection
from django.test import Client

from roadmap.models import Milestone, Roadmap

WRITERS = 12


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("round_", range(3))
def test_deleting_a_roadmap_while_milestones_change_never_makes_a_500(roadmap, carol, round_):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite serializes every writer)")
    existing = list(roadmap.milestones.values_list("pk", flat=True)[:WRITERS])
    requests = [("delete", f"/api/v1/roadmaps/{roadmap.pk}/", None)]
    for n in range(WRITERS):
        body = f'{{"title": "Added {n}", "phase": {1 + n % 4}}}'
        requests.append(("post", f"/api/v1/roadmaps/{roadmap.pk}/milestones/", body))
    for pk in existing[: WRITERS // 2]:
        requests.append(("patch", f"/api/v1/milestones/{pk}/", '{"title": "Renamed"}'))
    for pk in existing[WRITERS // 2 :]:
        requests.append(("delete", f"/api/v1/milestones/{pk}/", None))
    # The roadmap's delete starts in the middle of the crowd, not first.
    requests.insert(len(requests) // 2, requests.pop(0))
    barrier = threading.Barrier(len(requests))
    results: list[tuple[str, str, int, bytes]] = []

    def send(method, url, body):
        client = Client(raise_request_exception=False)  # a server error is a 500 here
        client.force_login(carol)
        try:
            barrier.wait()
            if body is None:
                response = getattr(client, method)(url)
            else:
                response = getattr(client, method)(url, body, content_type="application/json")
            results.append((method, url, response.status_code, response.content[:300]))
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=request) for request in requests]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(results) == len(requests)
    statuses = {(m, u): s for m, u, s, _ in results}
    assert statuses[("delete", f"/api/v1/roadmaps/{roadmap.pk}/")] == 204
    for method, url, status, content in results:
        assert status in (200, 201, 204, 404, 409), (method, url, status, content)
        if status in (404, 409):
            assert b'"errors"' in content
    assert not Roadmap.objects.filter(pk=roadmap.pk).exists()
    assert not Milestone.objects.filter(roadmap_id=roadmap.pk).exists()
