"""The roadmap in German: the reference data's translations (loaded beside each file,
checked, stored with the version, read in the active language) and the roadmap and
portfolio pages, their phase names, recommendations and status sentences."""

from datetime import date
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import CommandError, call_command
from django.utils import translation

from benchmarks import selectors as benchmark_selectors
from benchmarks.models import BenchmarkReferenceData
from benchmarks.reference import BenchmarkDataError, translate_benchmarks
from roadmap import selectors, services, tracking
from roadmap.models import RoadmapReferenceData
from roadmap.reference import RoadmapDataError, translate_roadmap

from ..pages import find, page, text
from .conftest import START, answer_all

ROOT = Path(__file__).resolve().parents[2]
ROADMAP = ROOT / "roadmap" / "data" / "roadmap-2026.2.yaml"
ROADMAP_DE = ROOT / "roadmap" / "data" / "roadmap-2026.2.de.yaml"
BENCHMARKS = ROOT / "benchmarks" / "data" / "benchmarks-2026.2.yaml"
BENCHMARKS_DE = ROOT / "benchmarks" / "data" / "benchmarks-2026.2.de.yaml"


def load(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def url(organization_id: int) -> str:
    return f"/organizations/{organization_id}/roadmap/"


# --- the translation files -------------------------------------------------------------


@pytest.mark.parametrize(
    ("english", "translate"),
    [
        (ROOT / "roadmap" / "data" / "roadmap-2026.1.yaml", translate_roadmap),
        (ROADMAP, translate_roadmap),
        (ROOT / "benchmarks" / "data" / "benchmarks-2026.1.yaml", translate_benchmarks),
        (BENCHMARKS, translate_benchmarks),
    ],
    ids=lambda value: getattr(value, "name", ""),
)
def test_every_shipped_file_has_a_complete_german_translation(english, translate):
    german = english.with_name(f"{english.stem}.de.yaml")

    translated = translate(load(english), load(german), source=german.name)

    assert translated != load(english)


def test_a_roadmap_translation_lays_texts_over_the_english_and_keeps_every_figure():
    raw = load(ROADMAP)

    translated = translate_roadmap(raw, load(ROADMAP_DE), source="de")

    assert [p["name"] for p in translated["phases"]] == [
        "Fundament",
        "Pilotausbau",
        "Unternehmensweiter Rollout",
        "Kontinuierliche Optimierung",
    ]
    assert translated["phases"][0]["milestones"][0] == {
        **raw["phases"][0]["milestones"][0],
        "title": "Data Governance etablieren",
        "description": translated["phases"][0]["milestones"][0]["description"],
    }
    assert translated["gates"] == raw["gates"]
    assert [r["questions"] for r in translated["recommendations"]] == [
        r["questions"] for r in raw["recommendations"]
    ]


def test_a_roadmap_translation_lists_every_problem():
    german = load(ROADMAP_DE)
    del german["phases"][3]["name"]
    del german["phases"][2]["milestones"][3]
    german["recommendations"]["no_such_recommendation"] = {"action": "Etwas"}
    german["recommendations"]["ta_initial_team"]["action"] = ""
    german["gates"] = {2: {"dimensions": {"talent": 10}}}

    with pytest.raises(RoadmapDataError) as error:
        translate_roadmap(load(ROADMAP), german, source="roadmap-2026.2.de.yaml")

    lines = str(error.value).splitlines()
    assert "roadmap-2026.2.de.yaml: phases › 3 › name: missing" in lines
    assert "roadmap-2026.2.de.yaml: phases › 2 › milestones › 3: missing" in lines
    assert (
        "roadmap-2026.2.de.yaml: recommendations › no_such_recommendation: "
        "is not in the English file"
    ) in lines
    assert (
        "roadmap-2026.2.de.yaml: recommendations › ta_initial_team › action: "
        "must be a text that is not empty"
    ) in lines
    assert "roadmap-2026.2.de.yaml: gates: holds no text and cannot be translated" in lines


def test_a_benchmarks_translation_keeps_sources_units_and_values():
    raw = load(BENCHMARKS)

    translated = translate_benchmarks(raw, load(BENCHMARKS_DE), source="de")

    assert translated["article"]["title"] == raw["article"]["title"]
    assert translated["article"]["about"].startswith("Branchenartikel")
    figure = translated["market_figures"][0]
    assert figure["wording"].startswith("87 % der Organisationen")
    assert (figure["value"], figure["unit"], figure["source"]) == (
        87,
        "%",
        {"publisher": "Gartner"},
    )
    assert translated["roi_bands"][0]["title"] == "Kostensenkung"
    assert "key" not in translated["roi_bands"][0]
    assert translated["outlook"][0] == {
        "title": "Generative KI",
        "text": translated["outlook"][0]["text"],
    }


def test_a_benchmarks_translation_cannot_translate_a_source_and_lists_every_problem():
    german = load(BENCHMARKS_DE)
    german["article"]["title"] = "Ein anderer Titel"
    german["case_studies"]["financial_fraud"]["source"] = {"publisher": "JPMorgan"}
    del german["outlook"][6]
    del german["roi_bands"]["revenue_increase"]["description"]

    with pytest.raises(BenchmarkDataError) as error:
        translate_benchmarks(load(BENCHMARKS), german, source="b.de.yaml")

    lines = str(error.value).splitlines()
    assert "b.de.yaml: article › title: is not in the English file" not in lines
    assert any(line.startswith("b.de.yaml: article › title:") for line in lines)
    assert any(
        line.startswith("b.de.yaml: case_studies › financial_fraud › source:") for line in lines
    )
    assert "b.de.yaml: outlook › 6: missing" in lines
    assert "b.de.yaml: roi_bands › revenue_increase › description: missing" in lines


# --- loading ---------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("no_reference_data")
def test_the_command_stores_the_translations_and_reads_them_in_the_active_language():
    call_command("load_reference_data", stdout=StringIO())

    stored = RoadmapReferenceData.objects.get(version="2026.2")
    assert set(stored.translations) == {"de"}
    english = selectors.reference_of(stored)
    with translation.override("de"):
        german = selectors.reference_of(stored)
    assert english.phase(2).name == "Pilot Expansion"
    assert german.phase(2).name == "Pilotausbau"
    assert german.checksum == english.checksum == stored.checksum
    assert german.gates == english.gates
    benchmarks = BenchmarkReferenceData.objects.get(version="2026.2")
    with translation.override("de"):
        figure = benchmark_selectors.reference_of(benchmarks).figure("stuck_in_poc")
    assert (
        figure.statement
        == "der Organisationen haben Mühe, KI über den Proof of Concept hinauszubringen"
    )
    assert figure.source.publisher == "Gartner"


@pytest.mark.django_db
@pytest.mark.usefixtures("no_reference_data")
def test_a_wrong_translation_fails_the_load_listing_every_problem_and_stores_nothing(tmp_path):
    call_command(
        "load_reference_data",
        bank=[ROOT / "assessments" / "banks" / "2026.2.yaml"],
        stdout=StringIO(),
    )
    english = tmp_path / "roadmap-2026.2.yaml"
    english.write_text(ROADMAP.read_text(encoding="utf-8"), encoding="utf-8")
    german = load(ROADMAP_DE)
    del german["phases"][2]["summary"]
    german["recommendations"]["di_data_products"]["detail"] = ["not", "a", "text"]
    (tmp_path / "roadmap-2026.2.de.yaml").write_text(
        yaml.safe_dump(german, allow_unicode=True), encoding="utf-8"
    )

    with pytest.raises(CommandError) as error:
        call_command("load_reference_data", roadmap=[english], stdout=StringIO())

    message = str(error.value)
    assert "roadmap-2026.2.de.yaml: phases › 2 › summary: missing" in message
    assert "recommendations › di_data_products › detail: must be a text" in message
    assert not RoadmapReferenceData.objects.exists()


@pytest.mark.django_db
@pytest.mark.usefixtures("no_reference_data")
def test_a_published_version_gets_its_translation_added_and_corrected_on_reload(tmp_path):
    call_command(
        "load_reference_data",
        bank=[ROOT / "assessments" / "banks" / "2026.2.yaml"],
        stdout=StringIO(),
    )
    english = tmp_path / "roadmap-2026.2.yaml"
    english.write_text(ROADMAP.read_text(encoding="utf-8"), encoding="utf-8")
    out = StringIO()
    call_command("load_reference_data", roadmap=[english], stdout=out)
    stored = RoadmapReferenceData.objects.get()
    checksum = stored.checksum
    assert stored.translations == {}

    german = load(ROADMAP_DE)
    (tmp_path / "roadmap-2026.2.de.yaml").write_text(
        yaml.safe_dump(german, allow_unicode=True), encoding="utf-8"
    )
    call_command("load_reference_data", roadmap=[english], stdout=out)
    german["phases"][2]["name"] = "Ausbau der Pilotprojekte"
    (tmp_path / "roadmap-2026.2.de.yaml").write_text(
        yaml.safe_dump(german, allow_unicode=True), encoding="utf-8"
    )
    call_command("load_reference_data", roadmap=[english], stdout=out)
    call_command("load_reference_data", roadmap=[english], stdout=out)

    assert out.getvalue().splitlines() == [
        "Roadmap reference data 2026.2: loaded (roadmap-2026.2.yaml)",
        "Roadmap reference data 2026.2: translations updated (roadmap-2026.2.yaml)",
        "Roadmap reference data 2026.2: translations updated (roadmap-2026.2.yaml)",
        "Roadmap reference data 2026.2: unchanged (roadmap-2026.2.yaml)",
    ]
    stored.refresh_from_db()
    assert stored.checksum == checksum
    with translation.override("de"):
        assert selectors.reference_of(stored).phase(2).name == "Ausbau der Pilotprojekte"
    assert selectors.reference_of(stored).phase(2).name == "Pilot Expansion"


def test_the_service_refuses_a_translation_that_does_not_fit(db):
    raw = load(ROADMAP)
    from roadmap.reference import parse_roadmap

    with pytest.raises(RoadmapDataError, match="phases: must be a mapping"):
        services.roadmap_reference_load(
            parse_roadmap(raw, source="x"), raw, source="x", translations={"de": {"phases": []}}
        )


# --- pages -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_roadmap_page_in_german(client, carol, assessment, respondent):
    answer_all(respondent, 2)
    roadmap = services.roadmap_create(assessment=assessment, start_date=START, user=carol)
    client.force_login(carol)

    german = page(client.get(url(roadmap.organization_id), HTTP_ACCEPT_LANGUAGE="de"))
    english = page(client.get(url(roadmap.organization_id), HTTP_ACCEPT_LANGUAGE="en"))

    heading = text(find(german, "h1"))
    assert heading == "Roadmap und Anwendungsfälle"
    assert text(find(english, "h1")) == "Roadmap and use cases"
    cards = text(find(german, "ol", id="phase-cards"))
    assert (
        "Fundament" in cards and "Pilotausbau" in cards and "Kontinuierliche Optimierung" in cards
    )
    assert "Foundation" not in cards and "Pilot Expansion" not in cards
    assert "1. Januar 2026" in cards  # the German date format
    recommendations = text(find(german, "section", id="recommendations"))
    assert recommendations.startswith("Empfehlungen auf dem Weg zu Phase 2 (Pilotausbau)")
    assert "Datenvalidierungs-Pipelines und Data-Steward-Rollen" in recommendations
    assert "Quick Win (0–90 Tage)" in recommendations
    assert "Data validation pipelines" not in recommendations
    english_recommendations = text(find(english, "section", id="recommendations"))
    assert "Data validation pipelines and data stewardship roles" in english_recommendations
    assert "Recommendations toward phase 2 (Pilot Expansion)" in english_recommendations
    summary = text(find(german, "section", id="roadmap-summary"))
    assert "Fundament — aktuelle Phase" in summary.replace("–", "—")
    assert "Meilensteine erledigt" in summary


@pytest.mark.django_db
def test_phase_status_reasons_and_the_due_date_warning_in_german(client, carol, roadmap):
    client.force_login(carol)
    shown = page(client.get(url(roadmap.organization_id), HTTP_ACCEPT_LANGUAGE="de"))
    card = text(find(shown, "li", id="phase-2-card"))
    assert "Pilotausbau" in card
    assert "0 von 3 Meilensteinen erledigt" in card
    rule = text(find(shown, "details", id="status-rule"))
    assert "Wie eine Phase ihren Status erhält" in rule and "Im Plan" in rule

    base = f"/organizations/{roadmap.organization_id}/roadmap/milestones"
    data = {"title": "MLOps-Leitung einstellen", "phase": "2", "status": "not_started"}
    response = client.post(
        f"{base}/new/", {**data, "due_date": "2030-06-01"}, follow=True, HTTP_ACCEPT_LANGUAGE="de"
    )
    messages = [str(m) for m in response.context["messages"]]
    assert any(
        "„MLOps-Leitung einstellen“ ist am 1. Juni 2030 fällig, außerhalb des geplanten "
        "Zeitfensters seiner Phase: Phase 2 endet am 30. Juni 2026" in m
        for m in messages
    )


def test_status_sentences_in_german():
    window = tracking.PhaseWindow(
        phase=2, name="Pilotausbau", start=date(2026, 4, 1), end=date(2026, 9, 30)
    )
    with translation.override("de"):
        assert tracking.due_date_outside_window(window, date(2026, 1, 5)) == (
            "Phase 2 beginnt am 1. April 2026"
        )
        assert tracking.day_label(date(2027, 3, 1)) == "1. März 2027"
        assert (
            dict(tracking.status_rule())["Erledigt"] == "Jeder Meilenstein der Phase ist erledigt."
        )
    assert tracking.day_label(date(2027, 3, 1)) == "1 Mar 2027"


@pytest.mark.django_db
def test_the_portfolio_page_in_german(client, alice, roadmap):
    client.force_login(alice)

    german = page(client.get("/portfolio/", HTTP_ACCEPT_LANGUAGE="de"))
    english = page(client.get("/portfolio/", HTTP_ACCEPT_LANGUAGE="en"))

    assert text(find(german, "h1")) == "Ihr Kundenportfolio"
    assert text(find(english, "h1")) == "Your client portfolio"
    filters = text(find(german, "form", method="get"))
    assert "Branche" in filters and "Pilotausbau" in filters and "Kein Assessment" in filters
    table = text(find(german, "table", id="portfolio"))
    assert "Neuestes Assessment" in table and "Letzte Aktivität" in table
    assert "Phase 2 Pilotausbau" in table
    assert "Latest assessment" not in table


@pytest.mark.django_db
def test_a_roadmap_started_in_german_keeps_its_history_in_english(carol, submitted):
    with translation.override("de"):
        roadmap = services.roadmap_create(assessment=submitted, start_date=START, user=carol)

    entry = selectors.history_entries(roadmap.organization_id).first()
    assert "in phase 2 (Pilot Expansion)" in entry.summary
    assert roadmap.milestones.filter(
        phase=2, title="3–5 wirkungsstarke Anwendungsfälle einführen"
    ).exists()
