"""Targets (DESIGN §10): per organization or unit and dimension, with a date; the gap
and progress on the roadmap page; read and written through the API."""

from datetime import date

import pytest

from organizations import services as organization_services
from roadmap.targets import TargetState

from ..pages import find, page, text


@pytest.mark.parametrize(
    ("target", "score", "first", "gap", "met", "progress"),
    [
        (60, 45.0, 30.0, 15.0, False, 0.5),  # half the way from 30 to 60
        (60, 60.0, 30.0, 0.0, True, 1.0),
        (60, 70.0, 30.0, -10.0, True, 1.0),
        (60, None, 30.0, None, False, None),  # no score: no gap
        (60, 45.0, None, 15.0, False, None),  # no earlier score: no progress
        (60, 45.0, 65.0, 15.0, False, None),  # the first score already met it
    ],
)
def test_gap_and_progress(target, score, first, gap, met, progress):
    state = TargetState(1, "Acme", "talent", "Talent", target, date(2027, 1, 1), score, first)
    assert (state.gap, state.met, state.progress) == (gap, met, progress)


def test_the_coe_lead_sets_a_target_and_reads_the_gap_on_the_roadmap_page(client, carol, roadmap):
    client.force_login(carol)
    url = f"/organizations/{roadmap.organization_id}/roadmap/"
    bad = client.post(f"{url}targets/", {"dimension": "talent", "score": "140", "due_date": ""})
    assert bad.status_code == 400
    assert "Target score" in bad.content.decode()

    response = client.post(
        f"{url}targets/", {"dimension": "talent", "score": "70", "due_date": "2027-06-30"}
    )
    assert response.status_code == 302
    html = page(client.get(url))
    row = text(find(html, "table", id="target-table"))
    assert "Talent" in row and "70" in row and "20.0" in row  # every dimension is 50 now
    assert find(html, "div", **{"data-chart": "target-radar-data"}) is not None


def test_the_api_reads_and_writes_targets_of_units(client, carol, erin, roadmap):
    retail = organization_services.unit_create(
        organization=roadmap.organization, name="Retail", user=carol
    )
    client.force_login(carol)
    url = f"/api/v1/organizations/{roadmap.organization_id}/targets/"
    body = client.post(
        url,
        {"unit": retail.pk, "dimension": "governance_risk", "score": 55, "due_date": "2027-03-31"},
        content_type="application/json",
    ).json()
    assert [(t["unit"], t["dimension"], t["target"], t["for_organization"]) for t in body] == [
        ("Retail", "governance_risk", 55.0, False)
    ]
    assert body[0]["score"] is None  # nobody of Retail answered
    again = client.post(
        url,
        {"unit": retail.pk, "dimension": "governance_risk", "score": 65, "due_date": "2027-03-31"},
        content_type="application/json",
    ).json()
    assert [t["target"] for t in again] == [65.0]  # replaced, not added

    bad = client.post(
        url,
        {"dimension": "nope", "score": 50, "due_date": "2027-03-31"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and bad.json()["errors"][0]["field"] == "dimension"
    client.force_login(erin)
    assert client.get(url).status_code == 200
    refused = client.post(
        url,
        {"dimension": "talent", "score": 50, "due_date": "2027-03-31"},
        content_type="application/json",
    )
    assert refused.status_code == 403
