"""The results page in German (issue 17): asked for with Accept-Language: de, the demo
organization's results read as German (headings, findings, tables, charts) with German
numbers ("54,2", "850 Mio. €"); asked for in English, nothing changes."""

import json
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import translation

from organizations.models import Organization

from ..pages import find, page, text

pytestmark = pytest.mark.django_db

DEMO = "Northwind Manufacturing (demo)"


@pytest.fixture(autouse=True)
def _back_to_english():
    """LocaleMiddleware activates the request's language in this thread and leaves it
    active: later tests expect English."""
    yield
    translation.deactivate()


@pytest.fixture
def demo(client):
    call_command("load_reference_data", stdout=StringIO())
    call_command("load_demo_data", stdout=StringIO())
    organization = Organization.objects.get(name=DEMO)
    client.force_login(organization.memberships.get(role="consultant").user)
    return organization


def _results(client, organization, language: str):
    assessment = organization.assessments.get(title="2026 re-assessment")
    response = client.get(f"/assessments/{assessment.pk}/results/", HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return response


def _charts(response) -> dict:
    """Every embedded chart (wide and narrow), by its json_script id."""
    found = re.findall(
        r'<script id="([\w-]+-data)" type="application/json">(.*?)</script>',
        response.content.decode(),
        flags=re.S,
    )
    return {key: json.loads(data) for key, data in found if data != "null"}


def test_the_results_page_in_german(client, demo):
    response = _results(client, demo, "de")
    body = page(response)
    content = text(body)

    assert response["Content-Language"] == "de"
    for heading in (
        "Wichtigste Erkenntnisse",
        "Die sieben Dimensionen",
        "Wo Sie auf der Roadmap stehen",
        "Übereinstimmung zwischen den Führungskräften",
        "Vergleich mit der Vergleichsgruppe",
        "Erträge im Vergleich zu den Benchmark-Bandbreiten",
        "Stolpersteine",
    ):
        assert heading in content, heading
    for english in (
        "Key findings",
        "The seven dimensions",
        "Where you are on the roadmap",
        "Alignment between executives",
        "is the weakest dimension",
        "percentile of the AI scaling index",
    ):
        assert english not in content, english
    # The index and the findings, with a decimal comma.
    assert text(find(body, "span", id="overall-index")) == "54,2"
    assert (
        "Mit einem KI-Skalierungsindex von 54,2/100 steht die Organisation auf Reifestufe 3"
        in content
    )
    assert "Mit dem 71. Perzentil unter den Organisationen der Branche" in content
    assert "6 von 8 Eintrittskriterien der Phase 3 sind erfüllt" in content
    assert "7,1 Punkte fehlen" in content
    assert "54.2" not in content
    # Money and ranges the German way.
    assert "5 % des Jahresumsatzes (1,2 Mrd. €)" in content.replace("\u00a0", " ")
    assert "15,3–30,6 Mio. €" in content.replace("\u00a0", " ")
    assert "Amortisation: etwa 8 Monate." in content
    # Charts: German titles and legends, and plotly told to write a decimal comma.
    charts = _charts(response)
    assert {"radar-data", "radar-narrow-data", "bars-data", "bars-narrow-data"} <= set(charts)
    for key, figure in charts.items():
        assert figure["layout"]["separators"] == ",.", key
    bars = json.dumps(charts["bars-data"], ensure_ascii=False)
    assert "Wert (0–100)" in bars and "Score (0–100)" not in bars
    assert "Abdeckung" in bars and "coverage" not in bars
    assert "50,0" in json.dumps(charts["bars-narrow-data"], ensure_ascii=False)
    radar = json.dumps(charts["peer-radar-data"], ensure_ascii=False)
    assert "Median der Vergleichsgruppe" in radar and "Peer median" not in radar


def test_the_results_page_in_english_is_unchanged(client, demo):
    response = _results(client, demo, "en")
    body = page(response)
    content = text(body)

    assert text(find(body, "span", id="overall-index")) == "54.2"
    assert "Key findings" in content and "The seven dimensions" in content
    assert "With an AI scaling index of 54.2/100 the organization is at level 3" in content
    assert "At the 71st percentile among manufacturing organizations" in content
    assert "Wichtigste Erkenntnisse" not in content and "54,2" not in content
    for key, figure in _charts(response).items():
        assert figure["layout"]["separators"] == ".,", key
    assert "Score (0–100)" in json.dumps(_charts(response)["bars-data"], ensure_ascii=False)


def test_the_baselines_and_benchmarks_pages_in_german(client, demo):
    response = client.get(f"/organizations/{demo.pk}/baselines/", HTTP_ACCEPT_LANGUAGE="de")
    content = text(page(response)).replace("\u00a0", " ")
    assert "Ausgangswerte für die ROI-Projektion" in content
    assert "Jährliche Betriebskosten" in content
    assert "12 % der jährlichen Betriebskosten (850 Mio. €)" in content
    assert "Baselines for the ROI projection" not in content

    response = client.get("/benchmarks/", HTTP_ACCEPT_LANGUAGE="de")
    content = text(page(response))
    assert "ROI-Spannen für erfolgreiche Skalierung" in content
    assert "Fallstudien nach Branche" in content
    assert "ROI bands for successful scaling" not in content
