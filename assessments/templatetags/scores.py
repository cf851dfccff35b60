from django import template

register = template.Library()


@register.filter
def score(value, digits: int = 1) -> str:
    """A score for display: rounded, or an em dash when there is none."""
    if value is None:
        return "—"
    return f"{value:.{int(digits)}f}"


@register.filter
def percent(value) -> str:
    return "—" if value is None else f"{value:.0%}"


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, [])
