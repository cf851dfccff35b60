"""What every chart shares (shared/REPORTS.md): the brand colour, the muted and warning
colours, the font, the base layout of a figure, and the one way a page embeds one."""

import json
from html import escape

BRAND = "#1f4e8c"
MUTED = "#9aa3b2"
WARN = "#a15c00"
FONT = {"family": "DejaVu Sans, Arial, sans-serif", "size": 13, "color": "#1d2433"}


def base_layout(**extra) -> dict:
    return {
        "font": FONT,
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
