"""ROI comparison and projection against the benchmark bands (DESIGN §7). Pure."""

from __future__ import annotations

from dataclasses import dataclass, field
from statistics import fmean

from django.utils.translation import gettext_lazy

METRICS = ("cost_reduction", "revenue_increase", "efficiency_gain")
LIVE_STAGES = ("production", "scaled")
ILLUSTRATION = gettext_lazy(
    "An illustration from published benchmark bands applied to your own baselines, not a forecast."
)


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
    # The share (0–100 %) of each base in the processes the AI use cases touch: the
    # bands apply to that part only, never to the whole company (DESIGN §7).
    operating_cost_addressable_share: float | None = None
    revenue_addressable_share: float | None = None
    planned_ai_investment: float | None = None


@dataclass(frozen=True)
class Projection:
    metric: str
    low_value: float
    high_value: float
    currency: str
    basis: float  # what the band was applied to: the addressable part of the baseline
    baseline: float  # the whole baseline (operating cost, revenue, hours × cost per hour)
    addressable_share: float | None  # % of the baseline; None where the base is addressable

    @property
    def midpoint(self) -> float:
        return (self.low_value + self.high_value) / 2


@dataclass(frozen=True)
class Payback:
    """How long a planned AI investment takes to pay back at the midpoint of the
    projected annual benefits: an illustration from published bands, not a forecast."""

    investment: float
    annual_benefit_low: float
    annual_benefit_high: float
    annual_benefit_midpoint: float
    months: float | None  # None when the projection promises no benefit at all
    currency: str


# The share of each base that the band applies to; the process hours of the efficiency
# band are already those of the processes AI should accelerate (addressable by definition).
ADDRESSABLE_SHARE = {
    "cost_reduction": "operating_cost_addressable_share",
    "revenue_increase": "revenue_addressable_share",
}


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
    """What each band implies for this organization, over the addressable part of each
    base only: cost band × annual operating cost × addressable share; revenue band ×
    annual revenue × addressable share; efficiency band × process hours × cost per hour.
    A metric whose baseline or addressable share is missing is not projected."""
    hours, rate = baselines.process_hours_per_year, baselines.cost_per_hour
    wholes = {
        "cost_reduction": baselines.annual_operating_cost,
        "revenue_increase": baselines.annual_revenue,
        "efficiency_gain": hours * rate if hours is not None and rate is not None else None,
    }
    projections = []
    for band in bands:
        whole = wholes.get(band.metric)
        share = (
            getattr(baselines, ADDRESSABLE_SHARE[band.metric])
            if band.metric in ADDRESSABLE_SHARE
            else None
        )
        if whole is None or (band.metric in ADDRESSABLE_SHARE and share is None):
            continue
        basis = whole * share / 100 if share is not None else whole
        projections.append(
            Projection(
                metric=band.metric,
                low_value=band.low / 100 * basis,
                high_value=band.high / 100 * basis,
                currency=baselines.currency,
                basis=basis,
                baseline=whole,
                addressable_share=share,
            )
        )
    return projections


def payback(baselines: Baselines, projections: list[Projection]) -> Payback | None:
    """Payback months = planned investment ÷ (midpoint annual benefit ÷ 12), the benefit
    being the sum of the projected metrics; None without an investment or a projection."""
    investment = baselines.planned_ai_investment
    if investment is None or not projections:
        return None
    low = sum(p.low_value for p in projections)
    high = sum(p.high_value for p in projections)
    midpoint = (low + high) / 2
    return Payback(
        investment=investment,
        annual_benefit_low=low,
        annual_benefit_high=high,
        annual_benefit_midpoint=midpoint,
        months=investment / (midpoint / 12) if midpoint > 0 else None,
        currency=baselines.currency,
    )
