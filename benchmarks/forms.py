from django import forms

from .baselines import AMOUNTS
from .models import Currency

HELP = {
    "annual_operating_cost": "The cost-reduction band is applied to it.",
    "annual_revenue": "The revenue-increase band is applied to it.",
    "process_hours_per_year": "Hours a year spent on the processes AI should accelerate.",
    "cost_per_hour": "Fully loaded cost of one of those hours.",
}


def _amount(name: str, label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=HELP[name] + " A plain number such as 1250000.50; leave empty if unknown.",
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
        self.order_fields([*AMOUNTS, "currency"])
