from django import template

from common.display import is_german, localize_number, percentile_short
from organizations.models import Industry

register = template.Library()


@register.filter
def ordinal_percentile(value) -> str:
    """64.0 → "64th", 71 → "71st"; the extremes in words ("lowest", "highest"); an em
    dash when there is none (common.display.percentile_short)."""
    return percentile_short(value)


@register.filter
def money(value) -> str:
    """A whole amount with thousands separators: 1500000 → "1,500,000" (German
    "1.500.000")."""
    return "—" if value is None else localize_number(f"{value:,.0f}")


@register.filter
def figure(value) -> str:
    """A reference figure as published: 87 → "87", 1.8 → "1.8", 10000000 → "10,000,000"
    (German "1,8", "10.000.000")."""
    if value is None:
        return "—"
    return localize_number(f"{value:,.0f}" if float(value).is_integer() else f"{value:,g}")


@register.filter
def industry_label(key: str) -> str:
    return dict(Industry.choices).get(key, key)


@register.filter
def in_sentence(text: str) -> str:
    """A label inside a sentence: lower case in English ("manufacturing organizations");
    German nouns keep their capital ("Organisationen der Branche Fertigung")."""
    return str(text) if is_german() else str(text).lower()
