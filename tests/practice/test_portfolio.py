"""The consultant's portfolio (DESIGN §11): the home page and GET /api/v1/portfolio/,
one row per client organization the consultant consults, and only those."""

import csv
import io
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from assessments import services
from assessments.models import Assessment
from organizations.models import Role
from reports.models import ReportRequest, ReportStatus
from roadmap import services as roadmap_services

from ..answering import give, questions_of
from ..factories import AssessmentFactory, MembershipFactory, OrganizationFactory, RespondentFactory

pytestmark = pytest.mark.django_db


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _assessed(organization, bank, level: int, *, close: bool, respondents: int = 1):
    assessment = AssessmentFactory(organization=organization, bank=bank)
    for _ in range(respondents):
        give(RespondentFactory(assessment=assessment), {k: level for k in questions_of(assessment)})
    if close:
        services.assessment_close(assessment=assessment)
    return Assessment.objects.get(pk=assessment.pk)


def _api_rows(user, query="") -> list[dict]:
    response = _client(user).get(f"/api/v1/portfolio/{query}")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_the_portfolio_shows_only_the_consultants_own_clients(
    bank, organization, other_organization, alice, bob
):
    mine = OrganizationFactory(name="Initech")
    MembershipFactory(organization=mine, user=alice, role=Role.CONSULTANT)
    not_consulted = OrganizationFactory(name="Umbrella Corp")
    MembershipFactory(organization=not_consulted, user=alice, role=Role.EXECUTIVE)

    names = [r["organization"] for r in _api_rows(alice)]
    assert names == ["Acme Industries", "Initech"]
    assert [r["organization"] for r in _api_rows(bob)] == ["Globex Corporation"]
    page = _client(alice).get("/portfolio/").content.decode()
    assert "Initech" in page and "Acme Industries" in page
    assert "Umbrella Corp" not in page and "Globex" not in page
    csv_text = _client(alice).get("/portfolio.csv").content.decode()
    assert "Initech" in csv_text and "Umbrella" not in csv_text and "Globex" not in csv_text


def test_a_row_has_the_latest_assessment_its_scores_and_the_change(
    bank, organization, alice, carol
):
    _assessed(organization, bank, 2, close=True)  # index 25
    latest = _assessed(organization, bank, 4, close=True, respondents=2)  # index 75
    RespondentFactory(assessment=latest)  # added, never submitted
    roadmap = roadmap_services.roadmap_create(
        assessment=latest, start_date=date.today() - timedelta(days=400), user=carol
    )
    assert roadmap.milestones.filter(due_date__lt=date.today()).exists()
    ReportRequest.objects.create(
        assessment=latest, kind="full_assessment", status=ReportStatus.READY
    )

    [row] = _api_rows(alice)
    assert row["assessment_id"] == latest.pk and row["status"] == "closed"
    assert (row["respondents_submitted"], row["respondents_invited"]) == (2, 3)
    assert row["index"] == 75.0 and row["level"] == 4 and row["level_name"] == "Scaling"
    assert row["index_change"] == 50.0 and row["level_change"] == 2
    assert row["phase"] is not None and row["phase_change"] >= 1
    assert (
        row["overdue_milestones"]
        == roadmap.milestones.filter(due_date__lt=date.today()).exclude(status="done").count()
    )
    assert row["reports_ready"] == 1
    assert row["last_activity"] is not None

    page = _client(alice).get("/portfolio/").content.decode()
    assert "+50.0" in page and "▲ up" in page and "1 ready" in page and "overdue" in page


def test_an_open_latest_assessment_is_scored_provisionally(bank, organization, alice):
    _assessed(organization, bank, 3, close=False)
    [row] = _api_rows(alice)
    assert row["status"] == "open" and row["index"] == 50.0
    assert row["index_change"] is None  # no previous closed assessment


@pytest.fixture
def portfolio(bank, alice, organization):
    """Acme (manufacturing, open at 50) plus Initech (technology, closed at 75) and
    Hooli (technology, no assessment)."""
    _assessed(organization, bank, 3, close=False)
    initech = OrganizationFactory(name="Initech", industry="technology")
    MembershipFactory(organization=initech, user=alice, role=Role.CONSULTANT)
    _assessed(initech, bank, 4, close=True)
    hooli = OrganizationFactory(name="Hooli", industry="technology")
    MembershipFactory(organization=hooli, user=alice, role=Role.CONSULTANT)
    return alice


@pytest.mark.parametrize(
    "query, names",
    [
        ("", ["Acme Industries", "Hooli", "Initech"]),
        ("?industry=technology", ["Hooli", "Initech"]),
        ("?status=open", ["Acme Industries"]),
        ("?status=none", ["Hooli"]),
        ("?sort=-index", ["Initech", "Acme Industries", "Hooli"]),  # no index: last
        ("?sort=index", ["Acme Industries", "Initech", "Hooli"]),
        ("?industry=technology&sort=-organization", ["Initech", "Hooli"]),
    ],
)
def test_filters_and_sorting(portfolio, query, names):
    assert [r["organization"] for r in _api_rows(portfolio, query)] == names
    page = _client(portfolio).get(f"/portfolio/{query}").content.decode()
    positions = [page.index(f">{name}</a>") for name in names]
    assert positions == sorted(positions)


def test_filtering_by_phase(portfolio):
    rows = _api_rows(portfolio)
    phase = next(r["phase"] for r in rows if r["organization"] == "Initech")
    kept = [r["organization"] for r in _api_rows(portfolio, f"?phase={phase}")]
    assert "Initech" in kept and "Hooli" not in kept


@pytest.mark.parametrize(
    "query, field",
    [("?industry=mining", "industry"), ("?status=paused", "status"), ("?phase=9", "phase"),
     ("?sort=colour", "sort")],
)  # fmt: skip
def test_a_bad_filter_is_a_400_naming_it(portfolio, query, field):
    response = _client(portfolio).get(f"/api/v1/portfolio/{query}")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == field
    page = _client(portfolio).get(f"/portfolio/{query}")
    assert page.status_code == 400 and f'data-field="{field}"' in page.content.decode()
    assert _client(portfolio).get(f"/portfolio.csv{query}").status_code == 400


def test_the_csv_export_follows_the_filters(portfolio):
    response = _client(portfolio).get("/portfolio.csv?industry=technology&sort=-index")
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:4] == ["Organization", "Industry", "Latest assessment", "Status"]
    assert [r[0] for r in rows[1:]] == ["Initech", "Hooli"]
    assert rows[1][6] == "75.0"


def test_the_page_is_paginated(bank, alice):
    for n in range(30):
        org = OrganizationFactory(name=f"Client {n:02d}")
        MembershipFactory(organization=org, user=alice, role=Role.CONSULTANT)
    first = _client(alice).get("/portfolio/").content.decode()
    # Acme Industries (alice's first client) and Client 00 … 23 make the first 25.
    assert "Client 23" in first and "Client 24" not in first and "Page 1 of 2" in first
    second = _client(alice).get("/portfolio/?page=2").content.decode()
    assert "Client 24" in second and "Client 29" in second and "Client 23" not in second


def test_consultants_land_on_their_portfolio_and_the_others_on_their_organizations(
    organization, alice, carol
):
    assert _client(alice).get("/")["Location"] == "/portfolio/"
    assert _client(carol).get("/")["Location"] == "/organizations/"


def _queries(user, url) -> int:
    client = _client(user)
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/portfolio/", "/api/v1/portfolio/", "/portfolio.csv"])
def test_the_query_count_does_not_grow_with_the_clients(bank, alice, url):
    def add_clients(count: int):
        for _ in range(count):
            org = OrganizationFactory()
            MembershipFactory(organization=org, user=alice, role=Role.CONSULTANT)
            _assessed(org, bank, 2, close=True)
            _assessed(org, bank, 3, close=False)

    add_clients(2)
    with_two = _queries(alice, url)
    add_clients(6)
    assert _queries(alice, url) == with_two
