"""Use-case value (issue 15): baseline and actual values in units give the actual
percentage, compared with the ROI bands; typed percentages stay for use cases without
values; the benchmarks API compares each use case."""

import pytest

from roadmap import services
from roadmap.portfolio import effective_actual, percent_from_values


@pytest.mark.parametrize(
    ("metric", "baseline", "actual", "percent"),
    [
        ("cost_reduction", 1_000_000.0, 850_000.0, 15.0),  # costs fell 15 %
        ("efficiency_gain", 1200.0, 900.0, 25.0),  # hours fell 25 %
        ("efficiency_gain", 0.04, 0.05, -25.0),  # the error rate rose: worse
        ("revenue_increase", 2_000_000.0, 2_100_000.0, 5.0),  # revenue rose 5 %
        ("revenue_increase", 100.0, 400.0, 100.0),  # clipped to the percent range
        ("cost_reduction", 0.0, 10.0, None),  # no baseline to compare with
        ("cost_reduction", None, 10.0, None),
    ],
)
def test_the_percentage_is_computed_from_values_in_units(metric, baseline, actual, percent):
    assert percent_from_values(metric, baseline, actual) == (
        pytest.approx(percent) if percent is not None else None
    )


def test_values_replace_the_typed_percentage_which_stays_without_them():
    assert effective_actual("cost_reduction", 8.0, 100.0, 80.0) == (20.0, "values")
    assert effective_actual("cost_reduction", 8.0, None, 80.0) == (8.0, "percent")
    assert effective_actual("cost_reduction", None, None, None) == (None, "")


def test_the_benchmarks_api_compares_each_use_case_on_its_computed_value(
    client, alice, closed_with_use_cases
):
    client.force_login(alice)
    body = client.get(f"/api/v1/assessments/{closed_with_use_cases.pk}/benchmarks/").json()
    cases = {u["name"]: u for u in body["roi"]["use_cases"]}
    measured = {c["metric"]: c for c in cases["Invoice matching"]["comparisons"]}
    assert measured["efficiency_gain"]["value"] == 40.0
    assert (measured["efficiency_gain"]["basis"], measured["efficiency_gain"]["source"]) == (
        "actual",
        "values",
    )
    assert measured["efficiency_gain"]["position"] in ("below", "within", "above")
    typed = {c["metric"]: c for c in cases["Churn model"]["comparisons"]}
    assert (typed["revenue_increase"]["value"], typed["revenue_increase"]["source"]) == (
        4.0,
        "percent",
    )


def test_bad_values_are_refused_with_the_field_named(client, carol, organization):
    client.force_login(carol)
    response = client.post(
        f"/api/v1/organizations/{organization.pk}/use-cases/",
        {"name": "X", "efficiency_gain_baseline_value": True},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "efficiency_gain_baseline_value"


@pytest.fixture
def closed_with_use_cases(submitted, carol, organization):
    from assessments import services as assessment_services

    services.use_case_create(
        organization=organization,
        user=carol,
        data={
            "name": "Invoice matching",
            "stage": "production",
            "efficiency_gain_unit": "hours per year",
            "efficiency_gain_baseline_value": 5000.0,
            "efficiency_gain_actual_value": 3000.0,
            "efficiency_gain_actual": 5.0,  # replaced by the values: 40 %
        },
    )
    services.use_case_create(
        organization=organization,
        user=carol,
        data={"name": "Churn model", "stage": "pilot", "revenue_increase_actual": 4.0},
    )
    return assessment_services.assessment_close(assessment=submitted)
