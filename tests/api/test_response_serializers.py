"""The response serializers over the domain dataclasses, on the cases the demo snapshot
does not reach: a suppressed cohort, missing values, whole numbers (written without
".0", which the snapshot's parsed JSON could not tell apart) and an organization without
baselines. No database: the serializers only read the objects they are given."""

import json
from decimal import Decimal

from rest_framework.utils.encoders import JSONEncoder

from benchmarks.api import BaselinesSerializer, BenchmarkReferenceSerializer, PeersSerializer
from benchmarks.models import OrganizationBaseline
from benchmarks.peers import PeerComparison, PeerStat
from benchmarks.reference import BenchmarkReference, CaseStudy, MarketFigure, RoiBand, Source
from roadmap.api import PlacementSerializer
from roadmap.placement import Criterion, Placement, RankedRecommendation


def _json(data) -> str:
    return json.dumps(data, cls=JSONEncoder)


def test_a_suppressed_cohort_shows_its_name_only():
    comparison = PeerComparison("all", 3, True, None, ())
    assert _json(PeersSerializer(comparison).data) == '{"cohort": "all", "suppressed": true}'


def test_peer_statistics_are_rounded_and_missing_ones_are_null():
    talent = PeerStat("talent", 41.26, None, 30.04, 55.55, 6)
    comparison = PeerComparison("industry:retail", 6, False, None, (talent,))
    assert PeersSerializer(comparison).data == {
        "cohort": "industry:retail",
        "size": 6,
        "suppressed": False,
        "overall_percentile": None,  # no overall statistic
        "dimensions": [
            # Halves away from zero, as every surface shows them (common.display).
            {"key": "talent", "percentile": 41.3, "median": None, "q1": 30.0, "q3": 55.6}
        ],
    }


SOURCE = Source(publisher="Gartner", title="An article")


def test_reference_numbers_keep_whole_numbers_whole():
    reference = BenchmarkReference(
        version="2026.1",
        roi_bands=(RoiBand("cost_reduction", "Cost", 15, 30.25, "", SOURCE),),
        case_studies=(CaseStudy("k", "retail", "t", "r", "m", 40.0, "%", SOURCE),),
        market_figures=(MarketFigure("k", 1.5e12, "USD", "s", SOURCE, "$1.5 T"),),
        checksum="",
    )
    body = _json(BenchmarkReferenceSerializer(reference).data)
    assert '"low": 15, "high": 30.25' in body
    assert '"value": 40, "unit": "%"' in body
    assert '"value": 1500000000000, "unit": "USD"' in body


def test_an_organization_without_baselines_gets_the_defaults():
    data = BaselinesSerializer(OrganizationBaseline(organization_id=7)).data
    assert data == {
        "organization": 7,
        "annual_operating_cost": None,
        "annual_revenue": None,
        "process_hours_per_year": None,
        "cost_per_hour": None,
        "planned_ai_investment": None,
        "operating_cost_addressable_share": None,
        "revenue_addressable_share": None,
        "currency": OrganizationBaseline().currency,
        "updated_at": None,
    }


def test_baseline_amounts_are_plain_numbers():
    baseline = OrganizationBaseline(
        organization_id=7, annual_revenue=Decimal("1200000000.00"), cost_per_hour=Decimal("58.50")
    )
    body = _json(BaselinesSerializer(baseline).data)
    assert '"annual_revenue": 1200000000,' in body
    assert '"cost_per_hour": 58.5,' in body


def test_placement_rounds_what_it_computes_and_keeps_nulls():
    placement = Placement(
        phase=2,
        phase_name="Pilot Expansion",
        next_phase=3,
        next_phase_name="Enterprise Rollout",
        readiness=None,
        points_missing=62.34,
        criteria=(
            Criterion(3, "dimension", "talent", 50.0, None, False, True),
            Criterion(3, "dimension", "data_infrastructure", 50.0, 37.66, False),
        ),
        recommendations=(
            RankedRecommendation("k", "talent", "Hire", "", "strategic", ("q1",), 3.456),
        ),
    )
    data = PlacementSerializer(placement).data
    # Points missing: the gaps as displayed (50.0 − nothing, 50.0 − 37.7) added up.
    assert (data["next_phase"], data["readiness"], data["points_missing"]) == (3, None, 62.3)
    assert data["criteria"][0]["actual"] is None
    assert data["recommendations"][0]["questions"] == ["q1"]
    assert data["recommendations"][0]["impact"] == 3.5
