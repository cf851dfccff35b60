"""The ROI projection as people read it, the same on the baselines page, the results
page, the reports and the slides: one row per projected metric with its money
written for people (`common.display.format_money`), the payback, what is missing
for the metrics left out, and the label that it is an illustration."""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.display import display_round, format_money, is_german, localize_number

from .roi import ADDRESSABLE_SHARE, ILLUSTRATION, METRICS, Baselines, Payback, Projection

BASE_LABELS = {
    "cost_reduction": gettext_lazy("annual operating cost"),
    "revenue_increase": gettext_lazy("annual revenue"),
    "efficiency_gain": gettext_lazy("process hours a year × cost per hour"),
}
# "35 % of the annual operating cost (€127.5 M)": whole phrases, so German can decline.
APPLIED_TO = {
    "cost_reduction": gettext_lazy("%(share)s of the annual operating cost (%(baseline)s)"),
    "revenue_increase": gettext_lazy("%(share)s of the annual revenue (%(baseline)s)"),
    "efficiency_gain": gettext_lazy(
        "%(share)s of the process hours a year × cost per hour (%(baseline)s)"
    ),
}
MISSING_SHARE = {
    "cost_reduction": gettext_lazy("enter the addressable share of the annual operating cost"),
    "revenue_increase": gettext_lazy("enter the addressable share of the annual revenue"),
    "efficiency_gain": gettext_lazy(
        "enter the addressable share of the process hours a year × cost per hour"
    ),
}
# A baseline field with its article, as in "enter the annual revenue".
FIELD_NAMES = {
    "annual_operating_cost": gettext_lazy("the annual operating cost"),
    "annual_revenue": gettext_lazy("the annual revenue"),
    "process_hours_per_year": gettext_lazy("the process hours per year"),
    "cost_per_hour": gettext_lazy("the cost per hour"),
}
BASE_FIELDS = {
    "cost_reduction": ("annual_operating_cost",),
    "revenue_increase": ("annual_revenue",),
    "efficiency_gain": ("process_hours_per_year", "cost_per_hour"),
}


def percent(value) -> str:
    """35 → "35 %", 12.5 → "12.5 %" (display-rounded, no trailing ".0"; German "12,5 %")."""
    return f"{localize_number(str(display_round(value)).removesuffix('.0'))} %"


def projection_view(
    baselines: Baselines | None,
    projection: list[Projection],
    payback: Payback | None,
    roi_bands: list,
) -> dict:
    """rows (title, band, baseline, share, basis, low, high: text; and the numbers),
    missing (a sentence per metric left out), payback, illustration."""
    titles = {b.metric: b.title for b in roi_bands}
    ranges = {b.metric: (b.low, b.high) for b in roi_bands}
    rows = []
    for p in sorted(projection, key=lambda p: METRICS.index(p.metric)):
        low, high = ranges.get(p.metric, (None, None))
        rows.append(
            {
                "metric": p.metric,
                "title": titles.get(p.metric, p.metric),
                "band": f"{percent(low).removesuffix(' %')}–{percent(high)}"
                if low is not None
                else "",
                "baseline_label": str(BASE_LABELS[p.metric]),
                "baseline": format_money(p.baseline, p.currency),
                "share": percent(p.addressable_share) if p.addressable_share is not None else "",
                "applied_to": str(APPLIED_TO[p.metric])
                % {
                    "share": percent(p.addressable_share),
                    "baseline": format_money(p.baseline, p.currency),
                }
                if p.addressable_share is not None
                else str(BASE_LABELS[p.metric]),
                "basis": format_money(p.basis, p.currency),
                "low": format_money(p.low_value, p.currency),
                "high": format_money(p.high_value, p.currency),
                "range": _range(p.low_value, p.high_value, p.currency),
                "low_value": p.low_value,
                "high_value": p.high_value,
                "currency": p.currency,
            }
        )
    projected = {p.metric for p in projection}
    missing = [
        _("%(metric)s: %(reason)s.") % {"metric": titles.get(m, m), "reason": reason}
        for m in METRICS
        if m in titles and m not in projected
        for reason in [_missing(baselines, m)]
        if reason
    ]
    return {
        "rows": rows,
        "missing": missing,
        "payback": _payback(payback),
        "illustration": str(ILLUSTRATION),
        "currency": baselines.currency if baselines else None,
    }


def _range(low: float, high: float, currency: str) -> str:
    """ "€127.5–255 M" when both ends share a unit, else "€950,000–€1.9 M"; German
    "127,5–255 Mio. €", "950.000 €–1,9 Mio. €"."""
    low_text, high_text = format_money(low, currency), format_money(high, currency)
    if is_german():  # the number first, then its unit and currency: "127,5 Mio. €"
        low_number, _space, low_suffix = low_text.partition("\u00a0")
        high_number, _space, high_suffix = high_text.partition("\u00a0")
        if low_suffix == high_suffix and low_suffix.count("\u00a0") == 1:
            return f"{low_number}–{high_number}\u00a0{low_suffix}"
        return f"{low_text}–{high_text}"
    low_unit, high_unit = low_text.rsplit("\u00a0", 1), high_text.rsplit("\u00a0", 1)
    if len(low_unit) == 2 and len(high_unit) == 2 and low_unit[1] == high_unit[1]:
        number = high_unit[0].lstrip("€$£¥").split("\u00a0")[-1]
        return f"{low_unit[0]}–{number}\u00a0{high_unit[1]}"
    return f"{low_text}–{high_text}"


def _missing(baselines: Baselines | None, metric: str) -> str:
    if baselines is None:
        return _("enter the baselines")
    absent = [str(FIELD_NAMES[f]) for f in BASE_FIELDS[metric] if getattr(baselines, f) is None]
    if absent:
        fields = absent[0]
        for name in absent[1:]:
            fields = _("%(first)s and %(last)s") % {"first": fields, "last": name}
        return _("enter %(fields)s") % {"fields": fields}
    share = ADDRESSABLE_SHARE.get(metric)
    if share and getattr(baselines, share) is None:
        return str(MISSING_SHARE[metric])
    return ""


def _payback(payback: Payback | None) -> dict | None:
    if payback is None:
        return None
    months = display_round(payback.months, 0) if payback.months is not None else None
    return {
        "investment": format_money(payback.investment, payback.currency),
        "benefit": _range(
            payback.annual_benefit_low, payback.annual_benefit_high, payback.currency
        ),
        "midpoint": format_money(payback.annual_benefit_midpoint, payback.currency),
        "months": months,
        "sentence": (
            _(
                "A planned investment of %(investment)s pays back in about %(months)s months "
                "at the midpoint of the projected benefits (%(midpoint)s a year)."
            )
            % {
                "investment": format_money(payback.investment, payback.currency),
                "months": months,
                "midpoint": format_money(payback.annual_benefit_midpoint, payback.currency),
            }
            if months is not None
            else _("No benefit is projected, so the planned investment has no payback.")
        ),
    }
