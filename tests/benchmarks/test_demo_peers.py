"""Demo data for the benchmarks: `load_demo_data` adds at least 30 synthetic peer
organizations with closed assessments, clearly marked, so the demo organization's peer
comparison shows out of the box; running it again changes nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from assessments.models import Assessment, ScoreSnapshot
from benchmarks.demo import PEERS, SUFFIX
from benchmarks.models import OrganizationBaseline
from organizations.models import Industry, Membership, Organization

from .peers_data import peer

pytestmark = pytest.mark.django_db

DEMO_NAME = "Northwind Manufacturing (demo)"


@pytest.fixture
def demo():
    call_command("load_reference_data", stdout=StringIO())
    call_command("load_demo_data", stdout=StringIO())
    return Organization.objects.get(name=DEMO_NAME)


def test_at_least_30_marked_peers_across_industries_each_with_a_closed_assessment(demo):
    peers = Organization.objects.filter(name__endswith=SUFFIX)
    industries = list(peers.values_list("industry", flat=True))

    assert peers.count() == len(PEERS) >= 30
    assert all(p.is_demo and p.name.endswith("(demo peer)") for p in peers)
    assert industries.count(Industry.MANUFACTURING) >= 6
    assert len(set(industries)) >= 6
    assert not Membership.objects.filter(organization__in=peers).exists()
    closed = Assessment.objects.filter(organization__in=peers, status="closed")
    assert closed.count() == peers.count()
    assert ScoreSnapshot.objects.filter(organization__in=peers).count() == peers.count()
    indexes = list(
        ScoreSnapshot.objects.filter(organization__in=peers).values_list("index", flat=True)
    )
    assert all(0 <= i <= 100 for i in indexes)
    assert len({round(i) for i in indexes}) > 10  # a spread, not one profile


def test_the_demo_organization_has_baselines_and_an_industry_cohort(client, demo):
    client.login(username="executive", password="demo-password")
    assessment = demo.assessments.get(bank__version="2026.1")

    data = client.get(f"/api/v1/assessments/{assessment.pk}/benchmarks/").json()

    assert data["peers"]["cohort"] == "industry:manufacturing"
    assert data["peers"]["size"] >= 6
    assert data["peers"]["overall_percentile"] is not None
    assert len(data["roi"]["projection"]) == 3
    assert OrganizationBaseline.objects.get(organization=demo).currency == "EUR"


def test_running_it_again_adds_nothing_and_keeps_edited_baselines(demo):
    OrganizationBaseline.objects.filter(organization=demo).update(currency="USD")
    counts = (
        Organization.objects.count(),
        Assessment.objects.count(),
        ScoreSnapshot.objects.count(),
    )

    out = StringIO()
    call_command("load_demo_data", stdout=out)

    assert (
        Organization.objects.count(),
        Assessment.objects.count(),
        ScoreSnapshot.objects.count(),
    ) == counts
    assert OrganizationBaseline.objects.get(organization=demo).currency == "USD"
    assert f"{len(PEERS)} organizations named '… (demo peer)'" in out.getvalue()
    assert "(0 created now)" in out.getvalue()


def test_demo_peers_never_enter_a_real_organizations_cohort(client, demo, alice, assessment, bank):
    """alice's organization is a real manufacturer: 7 demo manufacturers exist, but its
    cohort has only the 5 real ones."""
    for i in range(5):
        peer(f"Real manufacturer {i}", Industry.MANUFACTURING, 40.0 + i, bank=bank)
    client.force_login(alice)

    data = client.get(f"/api/v1/assessments/{assessment.pk}/benchmarks/").json()

    assert data["peers"]["cohort"] == "industry:manufacturing"
    assert data["peers"]["size"] == 5
