"""Benchmark reference data (DESIGN §7): the shipped file validates, malformed files are
refused with the entry named, loading is idempotent and a published version never
changes; the reference page and endpoint list every figure with its source."""

import copy
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from django.core.management.base import CommandError

from benchmarks.models import BenchmarkReferenceData
from benchmarks.reference import BenchmarkDataError, load_benchmarks_file, parse_benchmarks
from benchmarks.services import benchmark_reference_load
from organizations.models import Industry

from ..pages import find, find_all, page, text

DATA_DIR = Path(__file__).resolve().parents[2] / "benchmarks" / "data"
SHIPPED = DATA_DIR / "benchmarks-2026.1.yaml"
LATEST = DATA_DIR / "benchmarks-2026.2.yaml"
ARTICLE = "Scaling AI from pilots to enterprise scale"

# Every figure of the article (DESIGN §7), in its wording, with the primary source the
# article names (None: it names none; the article is then the only source).
ARTICLE_FIGURES = {
    "stuck_in_poc": ("87 % of organizations struggle to move AI past proof of concept", "Gartner"),
    "ai_in_core_processes": (
        "13 % of organizations have integrated AI into core business processes",
        "Gartner",
    ),
    "legacy_it_complicates": (
        "68 % of organizations say legacy IT complicates AI deployment",
        None,
    ),
    "kubernetes_faster_deployment": (
        "40 % faster deployment cycles with Kubernetes-based model deployment",
        "Case studies (not named in the article)",
    ),
    "multicloud_scalability": (
        "62 % of enterprises using multi-cloud report better scalability",
        "AWS",
    ),
    "skills_gap_cost": ("$13 B a year to the US economy: the cost of the AI skills gap", None),
    "ml_engineer_demand": ("Demand for ML engineers exceeds supply by 70 %", None),
    "market_size_2030": ("$1.8 T AI market by 2030", None),
    "market_growth_cagr": ("37.3 % CAGR from 2023 for the AI market", None),
}
UNNAMED = "(not named in the article)"
CASE_STUDIES = {
    "healthcare_diagnostics": ("30 % fewer diagnostic errors", f"Healthcare providers {UNNAMED}"),
    "retail_inventory": ("25 % better inventory optimization", f"Retail giants {UNNAMED}"),
    "financial_fraud": ("45 % fewer false positives at 99.9 % accuracy", "JPMorgan Chase"),
    "manufacturing_maintenance": ("22 % less unplanned downtime", "Siemens"),
    "transportation_routes": ("10 million gallons of fuel saved a year", "UPS"),
}  # fmt: skip


def shipped() -> dict:
    return yaml.safe_load(SHIPPED.read_text(encoding="utf-8"))


def latest() -> dict:
    return yaml.safe_load(LATEST.read_text(encoding="utf-8"))


def parse(raw):
    return parse_benchmarks(raw, source="test.yaml", industries=Industry.values)


ENGLISH_FILES = sorted(p for p in DATA_DIR.glob("*.yaml") if not p.stem.endswith(".de"))


@pytest.mark.parametrize("path", ENGLISH_FILES, ids=lambda p: p.name)
def test_every_shipped_benchmarks_file_is_valid(path):
    reference, _ = load_benchmarks_file(path, industries=Industry.values)

    assert reference.roi_bands and reference.case_studies and reference.market_figures
    every = [*reference.roi_bands, *reference.case_studies, *reference.market_figures]
    assert all(item.source.citation.strip() for item in every)


def test_every_article_figure_is_in_its_wording_with_its_full_attribution():
    reference = parse(latest())

    assert reference.article.title == ARTICLE
    assert {
        f.key: (f.wording, f.source.publisher) for f in reference.market_figures
    } == ARTICLE_FIGURES
    assert {c.key: (c.result, c.source.publisher) for c in reference.case_studies} == CASE_STUDIES
    assert all(b.source.publisher is None for b in reference.roi_bands)
    every = [*reference.roi_bands, *reference.case_studies, *reference.market_figures]
    assert all(item.source.title == ARTICLE for item in every)
    assert reference.figure("multicloud_scalability").source.citation == (
        f"AWS, as cited in “{ARTICLE}”"
    )
    assert reference.figure("legacy_it_complicates").source.citation == (
        f"“{ARTICLE}” (no primary source named)"
    )
    assert [t.title for t in reference.outlook] == [
        "Generative AI",
        "AutoML",
        "Green AI",
        "Edge AI",
        "Quantum machine learning",
        "AI-driven cybersecurity",
    ]
    assert len(reference.sources()) == 3 + 5 + 9


@pytest.mark.parametrize("raw", [shipped(), latest()], ids=["2026.1", "2026.2"])
def test_the_shipped_figures_are_those_of_the_design(raw):
    reference = parse(raw)

    assert [(b.metric, b.low, b.high) for b in reference.roi_bands] == [
        ("cost_reduction", 15, 30),
        ("revenue_increase", 10, 20),
        ("efficiency_gain", 25, 40),
    ]
    assert {c.industry: c.value for c in reference.case_studies} == {
        "healthcare": 30,
        "retail": 25,
        "financial_services": 45,
        "manufacturing": 22,
        "transportation": 10_000_000,
    }
    assert reference.figure("stuck_in_poc").value == 87
    assert reference.figure("ai_in_core_processes").value == 13
    assert [c.key for c in reference.case_studies_for("manufacturing")] == [
        "manufacturing_maintenance"
    ]


def _with(change):
    raw = copy.deepcopy(shipped())
    change(raw)
    return raw


def _band(index, **fields):
    return lambda raw: raw["roi_bands"][index].update(fields)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (_band(0, low=30, high=15), "ROI band cost_reduction: low must be below high"),
        (_band(0, low=20, high=20), "low must be below high"),
        (_band(1, high=120), "ROI band revenue_increase: 'high' must be at most 100"),
        (_band(1, low=-1), "'low' must be at least 0"),
        (_band(2, low="25"), "ROI band efficiency_gain: 'low' must be a number"),
        (_band(2, low=True), "'low' must be a number"),
        (_band(0, source=""), "ROI band cost_reduction: 'source' must be a non-empty string"),
        (lambda r: r["roi_bands"][0].pop("source"), "'source' must be a non-empty string"),
        (_band(0, metric="profit"), "metric must be one of"),
        (_band(1, metric="cost_reduction"), "a metric may have only one band"),
        (lambda r: r["roi_bands"].pop(), "missing band(s) for efficiency_gain"),
        (_band(0, colour="green"), "unknown field(s) colour"),
        (
            lambda r: r["case_studies"][0].update(industry="aerospace"),
            "case study healthcare_diagnostics: unknown industry 'aerospace'",
        ),
        (
            lambda r: r["case_studies"][1].pop("source"),
            "case study retail_inventory: 'source' must be a non-empty string",
        ),
        (lambda r: r["case_studies"][1].update(key="healthcare_diagnostics"), "needs a unique key"),
        (
            lambda r: r["market_figures"][0].update(source="  "),
            "market figure stuck_in_poc: 'source' must be a non-empty string",
        ),
        (lambda r: r["market_figures"][0].update(value=-87), "'value' must be at least 0"),
        (lambda r: r.update(market_figures=[]), "market_figures: must be a non-empty list"),
        (lambda r: r.update(case_studies="none"), "case_studies: must be a non-empty list"),
        (lambda r: r.update(version=""), "version: must be a short string"),
        (lambda r: r.update(extra=1), "top level: unknown field(s) extra"),
    ],
)
def test_it_refuses_a_malformed_file_naming_the_entry(change, message):
    with pytest.raises(BenchmarkDataError) as error:
        parse(_with(change))

    assert str(error.value).startswith("test.yaml: ")
    assert message in str(error.value)


def test_it_refuses_a_file_that_is_not_a_mapping():
    with pytest.raises(BenchmarkDataError, match="must be a mapping"):
        parse(["version", "2026.1"])


def test_it_refuses_a_file_that_is_not_yaml(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text("roi_bands: [unclosed", encoding="utf-8")

    with pytest.raises(BenchmarkDataError, match="cannot be read as YAML"):
        load_benchmarks_file(broken)


# --- loading --------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.usefixtures("no_reference_data")
def test_loading_the_same_file_twice_stores_it_once():
    raw = shipped()

    first, created = benchmark_reference_load(parse(raw), raw, source="a.yaml")
    again, created_again = benchmark_reference_load(parse(raw), raw, source="a.yaml")

    assert (created, created_again) == (True, False)
    assert first.pk == again.pk
    assert BenchmarkReferenceData.objects.count() == 1
    assert first.definition == raw


@pytest.mark.django_db
@pytest.mark.usefixtures("no_reference_data")
def test_a_published_version_cannot_be_changed():
    raw = shipped()
    benchmark_reference_load(parse(raw), raw, source="a.yaml")
    changed = _with(_band(0, high=35))

    with pytest.raises(BenchmarkDataError, match="already published with different content"):
        benchmark_reference_load(parse(changed), changed, source="a.yaml")

    assert BenchmarkReferenceData.objects.get().definition["roi_bands"][0]["high"] == 30


@pytest.mark.django_db
@pytest.mark.usefixtures("no_reference_data")
def test_the_command_loads_the_benchmarks_after_the_roadmap():
    out = StringIO()

    call_command("load_reference_data", stdout=out)
    call_command("load_reference_data", stdout=out)

    lines = [line for line in out.getvalue().splitlines() if "Benchmark" in line]
    assert lines == [
        "Benchmark reference data 2026.1: loaded (benchmarks-2026.1.yaml)",
        "Benchmark reference data 2026.2: loaded (benchmarks-2026.2.yaml)",
        "Benchmark reference data 2026.1: unchanged (benchmarks-2026.1.yaml)",
        "Benchmark reference data 2026.2: unchanged (benchmarks-2026.2.yaml)",
    ]
    assert BenchmarkReferenceData.objects.first().source == "benchmarks/data/benchmarks-2026.2.yaml"
    first_run = out.getvalue().splitlines()[: len(out.getvalue().splitlines()) // 2]
    loaded_before = first_run[: first_run.index(lines[0])]
    assert loaded_before and all(
        line.startswith(("Question bank", "Roadmap")) for line in loaded_before
    )


@pytest.mark.django_db
@pytest.mark.usefixtures("no_reference_data")
def test_the_benchmarks_option_loads_only_that_file(tmp_path):
    newer = tmp_path / "benchmarks-2026.9.yaml"
    newer.write_text(yaml.safe_dump(_with(lambda r: r.update(version="2026.9"))), encoding="utf-8")
    out = StringIO()

    call_command("load_reference_data", "--benchmarks", str(newer), stdout=out)

    assert (
        out.getvalue().strip() == "Benchmark reference data 2026.9: loaded (benchmarks-2026.9.yaml)"
    )
    assert list(BenchmarkReferenceData.objects.values_list("version", flat=True)) == ["2026.9"]


@pytest.mark.django_db
@pytest.mark.usefixtures("no_reference_data")
def test_the_command_reports_an_invalid_file(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(_with(_band(0, low=40))), encoding="utf-8")

    with pytest.raises(CommandError, match="ROI band cost_reduction: low must be below high"):
        call_command("load_reference_data", "--benchmarks", str(bad), stdout=StringIO())

    assert not BenchmarkReferenceData.objects.exists()


# --- page and endpoint ----------------------------------------------------------------


def test_the_reference_page_lists_every_figure_with_its_source(client, bob, bank):
    client.force_login(bob)  # any logged-in user

    response = client.get("/benchmarks/")

    assert response.status_code == 200
    body = page(response)
    bands = [
        text(row).replace("\xa0", " ")
        for row in find_all(find(body, "table", id="roi-bands"), "tr")[1:]
    ]
    assert bands[0].startswith("Cost reduction 15–30 %")
    assert f"“{ARTICLE}” (no primary source named)" in bands[0]
    assert "Source article" not in text(body)
    cases = text(find(body, "section", id="case-studies"))
    for result, publisher in CASE_STUDIES.values():
        assert result in cases
        assert f"{publisher}, as cited in “{ARTICLE}”" in cases
    market = text(find(body, "table", id="market"))
    for wording, _ in ARTICLE_FIGURES.values():
        assert wording in market
    assert f"Gartner, as cited in “{ARTICLE}”" in market
    assert f"AWS, as cited in “{ARTICLE}”" in market


def test_the_reference_page_and_endpoint_need_a_login(client, bank):
    page_response = client.get("/benchmarks/")
    api_response = client.get("/api/v1/benchmarks/reference/")

    assert page_response.status_code == 302
    assert page_response["Location"] == "/accounts/login/?next=/benchmarks/"
    assert api_response.status_code in (401, 403)


def test_the_reference_endpoint_returns_the_data_with_sources(client, bob, bank):
    client.force_login(bob)

    data = client.get("/api/v1/benchmarks/reference/").json()

    assert data["version"] == "2026.2"
    assert data["roi_bands"][0] == {
        "metric": "cost_reduction",
        "title": "Cost reduction",
        "low": 15,
        "high": 30,
        "description": latest()["roi_bands"][0]["description"],
        "source": {
            "publisher": None,
            "title": ARTICLE,
            "citation": f"“{ARTICLE}” (no primary source named)",
        },
    }
    assert {c["key"]: c["source"]["publisher"] for c in data["case_studies"]} == {
        key: publisher for key, (_, publisher) in CASE_STUDIES.items()
    }
    figures = {f["key"]: f for f in data["market_figures"]}
    assert {k: (f["wording"], f["source"]["publisher"]) for k, f in figures.items()} == (
        ARTICLE_FIGURES
    )
    assert figures["market_size_2030"]["value"] == 1.8
    assert data["article"]["title"] == ARTICLE
    assert len(data["outlook"]) == 6


@pytest.mark.django_db
@pytest.mark.usefixtures("no_reference_data")
def test_without_reference_data_the_page_says_so_and_the_endpoint_is_404(client, bob):
    client.force_login(bob)

    assert (
        "No benchmark reference data is loaded yet" in client.get("/benchmarks/").content.decode()
    )
    response = client.get("/api/v1/benchmarks/reference/")
    assert response.status_code == 404
    assert response.json()["errors"][0]["code"] == "not_found"
