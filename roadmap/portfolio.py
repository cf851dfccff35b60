"""The rule for a use case's figures (baseline, target and actual percentages, and the
values in units they can be computed from), the one place it is written: the model, the
forms, the API, the services and the benchmarks all read it. Pure."""

import math

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

PERCENT_MIN, PERCENT_MAX = -100, 100
PERCENT_MESSAGE = gettext_lazy("Enter a percentage from −100 to 100.")


def percent_problem(value) -> tuple[str, str] | None:
    """(code, message) when `value` is not a percentage from −100 to 100, else None."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "invalid", _("Enter a number.")
    if not math.isfinite(value) or not PERCENT_MIN <= value <= PERCENT_MAX:
        return "out_of_range", str(PERCENT_MESSAGE)
    return None


# Which way is better for each metric's values in units: a cost or the hours (or the error
# rate) of a process should fall; revenue should rise.
LOWER_IS_BETTER = {"cost_reduction": True, "revenue_increase": False, "efficiency_gain": True}
DEFAULT_UNITS = {"cost_reduction": "€ per year", "revenue_increase": "€ per year",
                 "efficiency_gain": "hours per year"}  # fmt: skip


def percent_from_values(metric: str, baseline: float | None, actual: float | None):
    """The improvement in percent from a baseline and an actual value in units: the fall
    for costs and hours, the rise for revenue; None without both values or with a zero
    baseline. Clipped to −100…100, the range of the percent inputs."""
    if baseline is None or actual is None or baseline == 0:
        return None
    change = (actual - baseline) / abs(baseline) * 100
    percent = -change if LOWER_IS_BETTER[metric] else change
    return max(float(PERCENT_MIN), min(float(PERCENT_MAX), percent))


def effective_actual(metric: str, typed: float | None, baseline_value, actual_value):
    """(percent, basis): computed from the values in units when both are given, else the
    typed percentage (kept for use cases without values); (None, "") when neither."""
    computed = percent_from_values(metric, baseline_value, actual_value)
    if computed is not None:
        return computed, "values"
    if typed is not None:
        return float(typed), "percent"
    return None, ""
