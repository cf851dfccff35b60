"""The what-if page and API (DESIGN §10): live projection, named scenarios, clear errors."""

from assessments.models import Question
from roadmap.models import WhatIfScenario

from ..pages import find, find_all, page, text


def keys_of(assessment):
    return list(
        Question.objects.filter(bank=assessment.bank)
        .order_by("position")
        .values_list("key", flat=True)
    )


def test_the_api_projects_scores_and_placement(client, erin, submitted):
    client.force_login(erin)  # an executive may run a what-if, nothing is stored
    url = f"/api/v1/assessments/{submitted.pk}/what-if/"
    keys = keys_of(submitted)
    same = client.post(url, {"changes": {}}, content_type="application/json").json()
    assert (same["index"], same["baseline_index"]) == (50.0, 50.0)
    assert same["placement"]["phase"] == 2

    body = client.post(
        url, {"changes": dict.fromkeys(keys, 5)}, content_type="application/json"
    ).json()
    assert body["index"] == 100.0
    assert all(d["score"] == 100.0 and d["baseline"] == 50.0 for d in body["dimensions"])
    # phase 3 also needs 3 live use cases: no answer can raise that
    assert body["placement"]["phase"] == 2
    assert not body["cheapest_path"]["reachable"]
    assert "use cases" in body["cheapest_path"]["blockers"][0]
    assert not WhatIfScenario.objects.exists()


def test_the_api_names_unknown_questions_and_bad_levels(client, erin, submitted):
    client.force_login(erin)
    url = f"/api/v1/assessments/{submitted.pk}/what-if/"
    key = keys_of(submitted)[0]
    response = client.post(url, {"changes": {"nope": 3, key: 7}}, content_type="application/json")
    assert response.status_code == 400
    assert [(e["field"], e["code"]) for e in response.json()["errors"]] == [
        ("changes.nope", "unknown"),
        (f"changes.{key}", "invalid"),
    ]
    missing = client.post(url, {}, content_type="application/json")
    assert missing.status_code == 400
    assert missing.json()["errors"][0]["field"] == "changes"


def test_the_page_recomputes_with_htmx_and_saves_a_named_scenario(client, carol, submitted):
    client.force_login(carol)
    url = f"/assessments/{submitted.pk}/what-if/"
    html = page(client.get(url))
    assert "phase 2" in text(find(html, "strong", id="projected-phase"))
    assert find_all(html, "ol", id="cheapest-path")

    keys = keys_of(submitted)
    fields = {f"q-{k}": "5" for k in keys}
    partial = client.post(url, fields, HTTP_HX_REQUEST="true")
    assert partial.status_code == 200
    fragment = page(partial)
    assert text(find(fragment, "span", id="projected-index")) == "100.0"

    saved = client.post(f"{url}scenarios/", {"name": "All at 5", **fields})
    assert saved.status_code == 302
    scenario = WhatIfScenario.objects.get(name="All at 5")
    assert scenario.changes == dict.fromkeys(keys, 5)
    listed = page(client.get(saved["Location"]))
    assert "All at 5" in text(find(listed, "section", id="scenarios"))
    assert text(find(listed, "span", id="projected-index")) == "100.0"

    unnamed = client.post(f"{url}scenarios/", {"name": "", **fields})
    assert unnamed.status_code == 400
    assert "Name the scenario" in unnamed.content.decode()


def test_a_bad_level_on_the_page_is_an_error_not_a_500(client, erin, submitted):
    client.force_login(erin)
    key = keys_of(submitted)[0]
    response = client.post(f"/assessments/{submitted.pk}/what-if/", {f"q-{key}": "9"})
    assert response.status_code == 400
    assert "Give a whole level from 1 to 5" in response.content.decode()
    # executives cannot save
    assert (
        client.post(
            f"/assessments/{submitted.pk}/what-if/scenarios/", {"name": "x", f"q-{key}": "4"}
        ).status_code
        == 403
    )
