"""Placement uses the reference version an assessment or roadmap recorded, never silently
the newest: publishing a new roadmap version does not move a closed assessment."""

import copy
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from django.utils import timezone

from assessments import services as assessment_services
from roadmap import selectors, services
from roadmap.models import RoadmapReferenceData
from roadmap.reference import parse_roadmap

from .conftest import answer_all

ROOT = Path(__file__).resolve().parents[2]


def publish_stricter_version(version: str = "2099.1") -> None:
    """A later version for the same question bank (2026.1, whose questions its
    recommendations name) whose Phase 2 gate asks 90 points of every dimension."""
    raw = yaml.safe_load((ROOT / "roadmap" / "data" / "roadmap-2026.1.yaml").read_text())
    raw = copy.deepcopy(raw)
    raw["version"] = version
    raw["bank"] = "2026.1"
    raw["gates"][0] = {"phase": 2, "every_dimension": 90}
    reference = parse_roadmap(raw, source="test")
    stored, created = services.roadmap_reference_load(reference, raw, source="test")
    assert created
    # published after everything the test closed
    RoadmapReferenceData.objects.filter(pk=stored.pk).update(
        loaded_at=timezone.now() + timedelta(seconds=1)
    )


@pytest.fixture
def closed(assessment, respondent):
    answer_all(respondent, 3)  # every dimension 50: phase 2 under 2026.1
    return assessment_services.assessment_close(assessment=assessment)


def test_publishing_a_new_version_does_not_change_a_closed_assessment_placement(closed):
    before = selectors.assessment_placement(closed)
    assert (before.phase, before.reference_version) == (2, "2026.1")

    publish_stricter_version()

    after = selectors.assessment_placement(closed)
    assert (after.phase, after.reference_version) == (2, "2026.1")
    assert after.criteria == before.criteria


def test_an_open_assessment_is_placed_provisionally_with_the_newest(assessment, respondent):
    answer_all(respondent, 3)
    publish_stricter_version()
    placement = selectors.assessment_placement(assessment)
    assert (placement.phase, placement.reference_version) == (1, "2099.1")


def test_a_roadmap_placed_from_its_open_assessment_keeps_its_recorded_version(
    assessment, respondent, carol
):
    answer_all(respondent, 3)
    roadmap = services.roadmap_create(
        assessment=assessment, start_date=timezone.localdate(), user=carol
    )
    publish_stricter_version()
    placement, source = selectors.roadmap_placement(roadmap)
    assert source == assessment and assessment.is_open
    assert (placement.phase, placement.reference_version) == (2, "2026.1")


def test_the_results_page_and_the_api_show_the_pinned_placement(client, alice, closed):
    publish_stricter_version()
    client.force_login(alice)
    body = client.get(f"/api/v1/assessments/{closed.pk}/placement/").json()
    assert (body["phase"], body["reference_version"]) == (2, "2026.1")
