"""Built charts are kept by what they were built from (issue 14): the results page builds
about twenty plotly figures, each validated property by property; built again with
nothing changed they come from memory. The key is the builder, its inputs and the
language, so a changed score or another language is built anew."""

import plotly.graph_objects as go
from django.utils import translation

from assessments import charts
from common import charts as common_charts
from common.charts import chart_data

DIMENSIONS = [
    {"key": "di", "title": "Data infrastructure", "score": 59.44, "coverage": 1.0}
    | {"insufficient": False},
    {"key": "ta", "title": "Talent", "score": 41.0, "coverage": 0.5} | {"insufficient": False},
]


def counting(builder):
    calls = []

    def build(*args, **kwargs):
        calls.append(args)
        return builder(*args, **kwargs)

    build.__qualname__ = f"counting-{id(calls)}"  # a builder of its own in the cache
    return build, calls


def test_the_same_inputs_in_the_same_language_are_built_once():
    build, calls = counting(charts.dimension_bars)
    first = chart_data(build, DIMENSIONS, narrow=True)
    again = chart_data(build, [dict(d) for d in DIMENSIONS], narrow=True)
    assert len(calls) == 1
    assert first == again
    first["layout"]["height"] = 1  # each caller gets its own copy
    assert chart_data(build, DIMENSIONS, narrow=True)["layout"]["height"] != 1


def test_a_changed_score_another_variant_or_another_language_is_built_anew():
    build, calls = counting(charts.dimension_bars)
    with translation.override("en"):
        english = chart_data(build, DIMENSIONS)
        chart_data(build, DIMENSIONS, narrow=True)
        chart_data(build, [{**DIMENSIONS[0], "score": 59.45}, DIMENSIONS[1]])
    with translation.override("de"):
        german = chart_data(build, DIMENSIONS)
    assert len(calls) == 4
    assert english["layout"]["separators"] == ".,"
    assert german["layout"]["separators"] == ",."
    assert german["data"][0]["text"][0].startswith("59,4")


def test_inputs_that_are_not_plain_data_are_built_every_time():
    calls = []

    def build(thing):
        calls.append(thing)
        return go.Figure()

    thing = object()
    chart_data(build, thing)
    chart_data(build, thing)
    assert len(calls) == 2


def test_the_cache_keeps_at_most_its_size(monkeypatch):
    monkeypatch.setattr(common_charts, "CHART_CACHE_SIZE", 3)
    build, calls = counting(charts.radar)
    for score in range(5):
        chart_data(build, [{**DIMENSIONS[0], "score": float(score)}])
    assert len(common_charts._charts) <= 3
    chart_data(build, [{**DIMENSIONS[0], "score": 0.0}])  # evicted: built again
    assert len(calls) == 6
