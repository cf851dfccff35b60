"""Template helpers for the reports' languages."""

from django import template
from django.utils import translation

register = template.Library()


@register.filter
def mid_sentence(label) -> str:
    """A label ("Executive summary", "Manufacturing peers") inside a sentence: lower
    case in English; unchanged in German, whose nouns keep their capital."""
    text = str(label)
    return text.lower() if (translation.get_language() or "en").startswith("en") else text
