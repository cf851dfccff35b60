import re

from django import forms
from django.utils.translation import gettext_lazy

from common.display import is_german, localize_number

from .baselines import AMOUNTS, SHARES
from .models import Currency

HELP = {
    "annual_operating_cost": gettext_lazy(
        "The cost-reduction band is applied to it. A plain number such as %(example)s; "
        "leave empty if unknown."
    ),
    "annual_revenue": gettext_lazy(
        "The revenue-increase band is applied to it. A plain number such as %(example)s; "
        "leave empty if unknown."
    ),
    "process_hours_per_year": gettext_lazy(
        "Hours a year spent on the processes AI should accelerate. A plain number such as "
        "%(example)s; leave empty if unknown."
    ),
    "cost_per_hour": gettext_lazy(
        "Fully loaded cost of one of those hours. A plain number such as %(example)s; "
        "leave empty if unknown."
    ),
    "planned_ai_investment": gettext_lazy(
        "What you plan to spend on AI: gives the payback in months. A plain number such as "
        "%(example)s; leave empty if unknown."
    ),
    "operating_cost_addressable_share": gettext_lazy(
        "The part of the operating cost in the processes your AI use cases touch; the cost "
        "band applies to it only. Without it, no cost projection. A plain number such as "
        "%(example)s; leave empty if unknown."
    ),
    "revenue_addressable_share": gettext_lazy(
        "The part of the revenue your AI use cases can influence; the revenue band applies "
        "to it only. Without it, no revenue projection. A plain number such as %(example)s; "
        "leave empty if unknown."
    ),
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


# A number as a German writes it: a decimal comma, and points between thousands if any
# ("1.250.000,50", "1250000,5", "58,5"). "1.250" is then a thousand two hundred and fifty.
GERMAN_NUMBER = re.compile(r"[0-9]{1,3}(\.[0-9]{3})+(,[0-9]*)?|[0-9]*,[0-9]*")


def plain_number(text: str) -> str:
    """A number typed in the active language as the plain form the rules take (the API's):
    German "1.250.000,50" → "1250000.50". Anything else is left for the rules to judge."""
    stripped = text.strip()
    if is_german() and GERMAN_NUMBER.fullmatch(stripped.removeprefix("-")):
        return stripped.replace(".", "").replace(",", ".")
    return text


def _amount(name: str, label: str, example: str = "1250000.50") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        # Built with each form, so in the language of its request.
        help_text=str(HELP[name]) % {"example": localize_number(example)},
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
        for name, (label, _digits) in AMOUNTS.items():
            self.fields[name] = _amount(name, label)
        for name, label in SHARES.items():
            self.fields[name] = _amount(name, label, example="35")
        self.order_fields(ORDER)

    def clean(self):
        cleaned = super().clean()
        for name in (*AMOUNTS, *SHARES):
            if isinstance(cleaned.get(name), str):
                cleaned[name] = plain_number(cleaned[name])
        return cleaned
