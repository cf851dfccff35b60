"""What every chart shares (shared/REPORTS.md): the brand colour, the muted and warning
colours, the font, the base layout of a figure, and the one way a page embeds one."""

import dataclasses
import hashlib
import json
import threading
from collections import OrderedDict
from datetime import date, datetime
from decimal import Decimal
from html import escape

from django.utils.functional import Promise
from django.utils.translation import get_language

from common.display import is_german

BRAND = "#1f4e8c"
MUTED = "#9aa3b2"
WARN = "#a15c00"
FONT = {"family": "DejaVu Sans, Arial, sans-serif", "size": 13, "color": "#1d2433"}


def separators() -> str:
    """Plotly's decimal and thousands separators in the active language: "59.4" and
    "1,500" in English, "59,4" and "1.500" in German (axis ticks and hover numbers;
    texts written on the marks come from common.display)."""
    return ",." if is_german() else ".,"


def base_layout(**extra) -> dict:
    return {
        "font": FONT,
        "separators": separators(),
        "margin": {"l": 40, "r": 40, "t": 30, "b": 30},
        "paper_bgcolor": "white",
        "plot_bgcolor": "white",
        "showlegend": False,
        **extra,
    }


def label(text: str) -> str:
    """User text as a plotly label: plotly reads `<a href>`, `<span style>`, `<br>` and
    the like in every title, name, tick, hover and annotation, so `<`, `>` and `&` are
    written as entities (plotly shows them as the characters). Every chart builder passes
    each text it did not write itself through here, once, before adding its own markup."""
    return escape(str(text), quote=False)


def figure_data(figure) -> dict:
    """A figure as plain JSON data for `json_script` (no inline script needed)."""
    return json.loads(figure.to_json())


# Built figures by what they were built from: plotly validates every property of a
# figure as it is built, which made the results page (about twenty figures, each wide
# and narrow) slow to serve again with nothing changed. A figure is a pure function of
# its builder, its inputs and the active language, so those are the key.
CHART_CACHE_SIZE = 256
_charts: OrderedDict[str, str] = OrderedDict()
_charts_lock = threading.Lock()


class _Unkeyable(TypeError):
    """An input whose value its repr may not show (a model instance, say)."""


def _plain(value):
    """`value` as plain, comparable data for the cache key; _Unkeyable otherwise."""
    if value is None or isinstance(value, bool | int | float | str | Decimal | date | datetime):
        return value
    if isinstance(value, Promise):  # a lazy translation: its text in the active language
        return str(value)
    if isinstance(value, dict):
        return sorted(((repr(_plain(k)), _plain(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return (type(value).__qualname__, _plain(dataclasses.asdict(value)))
    raise _Unkeyable(type(value).__name__)


def chart_data(builder, *args, **kwargs) -> dict:
    """`figure_data(builder(*args, **kwargs))`, built once per builder, inputs and
    language (an LRU of CHART_CACHE_SIZE figures in each process). Inputs that are not
    plain data are built every time."""
    try:
        inputs = (_plain(args), _plain(kwargs))
        what = (builder.__module__, builder.__qualname__, get_language(), inputs)
        key = hashlib.sha256(repr(what).encode()).hexdigest()
    except _Unkeyable:
        return figure_data(builder(*args, **kwargs))
    with _charts_lock:
        built = _charts.get(key)
        if built is not None:
            _charts.move_to_end(key)
    if built is None:
        built = builder(*args, **kwargs).to_json()
        with _charts_lock:
            _charts[key] = built
            while len(_charts) > CHART_CACHE_SIZE:
                _charts.popitem(last=False)
    return json.loads(built)


# On a phone (a plot about 330 px wide) a left margin for the category labels would
# squeeze the bars to nothing: narrow variants write each label above its bar instead,
# across the full width, and keep the margins small.
NARROW_MARGIN = {"l": 8, "r": 12, "t": 10, "b": 40}
NARROW_ROW_HEIGHT = 62
NARROW_BAR_GAP = 0.55
SKIPPED_WORDS = {"and", "of", "with", "the", "for", "to", "in"}


def label_bars_above(
    figure,
    categories: list[str],
    texts: list[str] | None = None,
    row_height: int = NARROW_ROW_HEIGHT,
    **layout,
):
    """Lay out horizontal bars (y = `categories`) with each label written above its bar:
    no tick labels, one annotation per category (added to the figure's own), the first
    row at the top. `layout` is passed on to base_layout (margin, height, legend…)."""
    figure.update_layout(
        **base_layout(
            **{
                "height": 60 + row_height * len(categories),
                "margin": NARROW_MARGIN,
                "bargap": NARROW_BAR_GAP,
                **layout,
            }
        ),
        yaxis={"autorange": "reversed", "showticklabels": False, "type": "category"},
    )
    for category, text in zip(categories, texts or categories, strict=True):
        figure.add_annotation(
            xref="paper",
            x=0,
            yref="y",
            y=category,
            xanchor="left",
            yanchor="bottom",
            yshift=row_height * (1 - NARROW_BAR_GAP) / 2 + 3,  # just above the bar
            align="left",
            showarrow=False,
            text=text,
        )
    return figure


def abbreviate(titles: list[str], limit: int = 12) -> list[str]:
    """Short axis labels for a small chart: a title's first word ("Data infrastructure"
    → "Data"), or the title itself when it is short; when two titles would read the same
    ("Talent acquisition…", "Talent and organizational…"), the next word's first three
    letters tell them apart ("Talent acq.", "Talent org.")."""

    def words(title: str) -> list[str]:
        return [w for w in title.split() if w.lower() not in SKIPPED_WORDS] or [title]

    first = [t if len(t) <= limit else words(t)[0] for t in titles]
    return [
        f"{words(title)[0]} {words(title)[1][:3].lower()}."
        if first.count(short) > 1 and len(words(title)) > 1 and len(title) > limit
        else short
        for title, short in zip(titles, first, strict=True)
    ]
