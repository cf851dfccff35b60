from django import forms

from .baselines import AMOUNTS, SHARES
from .models import Currency

HELP = {
    "annual_operating_cost": "The cost-reduction band is applied to it.",
    "annual_revenue": "The revenue-increase band is applied to it.",
    "process_hours_per_year": "Hours a year spent on the processes AI should accelerate.",
    "cost_per_hour": "Fully loaded cost of one of those hours.",
    "planned_ai_investment": "What you plan to spend on AI: gives the payback in months.",
    "operating_cost_addressable_share": "The part of the operating cost in the processes "
    "your AI use cases touch; the cost band applies to it only. Without it, no cost "
    "projection.",
    "revenue_addressable_share": "The part of the revenue your AI use cases can influence; "
    "the revenue band applies to it only. Without it, no revenue projection.",
}
# The order people fill them in: each share right after the figure it is a share of.
ORDER = [
    "annual_operating_cost",
    "operating_cost_addressable_share",
    "annual_revenue",
    "revenue_addressable_share",
    "process_hours_per_year",
    "cost_per_hour",
    "planned_ai_investment",
    "currency",
]


def _amount(name: str, label: str, example: str = "1250000.50") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=HELP[name] + f" A plain number such as {example}; leave empty if unknown.",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class BaselineForm(forms.Form):
    """Rendering and field-level checks only: the numbers are validated by
    `services.baseline_update`, the same rules as the API."""

    # A select, but checked by the service like the amounts, so every error shows at once.
    currency = forms.CharField(
        widget=forms.Select(choices=Currency.choices), initial=Currency.EUR, required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, (label, _) in AMOUNTS.items():
            self.fields[name] = _amount(name, label)
        for name, label in SHARES.items():
            self.fields[name] = _amount(name, label, example="35")
        self.order_fields(ORDER)
