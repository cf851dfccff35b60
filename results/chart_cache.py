"""Charts of the results page, drawn once per content and language.

A results page builds a dozen plotly figures twice (wide and phone variants); plotly's
validation makes that most of the page's server time. The same inputs in the same
language give the same figure, so the figure's JSON is kept in the cache under a digest
of: the builder, the source of the modules that draw it (a deploy that changes a chart
never serves the old drawing), the active language, and the inputs themselves.
"""

import hashlib
import inspect
import pickle
from functools import cache as once
from pathlib import Path

from django.core.cache import cache
from django.utils.translation import get_language

from common import charts as common_charts
from common import display

# A day: a figure is small, and any change of its inputs is a new key anyway.
FIGURE_TTL_SECONDS = 24 * 3600


@once
def _code_digest(module_file: str) -> str:
    digest = hashlib.sha256()
    for path in sorted({module_file, inspect.getsourcefile(common_charts), display.__file__}):
        digest.update(Path(path).read_bytes())
    return digest.hexdigest()


def cached_figure(builder, *args, **kwargs) -> dict:
    """`common.charts.figure_data(builder(*args, **kwargs))`, built once per content and
    language."""
    try:
        inputs = pickle.dumps((args, sorted(kwargs.items())), protocol=5)
    except (pickle.PicklingError, TypeError, AttributeError):
        return common_charts.figure_data(builder(*args, **kwargs))
    key = "chart:" + hashlib.sha256(
        b"\0".join(
            [
                f"{builder.__module__}.{builder.__qualname__}".encode(),
                _code_digest(inspect.getsourcefile(builder)).encode(),
                (get_language() or "").encode(),
                inputs,
            ]
        )
    ).hexdigest()
    figure = cache.get(key)
    if figure is None:
        figure = common_charts.figure_data(builder(*args, **kwargs))
        cache.set(key, figure, FIGURE_TTL_SECONDS)
    return figure
