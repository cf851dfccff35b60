"""The benchmarks section of the results page: peer comparison naming the cohort and its
size (or why it is not shown), ROI against the bands as a chart and a table, the
projection from baselines, the industry's case studies and the market figures."""

import json

import pytest

from assessments import services as assessment_services
from assessments.models import Answer, Question
from benchmarks import services
from organizations.models import Industry
from roadmap.models import UseCase

from ..factories import RespondentFactory
from ..pages import attr, find, find_all, page, text
from .peers_data import peer

pytestmark = pytest.mark.django_db


def answered(assessment, level: int):
    respondent = RespondentFactory(assessment=assessment)
    Answer.objects.bulk_create(
        Answer(respondent=respondent, question=q, kind="level", level=level)
        for q in Question.objects.filter(bank=assessment.bank)
    )
    assessment_services.respondent_submit(respondent=respondent)
    return assessment


def section(client, user, assessment):
    client.force_login(user)
    response = client.get(f"/assessments/{assessment.pk}/results/")
    assert response.status_code == 200
    return find(page(response), "section", id="benchmarks")


def chart(root, data_id: str) -> dict:
    return json.loads(text(find(root, "script", id=data_id)))


def test_the_peer_comparison_names_the_cohort_and_its_size(client, alice, assessment, bank):
    answered(assessment, 3)
    for i, value in enumerate([10, 20, 50, 60, 70, 80]):
        peer(f"Peer {i}", Industry.MANUFACTURING, value, bank=bank)

    root = section(client, alice, assessment)

    assert text(find(root, "p", id="peer-cohort")).startswith(
        "Compared with Manufacturing organizations ( 6 organizations)"
    )
    assert text(find(root, "span", id="peer-percentile")) == "42nd"  # (2 + 0.5) / 6
    rows = [text(r) for r in find_all(find(root, "table", id="peer-table"), "tr")]
    assert rows[1] == "AI scaling index 50.0 41.7 55.0 27.5–67.5"
    radar = chart(root, "peer-radar-data")
    assert [t["name"] for t in radar["data"]] == ["Peer median", "Score"]
    assert radar["data"][0]["r"][:7] == [55.0] * 7
    assert len(chart(root, "peer-percentiles-data")["data"][0]["x"]) == 8  # index + 7
    assert chart(root, "peer-quartiles-data")["data"][2]["name"] == "You"


def test_a_fallback_to_all_industries_is_said(client, alice, assessment, bank):
    answered(assessment, 3)
    for i, value in enumerate([10, 20, 50, 60, 70]):
        peer(f"Peer {i}", Industry.RETAIL, value, bank=bank)

    root = section(client, alice, assessment)

    cohort = text(find(root, "p", id="peer-cohort"))
    assert cohort.startswith("Compared with Organizations of all industries ( 5 organizations)")
    assert "Fewer than 5 organizations of your industry have one" in cohort


def test_a_suppressed_cohort_says_why_and_shows_no_number(client, alice, assessment, bank):
    answered(assessment, 3)
    for i, value in enumerate([12.5, 37.5, 62.5, 87.5]):
        peer(f"Peer {i}", Industry.MANUFACTURING, value, bank=bank)

    root = section(client, alice, assessment)

    message = text(find(root, "p", id="peers-suppressed"))
    assert "fewer than 5 comparable organizations" in message
    assert not find_all(root, "table", id="peer-table")
    assert not find_all(root, "div", **{"data-chart": "peer-radar-data"})
    assert not find_all(root, "span", id="peer-cohort-size")
    html = str(root)
    assert all(v not in html for v in ("12.5", "37.5", "62.5", "87.5", "25.0"))


def test_use_cases_and_the_portfolio_are_compared_with_the_bands(client, carol, assessment):
    answered(assessment, 3)
    UseCase.objects.bulk_create(
        [
            UseCase(
                organization=assessment.organization,
                name="Predictive maintenance",
                stage="scaled",
                cost_reduction_actual=22,
                efficiency_gain_target=45,
            ),
            UseCase(
                organization=assessment.organization,
                name="Demand forecast",
                stage="production",
                cost_reduction_actual=10,
                revenue_increase_target=15,
            ),
        ]
    )

    root = section(client, carol, assessment)

    rows = [text(r) for r in find_all(find(root, "table", id="roi-table"), "tr")]
    assert rows[1] == "Demand forecast Production 10.0 % ▼ below by 5.0 15.0 % (target) ✓ within —"
    assert (
        rows[2] == "Predictive maintenance Scaled 22.0 % ✓ within — 45.0 % (target) ▲ above by 5.0"
    )
    assert rows[3].startswith("Portfolio mean realized, live use cases 16.0 % ✓ within")
    assert "no realized value in production yet" in rows[3]
    figure = chart(root, "roi-data")
    assert figure["data"][0]["name"] == "Benchmark range (published, not a forecast)"
    assert [t["name"] for t in figure["data"][1:]] == [
        "Use case, realized",
        "Use case, targeted",
        "Portfolio (mean realized, live use cases)",
    ]
    assert "not forecasts" in text(root)


def test_without_use_cases_the_bands_are_listed_and_no_chart_drawn(client, erin, assessment):
    answered(assessment, 3)

    root = section(client, erin, assessment)

    assert find(root, "p", id="roi-empty")
    assert not find_all(root, "script", id="roi-data")


def test_the_projection_applies_the_bands_to_the_baselines(client, erin, assessment):
    answered(assessment, 3)
    services.baseline_update(
        organization=assessment.organization,
        data={
            "annual_operating_cost": "850000000",
            "operating_cost_addressable_share": "25",
            "annual_revenue": "90000000",  # no addressable share: not projected
            "process_hours_per_year": 1000,
            "cost_per_hour": 80,
            "planned_ai_investment": "40000000",
            "currency": "CHF",
        },
    )

    root = section(client, erin, assessment)

    table = find(root, "table", id="projection-table")
    note = text(find(root, "p", id="projection-note"))
    assert "illustration" in note and "not a forecast" in note
    rows = [text(r).replace("\xa0", " ") for r in find_all(table, "tr")[1:]]
    assert rows == [
        # 15–30 % of the addressable 25 % of 850 M, never of the whole 850 M
        "Cost reduction 15–30 % CHF 212.5 M = 25 % of the annual operating cost (CHF 850 M) "
        "CHF 31.9–63.8 M",
        "Efficiency gains (process acceleration) 25–40 % CHF 80,000 = process hours a year × "
        "cost per hour CHF 20,000–CHF 32,000",
    ]
    missing = text(find(root, "ul", id="projection-missing")).replace("\xa0", " ")
    assert "Revenue increase: enter the addressable share of the annual revenue." in missing
    # 40 M ÷ (midpoint of 31.9–63.8 M + 20–32 k = 47.8 M a year ÷ 12) = 10.0 months
    payback = text(find(root, "p", id="projection-payback")).replace("\xa0", " ")
    assert payback.startswith("Payback: about 10 months.")


def test_without_baselines_the_section_links_to_them(client, erin, assessment):
    answered(assessment, 3)

    root = section(client, erin, assessment)

    assert find(root, "p", id="projection-empty")
    links = [attr(a, "href") for a in find_all(root, "a")]
    assert f"/organizations/{assessment.organization_id}/baselines/" in links


def test_the_industrys_case_studies_are_shown_with_their_source(client, alice, assessment):
    answered(assessment, 3)

    root = section(client, alice, assessment)

    studies = text(find(root, "ul", id="case-studies"))
    assert "22 % less unplanned downtime" in studies
    assert "Source: Siemens, as cited in “Scaling AI from pilots to enterprise scale”" in studies
    assert "Source article" not in studies
    assert "fraud" not in studies


def test_an_industry_without_case_studies_points_to_the_others(client, alice, assessment):
    assessment.organization.industry = Industry.TECHNOLOGY
    assessment.organization.save()
    answered(assessment, 3)

    root = section(client, alice, assessment)

    assert find(root, "p", id="case-studies-empty")


@pytest.mark.parametrize(
    ("level", "here"),
    [
        (1, "87 %"),  # index 0: level 1, stuck in proof of concept
        (3, "You are here: level 3"),  # index 50: the step between
        (5, "13 %"),  # index 100: level 5, AI in core processes
    ],
)
def test_the_market_split_marks_where_the_maturity_level_falls(
    client, alice, assessment, level, here
):
    answered(assessment, level)

    root = section(client, alice, assessment)

    split = find(root, "ul", id="market-split")
    current = [li for li in find_all(split, "li") if attr(li, "aria-current") == "true"]
    assert len(current) == 1
    assert text(current[0]).startswith(here)
    assert "You are here" in text(current[0])
    figures = text(find(root, "table", id="market-figures"))
    assert "68 % of organizations say legacy IT complicates AI deployment" in figures
    assert "Integration with legacy systems:" in figures
