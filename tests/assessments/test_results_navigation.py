"""The results page on a phone: a summary card first (index, level, phase and one
sentence), a table of contents whose every link lands on a section of the page, and
each chart embedded twice, wide and designed for a phone, for static/js/charts.js to
draw the one that fits."""

import json

from ..pages import attr, find, find_all, page, text
from .test_results_page import answered, as_alice, results_url  # noqa: F401 (fixtures)


def test_the_summary_card_and_the_contents_come_first(as_alice, assessment, answered):  # noqa: F811
    html = page(as_alice.get(results_url(assessment)))

    card = find(html, "section", id="summary")
    assert text(find(card, "span", id="overall-index")) == "73.2"
    assert "L4" in text(card) and "Scaling" in text(card)
    assert text(find(card, "span", id="summary-phase")).startswith("P")
    # The card's sentence is the first of the findings (results.narrative) listed below.
    lead = text(find(card, "p", id="summary-lead"))
    assert lead.startswith("With an AI scaling index of 73.2/100 the organization is at level 4")
    assert "roadmap phase 1, Foundation" in lead
    findings = find_all(find(html, "section", id="findings"), "li")
    assert text(findings[0]) == lead

    toc = find(html, "nav", class_="results-toc")
    assert attr(toc, "aria-label") == "Sections of the results"
    links = {text(a): attr(a, "href") for a in find_all(toc, "a")}
    assert list(links) == [
        "Summary",
        "Dimensions",
        "Roadmap",
        "Benchmarks",
        "ROI",
        "Alignment",
        "Pitfalls",
    ]  # fmt: skip  (one assessment: no trend yet)
    body = as_alice.get(results_url(assessment)).content.decode()
    for href in links.values():
        assert f'id="{href.removeprefix("#")}"' in body, href


def test_each_chart_embeds_a_wide_and_a_phone_figure(as_alice, assessment, answered):  # noqa: F811
    html = page(as_alice.get(results_url(assessment)))
    for chart in ("radar", "bars", "roles"):
        canvas = find(html, "div", **{"data-chart": f"{chart}-data"})
        assert attr(canvas, "data-chart-narrow") == f"{chart}-narrow-data"
        wide = json.loads(text(find(html, "script", id=f"{chart}-data")))
        narrow = json.loads(text(find(html, "script", id=f"{chart}-narrow-data")))
        assert wide["layout"]["margin"]["l"] > narrow["layout"]["margin"]["l"]
