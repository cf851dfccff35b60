"""GET /api/v1/assessments/<id>/benchmarks/ (DESIGN §7, §9): the documented shape, peer
statistics only over cohorts of 5 or more other organizations, ROI against the bands;
and /api/v1/organizations/<id>/baselines/. No response names another organization or
carries one organization's scores."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from assessments import services as assessment_services
from assessments.bank import DIMENSION_KEYS
from assessments.models import Answer, Question
from benchmarks import services
from benchmarks.models import OrganizationBaseline
from organizations.models import Industry
from roadmap.models import UseCase

from ..factories import RespondentFactory
from .peers_data import closed_assessment, peer

pytestmark = pytest.mark.django_db

URL = "/api/v1/assessments/{}/benchmarks/"
BASELINES_URL = "/api/v1/organizations/{}/baselines/"
SECRET_NAMES = ["Initech Secret Peer", "Umbrella Hidden Peer", "Hooli Quiet Peer", "Soylent Peer"]


@pytest.fixture
def scored(assessment):
    """Alice's assessment answered at level 3 throughout: index and every dimension 50."""
    respondent = RespondentFactory(assessment=assessment)
    Answer.objects.bulk_create(
        Answer(respondent=respondent, question=q, kind="level", level=3)
        for q in Question.objects.filter(bank=assessment.bank)
    )
    assessment_services.respondent_submit(respondent=respondent)
    return assessment


def peers_of(bank, values, industry=Industry.MANUFACTURING, names=None):
    names = names or [f"{SECRET_NAMES[i % 4]} {i}" for i in range(len(values))]
    return [peer(n, industry, v, bank=bank) for n, v in zip(names, values, strict=True)]


def get(client, user, assessment):
    client.force_login(user)
    response = client.get(URL.format(assessment.pk))
    assert response.status_code == 200, response.content[:300]
    return response.json()


def test_the_response_has_the_documented_shape(client, alice, scored, bank):
    peers_of(bank, [10, 20, 50, 60, 70])
    UseCase.objects.bulk_create(
        [
            UseCase(
                organization=scored.organization,
                name="Scheduling",
                stage="production",
                cost_reduction_actual=17,
                revenue_increase_actual=25,
            ),
            UseCase(
                organization=scored.organization,
                name="Quality",
                stage="scaled",
                cost_reduction_actual=20,
            ),
            UseCase(
                organization=scored.organization,
                name="Pilot",
                stage="pilot",
                efficiency_gain_actual=90,
                cost_reduction_target=50,
            ),
        ]
    )
    services.baseline_update(
        organization=scored.organization,
        data={
            "annual_operating_cost": 10_000_000,
            "operating_cost_addressable_share": 40,
            "annual_revenue": 8_000_000,  # no addressable share: not projected
            "planned_ai_investment": 900_000,
            "currency": "EUR",
        },
    )

    data = get(client, alice, scored)

    assert data["peers"] == {
        "cohort": "industry:manufacturing",
        "size": 5,
        "suppressed": False,
        "overall_percentile": 50.0,  # 10 20 [50] 60 70: 2 below, 1 equal
        "dimensions": [
            {"key": key, "percentile": 50.0, "median": 50.0, "q1": 20.0, "q3": 60.0}
            for key in DIMENSION_KEYS
        ],
    }
    assert data["roi"] == {
        "bands": [
            {"metric": "cost_reduction", "low": 15, "high": 30},
            {"metric": "revenue_increase", "low": 10, "high": 20},
            {"metric": "efficiency_gain", "low": 25, "high": 40},
        ],
        "portfolio": [  # live use cases only: the pilot's 90 % is not counted
            {"metric": "cost_reduction", "value": 18.5, "position": "within", "distance": 0.0},
            {"metric": "revenue_increase", "value": 25.0, "position": "above", "distance": 5.0},
        ],
        "projection": [  # 15–30 % of the addressable 40 % of 10 M, not of all 10 M
            {
                "metric": "cost_reduction",
                "low_value": 600000,
                "high_value": 1200000,
                "currency": "EUR",
                "baseline": 10000000,
                "addressable_share": 40,
                "basis": 4000000,
            }
        ],
        "payback": {  # 900,000 ÷ (900,000 midpoint ÷ 12) = 12 months
            "investment": 900000,
            "annual_benefit_low": 600000,
            "annual_benefit_high": 1200000,
            "annual_benefit_midpoint": 900000,
            "months": 12.0,
            "currency": "EUR",
        },
        "illustration": "An illustration from published benchmark bands applied to your "
        "own baselines, not a forecast.",
        "use_cases": [  # each use case: its actual value, else its target
            {
                "name": "Pilot",
                "stage": "pilot",
                "comparisons": [
                    {
                        "metric": "cost_reduction",
                        "value": 50.0,
                        "position": "above",
                        "distance": 20.0,
                        "basis": "target",
                        "source": "target",
                    },
                    {
                        "metric": "efficiency_gain",
                        "value": 90.0,
                        "position": "above",
                        "distance": 50.0,
                        "basis": "actual",
                        "source": "percent",
                    },
                ],
            },
            {
                "name": "Quality",
                "stage": "scaled",
                "comparisons": [
                    {
                        "metric": "cost_reduction",
                        "value": 20.0,
                        "position": "within",
                        "distance": 0.0,
                        "basis": "actual",
                        "source": "percent",
                    }
                ],
            },
            {
                "name": "Scheduling",
                "stage": "production",
                "comparisons": [
                    {
                        "metric": "cost_reduction",
                        "value": 17.0,
                        "position": "within",
                        "distance": 0.0,
                        "basis": "actual",
                        "source": "percent",
                    },
                    {
                        "metric": "revenue_increase",
                        "value": 25.0,
                        "position": "above",
                        "distance": 5.0,
                        "basis": "actual",
                        "source": "percent",
                    },
                ],
            },
        ],
    }


def test_each_dimension_is_ranked_against_its_own_cohort_column(client, alice, scored, bank):
    for i, value in enumerate([40, 45, 55, 60, 65]):
        peer(f"Peer {i}", Industry.MANUFACTURING, value, bank=bank, talent=10.0 * i)

    data = get(client, alice, scored)

    talent = next(d for d in data["peers"]["dimensions"] if d["key"] == "talent")
    assert talent == {"key": "talent", "percentile": 100.0, "median": 20.0, "q1": 10.0, "q3": 30.0}
    assert data["peers"]["overall_percentile"] == 40.0


def test_four_organizations_are_suppressed_and_five_are_shown(client, alice, scored, bank):
    peers_of(bank, [10, 20, 30, 40])

    suppressed = get(client, alice, scored)
    peers_of(bank, [90], names=["Fifth Peer"])
    shown = get(client, alice, scored)

    assert suppressed["peers"] == {"cohort": "all", "suppressed": True}
    assert shown["peers"]["cohort"] == "industry:manufacturing"
    assert shown["peers"]["size"] == 5
    assert shown["peers"]["overall_percentile"] == 80.0


def test_an_industry_under_five_falls_back_to_all_industries(client, alice, scored, bank):
    peers_of(bank, [10, 20, 30, 40])
    peers_of(bank, [60, 70], industry=Industry.RETAIL, names=["Retail A", "Retail B"])

    data = get(client, alice, scored)

    assert data["peers"]["cohort"] == "all"
    assert data["peers"]["size"] == 6
    assert data["peers"]["overall_percentile"] == pytest.approx(round(100 * 4 / 6, 1))


def test_the_organization_itself_is_not_in_its_cohort(client, alice, scored, bank):
    closed_assessment(scored.organization, bank, 99.0, closed_at=timezone.now() - timedelta(1))
    peers_of(bank, [10, 20, 30, 40])

    data = get(client, alice, scored)

    assert data["peers"] == {"cohort": "all", "suppressed": True}


def test_only_each_organizations_latest_closed_assessment_counts(client, alice, scored, bank):
    now = timezone.now()
    organizations = peers_of(bank, [10, 20, 30, 40, 60])
    closed_assessment(organizations[4], bank, 5.0, closed_at=now + timedelta(minutes=1))
    closed_assessment(organizations[3], bank, 95.0, closed_at=now - timedelta(days=30))

    data = get(client, alice, scored)

    assert data["peers"]["size"] == 5
    # 10 20 30 40 and 5 are all below 50; had the 60 or the 95 counted it would be 80
    assert data["peers"]["overall_percentile"] == 100.0


def test_an_organization_without_baselines_or_use_cases_gets_bands_only(client, erin, scored):
    data = get(client, erin, scored)

    assert [b["metric"] for b in data["roi"]["bands"]] == [
        "cost_reduction",
        "revenue_increase",
        "efficiency_gain",
    ]
    assert data["roi"]["portfolio"] == []
    assert data["roi"]["projection"] == []


@pytest.mark.parametrize("member", ["alice", "carol", "erin"])
def test_every_member_may_read_the_benchmarks(client, request, scored, member):
    get(client, request.getfixturevalue(member), scored)


def test_another_organizations_consultant_gets_404(client, bob, scored):
    client.force_login(bob)

    response = client.get(URL.format(scored.pk))

    assert response.status_code == 404
    assert "Acme" not in response.content.decode()


def test_an_anonymous_caller_is_refused(client, scored):
    assert client.get(URL.format(scored.pk)).status_code in (401, 403)


def test_no_response_names_another_organization_or_carries_its_scores(client, alice, scored, bank):
    """Five peers with a distinctive lowest and highest index: those two values belong to
    one organization each and are no cohort statistic, so they must appear nowhere."""
    peers_of(bank, [11.11, 30, 40, 50, 88.88])
    services.baseline_update(organization=scored.organization, data={"currency": "USD"})
    client.force_login(alice)

    bodies = [
        client.get(URL.format(scored.pk)).content.decode(),
        client.get(BASELINES_URL.format(scored.organization_id)).content.decode(),
        client.get("/api/v1/benchmarks/reference/").content.decode(),
        client.get(f"/assessments/{scored.pk}/results/").content.decode(),
        client.get("/benchmarks/").content.decode(),
    ]

    for body in bodies:
        for name in SECRET_NAMES:
            assert name not in body
        for value in ("11.1", "88.8", "88.9"):
            assert value not in body


def test_the_openapi_schema_documents_the_endpoints():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    benchmarks = schema["paths"]["/api/v1/assessments/{assessment_id}/benchmarks/"]["get"]
    baselines = schema["paths"]["/api/v1/organizations/{organization_id}/baselines/"]
    components = schema["components"]["schemas"]
    assert benchmarks["responses"]["200"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/Benchmarks"
    }
    assert set(components["Peers"]["properties"]) == {
        "cohort",
        "size",
        "suppressed",
        "overall_percentile",
        "dimensions",
    }
    assert set(baselines) >= {"get", "put", "patch"}
    assert "400" in baselines["put"]["responses"]
    assert "/api/v1/benchmarks/reference/" in schema["paths"]


# --- baselines ------------------------------------------------------------------------

VALID = {  # a PUT gives every field
    "annual_operating_cost": 10_000_000,
    "annual_revenue": 5_000_000.5,
    "process_hours_per_year": 1000,
    "cost_per_hour": 49.99,
    "planned_ai_investment": None,
    "operating_cost_addressable_share": None,
    "revenue_addressable_share": None,
    "currency": "eur",
}


def put(client, organization_id, body, method="put"):
    raw = body if isinstance(body, str) else json.dumps(body)
    return getattr(client, method)(
        BASELINES_URL.format(organization_id), raw, content_type="application/json"
    )


def test_baselines_are_null_until_entered(client, erin, organization):
    client.force_login(erin)

    data = client.get(BASELINES_URL.format(organization.pk)).json()

    assert data == {
        "organization": organization.pk,
        "annual_operating_cost": None,
        "annual_revenue": None,
        "process_hours_per_year": None,
        "cost_per_hour": None,
        "planned_ai_investment": None,
        "operating_cost_addressable_share": None,
        "revenue_addressable_share": None,
        "currency": "EUR",
        "updated_at": None,
    }


def test_a_share_over_100_is_a_400_naming_the_field(client, alice, organization):
    client.force_login(alice)

    response = client.patch(
        BASELINES_URL.format(organization.pk),
        json.dumps({"revenue_addressable_share": 120}),
        content_type="application/json",
    )

    assert response.status_code == 400
    errors = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in errors] == [("revenue_addressable_share", "too_large")]
    assert "at most 100" in errors[0]["message"]


@pytest.mark.parametrize("member", ["alice", "carol"])
def test_consultants_and_coe_leads_replace_the_baselines(client, request, organization, member):
    client.force_login(request.getfixturevalue(member))

    response = put(client, organization.pk, VALID)

    assert response.status_code == 200
    data = response.json()
    assert {k: data[k] for k in VALID} == {
        "annual_operating_cost": 10000000,
        "annual_revenue": 5000000.5,
        "process_hours_per_year": 1000,
        "cost_per_hour": 49.99,
        "planned_ai_investment": None,
        "operating_cost_addressable_share": None,
        "revenue_addressable_share": None,
        "currency": "EUR",
    }
    assert client.get(BASELINES_URL.format(organization.pk)).json() == data


def test_patch_changes_only_the_fields_given(client, alice, organization):
    client.force_login(alice)
    put(client, organization.pk, VALID)

    response = put(client, organization.pk, {"cost_per_hour": 60}, method="patch")

    assert response.status_code == 200
    assert response.json()["cost_per_hour"] == 60
    assert response.json()["annual_operating_cost"] == 10000000


@pytest.mark.parametrize(
    ("body", "errors"),
    [
        ({**VALID, "annual_revenue": -1}, [("annual_revenue", "negative")]),
        ({**VALID, "cost_per_hour": "cheap"}, [("cost_per_hour", "invalid_type")]),
        # The schema says number: a string is refused, even one that reads as a number.
        ({**VALID, "cost_per_hour": "49.99"}, [("cost_per_hour", "invalid_type")]),
        # A PUT replaces everything: every field must be given (null clears an amount).
        (
            {k: v for k, v in VALID.items() if k != "cost_per_hour"},
            [("cost_per_hour", "required")],
        ),
        ({**VALID, "currency": "XYZ"}, [("currency", "unknown_currency")]),
        ({**VALID, "currency": "EUR\u0000"}, [("currency", "null_characters")]),
        ({**VALID, "annual_revenue": "1\u0000"}, [("annual_revenue", "null_characters")]),
        ({**VALID, "bad\u0000key": 1}, [("badkey", "null_characters")]),
        ({**VALID, "annual_revenue": True}, [("annual_revenue", "invalid_type")]),
        ('{"annual_revenue": 1e400, "currency": "EUR"}', [("annual_revenue", "invalid")]),  # inf
        ({**VALID, "annual_revenue": 10**17}, [("annual_revenue", "too_large")]),
        ({k: v for k, v in VALID.items() if k != "currency"}, [("currency", "required")]),
        (
            {**VALID, "annual_operating_cost": -5, "annual_revenue": 10**17, "currency": "ZZZ"},
            [
                ("annual_operating_cost", "negative"),
                ("annual_revenue", "too_large"),
                ("currency", "unknown_currency"),
            ],
        ),
        ([1, 2], [(None, "invalid")]),
        ("not json", [(None, "parse_error")]),
        ("9" * 5000, [(None, "parse_error")]),  # over Python's integer-digit limit
        ('{"annual_revenue": NaN, "currency": "EUR"}', [(None, "parse_error")]),
    ],
)
def test_invalid_baselines_get_400_with_every_error_and_change_nothing(
    client, alice, organization, body, errors
):
    client.force_login(alice)
    put(client, organization.pk, VALID)
    before = list(OrganizationBaseline.objects.values())

    response = put(client, organization.pk, body)

    assert response.status_code == 400
    got = response.json()["errors"]
    assert [(e["field"], e["code"]) for e in got] == errors
    assert all(e["message"] for e in got)
    assert list(OrganizationBaseline.objects.values()) == before


def test_an_executive_reads_but_cannot_change_the_baselines(client, erin, organization):
    client.force_login(erin)

    read = client.get(BASELINES_URL.format(organization.pk))
    write = put(client, organization.pk, VALID)

    assert read.status_code == 200
    assert write.status_code == 403
    assert write.json()["errors"][0]["message"] == (
        "Only consultants and AI CoE leads can change the baselines."
    )
    assert not OrganizationBaseline.objects.exists()


@pytest.mark.parametrize("method", ["get", "put", "patch"])
def test_another_organizations_consultant_gets_404_on_the_baselines(
    client, bob, organization, method
):
    client.force_login(bob)

    response = (
        put(client, organization.pk, VALID, method=method)
        if method != "get"
        else (client.get(BASELINES_URL.format(organization.pk)))
    )

    assert response.status_code == 404
    assert not OrganizationBaseline.objects.exists()


def test_an_anonymous_caller_cannot_touch_the_baselines(client, organization):
    assert client.get(BASELINES_URL.format(organization.pk)).status_code in (401, 403)
    assert put(client, organization.pk, VALID).status_code in (401, 403)
    assert not OrganizationBaseline.objects.exists()
