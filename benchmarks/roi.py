"""ROI comparison and projection against the benchmark bands (DESIGN §7). Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import fmean

METRICS = ("cost_reduction", "revenue_increase", "efficiency_gain")
LIVE_STAGES = ("production", "scaled")


@dataclass(frozen=True)
class Band:
    metric: str
    low: float
    high: float


@dataclass(frozen=True)
class Comparison:
    metric: str
    value: float
    position: str  # below, within, above
    distance: float  # points outside the band; 0 within


@dataclass(frozen=True)
class UseCaseValues:
    name: str
    stage: str
    actual: dict[str, float | None]  # metric → realized %
    target: dict[str, float | None]  # metric → targeted %
    # metric → "values" (computed from values in units), "percent" (typed) or ""
    actual_basis: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Baselines:
    annual_operating_cost: float | None
    annual_revenue: float | None
    process_hours_per_year: float | None
    cost_per_hour: float | None
    currency: str


@dataclass(frozen=True)
class Projection:
    metric: str
    low_value: float
    high_value: float
    currency: str
    basis: float  # the baseline the band was applied to


def classify(value: float, band: Band) -> Comparison:
    """Below (value < low), within (low ≤ value ≤ high) or above (value > high)."""
    if value < band.low:
        return Comparison(band.metric, value, "below", band.low - value)
    if value > band.high:
        return Comparison(band.metric, value, "above", value - band.high)
    return Comparison(band.metric, value, "within", 0.0)


def portfolio_values(use_cases: list[UseCaseValues]) -> dict[str, float | None]:
    """Per metric, the mean actual value of use cases in production or scaled that have
    one; None when there is none."""
    values = {}
    for metric in METRICS:
        actuals = [
            u.actual[metric]
            for u in use_cases
            if u.stage in LIVE_STAGES and u.actual.get(metric) is not None
        ]
        values[metric] = fmean(actuals) if actuals else None
    return values


def compare_portfolio(use_cases: list[UseCaseValues], bands: list[Band]) -> list[Comparison]:
    values = portfolio_values(use_cases)
    return [classify(values[b.metric], b) for b in bands if values.get(b.metric) is not None]


def compare_use_case(use_case: UseCaseValues, bands: list[Band]) -> list[tuple[str, Comparison]]:
    """Each metric of a use case against its band: the actual value when there is one,
    else the target. Returns (basis, comparison) with basis "actual" or "target"."""
    compared = []
    for band in bands:
        for basis, values in (("actual", use_case.actual), ("target", use_case.target)):
            if values.get(band.metric) is not None:
                compared.append((basis, classify(values[band.metric], band)))
                break
    return compared


def project(baselines: Baselines, bands: list[Band]) -> list[Projection]:
    """What each band implies for this organization: cost band × annual operating cost;
    revenue band × annual revenue; efficiency band × process hours × cost per hour."""
    bases = {
        "cost_reduction": baselines.annual_operating_cost,
        "revenue_increase": baselines.annual_revenue,
        "efficiency_gain": (
            baselines.process_hours_per_year * baselines.cost_per_hour
            if baselines.process_hours_per_year is not None and baselines.cost_per_hour is not None
            else None
        ),
    }
    return [
        Projection(
            metric=band.metric,
            low_value=band.low / 100 * bases[band.metric],
            high_value=band.high / 100 * bases[band.metric],
            currency=baselines.currency,
            basis=bases[band.metric],
        )
        for band in bands
        if bases.get(band.metric) is not None
    ]
