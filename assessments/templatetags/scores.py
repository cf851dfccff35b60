from django import template

from common.display import format_percent, format_score, format_signed

register = template.Library()


@register.filter
def score(value, digits: int = 1) -> str:
    """A score for display (common.display: half away from zero), or an em dash."""
    return format_score(value, int(digits))


@register.filter
def signed(value, digits: int = 1) -> str:
    """A change for display: "+6.8", "−2.0", or an em dash."""
    return format_signed(value, int(digits))


@register.filter
def percent(value) -> str:
    return format_percent(value)


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key, [])


RAG_CLASSES = {
    "on_track": "status-good",
    "done": "status-good",
    "passed": "status-good",
    "at_risk": "status-warn",
    "late": "status-bad",
    "blocked": "status-bad",  # a blocked or overdue milestone (roadmap.tracking)
}


@register.filter
def rag(status) -> str:
    """The fixed red/amber/green class of a roadmap status (never the brand colour); grey
    for a phase not started or without milestones."""
    return RAG_CLASSES.get(str(status), "status-neutral")
