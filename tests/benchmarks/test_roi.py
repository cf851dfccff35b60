"""ROI comparison and projection (DESIGN §7): pure, hand-checked tables."""

import pytest

from benchmarks.roi import (
    Band,
    Baselines,
    UseCaseValues,
    classify,
    compare_portfolio,
    compare_use_case,
    payback,
    portfolio_values,
    project,
)

COST = Band("cost_reduction", 15, 30)
REVENUE = Band("revenue_increase", 10, 20)
EFFICIENCY = Band("efficiency_gain", 25, 40)
BANDS = [COST, REVENUE, EFFICIENCY]


def use_case(stage, name="uc", **values):
    """values: cost=(actual, target), revenue=…, efficiency=…"""
    metrics = {
        "cost": "cost_reduction",
        "revenue": "revenue_increase",
        "efficiency": "efficiency_gain",
    }
    actual = dict.fromkeys(metrics.values())
    target = dict.fromkeys(metrics.values())
    for short, (a, t) in values.items():
        actual[metrics[short]], target[metrics[short]] = a, t
    return UseCaseValues(name=name, stage=stage, actual=actual, target=target)


@pytest.mark.parametrize(
    ("value", "position", "distance"),
    [
        (15, "within", 0),  # the low edge is inside
        (30, "within", 0),  # so is the high edge
        (22.5, "within", 0),
        (14.99, "below", 0.01),
        (30.01, "above", 0.01),
        (0, "below", 15),
        (-5, "below", 20),
        (100, "above", 70),
    ],
)
def test_it_classifies_a_value_against_its_band_at_and_around_the_edges(value, position, distance):
    comparison = classify(value, COST)

    assert comparison.position == position
    assert comparison.distance == pytest.approx(distance)
    assert (comparison.metric, comparison.value) == ("cost_reduction", value)


def test_the_portfolio_is_the_mean_actual_of_use_cases_in_production_or_scaled():
    use_cases = [
        use_case("production", cost=(10, 40)),
        use_case("scaled", cost=(20, None)),
        use_case("pilot", cost=(90, 90)),  # not live
        use_case("idea", cost=(None, 50)),  # not live
        use_case("production", cost=(None, 25)),  # live, but nothing realized yet
    ]

    assert portfolio_values(use_cases)["cost_reduction"] == 15


def test_a_metric_without_any_live_actual_value_has_no_portfolio_value():
    use_cases = [use_case("production", cost=(12, None)), use_case("pilot", revenue=(30, 30))]

    values = portfolio_values(use_cases)
    compared = compare_portfolio(use_cases, BANDS)

    assert values == {"cost_reduction": 12, "revenue_increase": None, "efficiency_gain": None}
    assert [(c.metric, c.value, c.position, c.distance) for c in compared] == [
        ("cost_reduction", 12, "below", 3)
    ]


def test_an_empty_portfolio_compares_nothing():
    assert compare_portfolio([], BANDS) == []


def test_the_portfolio_is_compared_with_each_band():
    use_cases = [
        use_case("scaled", cost=(17, None), revenue=(25, None), efficiency=(30, None)),
        use_case("production", cost=(20, None), revenue=(35, None), efficiency=(20, None)),
    ]

    compared = {
        c.metric: (c.value, c.position, c.distance) for c in compare_portfolio(use_cases, BANDS)
    }

    assert compared == {
        "cost_reduction": (18.5, "within", 0),
        "revenue_increase": (30, "above", 10),
        "efficiency_gain": (25, "within", 0),
    }


def test_a_use_case_is_compared_on_its_actual_value_else_on_its_target():
    compared = compare_use_case(
        use_case("pilot", cost=(12, 28), revenue=(None, 25), efficiency=(None, None)), BANDS
    )

    assert [(basis, c.metric, c.value, c.position) for basis, c in compared] == [
        ("actual", "cost_reduction", 12, "below"),
        ("target", "revenue_increase", 25, "above"),
    ]


def baselines(cost=None, revenue=None, hours=None, rate=None, *, cost_share=None,
              revenue_share=None, investment=None, currency="EUR") -> Baselines:  # fmt: skip
    return Baselines(
        cost, revenue, hours, rate, currency,
        operating_cost_addressable_share=cost_share,
        revenue_addressable_share=revenue_share,
        planned_ai_investment=investment,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        (
            baselines(10_000_000, 5_000_000, 1_000, 50, cost_share=100, revenue_share=100),
            {
                "cost_reduction": (1_500_000, 3_000_000, 10_000_000),
                "revenue_increase": (500_000, 1_000_000, 5_000_000),
                "efficiency_gain": (12_500, 20_000, 50_000),  # 1,000 h × 50 = 50,000
            },
        ),
        (
            # The case: 15–30 % of 20 % of 850 M, not of the whole 850 M
            baselines(850_000_000, cost_share=20),
            {"cost_reduction": (25_500_000, 51_000_000, 170_000_000)},
        ),
        (
            baselines(2_000_000, None, 40_000, None, cost_share=50, currency="USD"),
            {"cost_reduction": (150_000, 300_000, 1_000_000)},  # efficiency needs both
        ),
        (
            # No share, no projection: never the whole company
            baselines(850_000_000, 1_200_000_000),
            {},
        ),
        (baselines(0, cost_share=30, currency="GBP"), {"cost_reduction": (0, 0, 0)}),
        (baselines(1_000_000, cost_share=0), {"cost_reduction": (0, 0, 0)}),
        (baselines(), {}),
    ],
)
def test_the_projection_applies_each_band_to_the_addressable_part(given, expected):
    projected = project(given, BANDS)

    got = {p.metric: (p.low_value, p.high_value, p.basis) for p in projected}
    assert got.keys() == expected.keys()
    for metric, values in expected.items():
        assert got[metric] == pytest.approx(values), metric
    assert {p.currency for p in projected} <= {given.currency}


def test_each_projection_keeps_the_whole_baseline_and_its_share():
    cost, efficiency = project(baselines(850_000_000, None, 1_000, 50, cost_share=20), BANDS)

    assert (cost.baseline, cost.addressable_share, cost.basis) == (850_000_000, 20, 170_000_000)
    assert (efficiency.baseline, efficiency.addressable_share) == (50_000, None)


@pytest.mark.parametrize(
    ("given", "months"),
    [
        # benefits 25.5–51 M: midpoint 38.25 M a year, 3.1875 M a month
        (baselines(850_000_000, cost_share=20, investment=12_750_000), 4.0),
        # cost 1.5–3 M + revenue 0.5–1 M: midpoint 3 M a year, 250,000 a month
        (
            baselines(10_000_000, 5_000_000, cost_share=100, revenue_share=100, investment=3e6),
            12.0,
        ),
        (baselines(850_000_000, cost_share=0, investment=1_000_000), None),  # no benefit
    ],
)
def test_payback_is_the_investment_over_the_midpoint_monthly_benefit(given, months):
    result = payback(given, project(given, BANDS))

    assert result.months == (pytest.approx(months) if months is not None else None)
    assert result.investment == given.planned_ai_investment


@pytest.mark.parametrize(
    "given",
    [
        baselines(850_000_000, cost_share=20),  # no investment
        baselines(850_000_000, investment=1_000_000),  # nothing projected (no share)
    ],
)
def test_without_an_investment_or_a_projection_there_is_no_payback(given):
    assert payback(given, project(given, BANDS)) is None
