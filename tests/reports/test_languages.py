"""Every report has a language, chosen when it is requested (the requester's language by
default, or the form's and the API's `language` field) and kept by a re-render: a
German report is German on its cover, in its headings and dates, in the slides and the
Word document; the spreadsheet exports follow the request's language; English stays
English."""

import io
import json
from datetime import date

import openpyxl
import pytest
from django.utils import formats, translation
from docx import Document
from pptx import Presentation
from pypdf import PdfReader

from reports import services
from reports.models import ReportRequest, ReportStatus

from .conftest import chromium_or_skip, pdf_text, squash

pytestmark = pytest.mark.django_db

GERMAN = {"HTTP_ACCEPT_LANGUAGE": "de"}


@pytest.fixture(autouse=True)
def no_broker(monkeypatch):
    """Requests are stored; the tests render them here, with the service the task calls."""
    monkeypatch.setattr("reports.tasks.render_report.apply_async", lambda args, **kw: None)


def request_report(client, assessment, kind="full_assessment", **fields):
    headers = fields.pop("headers", {})
    return client.post(
        "/api/v1/reports/",
        json.dumps({"assessment": assessment.pk, "kind": kind, **fields}),
        content_type="application/json",
        **headers,
    )


def rendered(client, assessment, kind, **fields) -> tuple[ReportRequest, bytes]:
    response = request_report(client, assessment, kind, **fields)
    assert response.status_code == 202, response.content
    report = ReportRequest.objects.get(pk=response.json()["id"])
    assert services.report_render(report_id=report.pk) == "ready"
    report.refresh_from_db()
    download = client.get(f"/api/v1/reports/{report.pk}/download/")
    assert download.status_code == 200
    return report, b"".join(download.streaming_content)


def german_date(day: date) -> str:
    with translation.override("de"):
        return formats.date_format(day, "DATE_FORMAT")


# --- choosing the language ------------------------------------------------------------


def test_the_api_takes_the_language_field_or_the_requests_language(client, alice, assessment):
    client.force_login(alice)

    explicit = request_report(client, assessment, language="de")
    from_header = request_report(client, assessment, headers=GERMAN)
    english = request_report(client, assessment)
    english_over_header = request_report(client, assessment, language="en", headers=GERMAN)

    languages = [
        ReportRequest.objects.get(pk=r.json()["id"]).language
        for r in (explicit, from_header, english, english_over_header)
    ]
    assert languages == ["de", "de", "en", "en"]
    record = client.get(explicit.json()["url"]).json()
    assert record["language"] == "de"


def test_an_unknown_language_is_a_400_naming_the_field(client, alice, assessment):
    client.force_login(alice)

    response = request_report(client, assessment, language="fr")

    assert response.status_code == 400
    (error,) = response.json()["errors"]
    assert (error["field"], error["code"]) == ("language", "invalid_choice")
    assert "'fr'" in error["message"] and "en, de" in error["message"]
    german = request_report(client, assessment, language="xx", headers=GERMAN)
    assert german.json()["errors"][0]["message"].startswith("Unbekannte Berichtssprache 'xx'")
    assert not ReportRequest.objects.exists()


def test_the_page_offers_the_language_and_lists_each_reports_language(
    client, alice, assessment, django_capture_on_commit_callbacks
):
    client.force_login(alice)
    url = f"/assessments/{assessment.pk}/reports/"

    german_page = client.get(url, **GERMAN).content.decode()
    assert "Bericht anfordern" in german_page and "Request a report" not in german_page
    assert '<option value="de" selected lang="de">Deutsch</option>' in german_page
    english_page = client.get(url).content.decode()
    assert '<option value="en" selected lang="en">English</option>' in english_page

    for language in ("de", "en"):
        client.post(
            url, {"kind": "executive_summary", "language": language, "quality": "acknowledged"}
        )
    client.post(url, {"kind": "executive_summary", "quality": "acknowledged"}, **GERMAN)
    assert list(ReportRequest.objects.order_by("pk").values_list("language", flat=True)) == [
        "de",
        "en",
        "de",
    ]
    refused = client.post(url, {"kind": "executive_summary", "language": "fr"})
    assert refused.status_code == 400

    listed = client.get(url, **GERMAN).content.decode()
    assert listed.count('<td class="report-language" lang="de">Deutsch</td>') == 2
    assert listed.count('<td class="report-language" lang="en">English</td>') == 1
    assert "In der Warteschlange" in listed and "Queued" not in listed


def test_a_retry_keeps_the_reports_language(client, carol, assessment):
    report = ReportRequest.objects.create(
        assessment=assessment, kind="full_assessment", language="de",
        status=ReportStatus.FAILED, attempts=3, error="boom",
    )  # fmt: skip
    client.force_login(carol)

    client.post(f"/reports/{report.pk}/retry/")  # an English page

    report.refresh_from_db()
    assert (report.status, report.language) == ("pending", "de")


def test_the_branding_form_and_its_errors_are_german(client, alice, assessment):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(alice)
    gif = SimpleUploadedFile("logo.png", b"GIF89a\x01\x00\x01\x00", "image/png")

    response = client.post(
        f"/assessments/{assessment.pk}/reports/branding/",
        {"color": "#123456", "logo": gif},
        **GERMAN,
    )

    html = response.content.decode()
    assert response.status_code == 400
    assert "Das Logo muss ein PNG- oder JPEG-Bild sein." in html
    assert "Name der Beratungsfirma" in html and "Branding speichern" in html
    assert "must be a PNG or JPEG" not in html


# --- the documents --------------------------------------------------------------------


def test_a_german_full_assessment_pdf_is_german(client, alice, answered):
    chromium_or_skip()
    client.force_login(alice)

    report, content = rendered(client, answered, "full_assessment", language="de")

    reader = PdfReader(io.BytesIO(content))
    assert reader.trailer["/Root"]["/Lang"] == "de"
    text = pdf_text(content)
    flat = squash(text)
    for german in (
        "Vollständiges Assessment",
        "Erstellt für",
        "Inhalt",
        "1 Management Summary",
        "2 Umfang und Methode",
        "Anhang B: Glossar",
        "Wichtigste Erkenntnisse",
        "Seite 2 von",
    ):
        assert squash(german) in flat, german
    for english in ("Prepared for", "Contents", "Scope and method", "Key findings", "Page 2 of"):
        assert squash(english) not in flat, english
    today = report.finished_at.date()
    assert squash(german_date(today)) in flat  # "2. Dezember 2026"
    assert german_date(today).split()[1] not in ("December", "November")


def test_german_slides_and_word_document(client, alice, answered):
    client.force_login(alice)

    _, pptx = rendered(client, answered, "executive_summary", file_format="pptx", language="de")
    _, docx = rendered(client, answered, "full_assessment", file_format="docx", language="de")

    deck = Presentation(io.BytesIO(pptx))
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles[1:4] == [
        "Auf einen Blick",
        "Die sieben Dimensionen im Vergleich",
        "Wert je Dimension",
    ]
    assert titles[5:] == [
        "Risiken und Gegenmaßnahmen",
        "Erträge im Vergleich zu den Benchmark-Bandbreiten",
        "Die Roadmap: vier Phasen",
    ]
    cover = " ".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert "KI-Skalierungsreife: Management Summary" in cover
    assert "Kundenausgabe" in cover
    with translation.override("de"):
        assert formats.date_format(date.today(), "DATE_FORMAT") in cover

    document = Document(io.BytesIO(docx))
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert {"1 Management Summary", "2 Umfang und Methode", "10 Erträge und Business Case"} <= set(
        headings
    )
    assert not {"1 Executive summary", "2 Scope and method"} & set(headings)
    body = "\n".join(p.text for p in document.paragraphs)
    assert "Wichtigste Erkenntnisse" in body and "Key findings" not in body
    footer = document.sections[0].footer.paragraphs[0].text
    assert footer.startswith("Seite ") and " von " in footer


def test_an_english_request_stays_english(client, alice, answered):
    client.force_login(alice)

    report, docx = rendered(client, answered, "full_assessment", file_format="docx")

    assert report.language == "en"
    headings = [p.text for p in Document(io.BytesIO(docx)).paragraphs]
    assert "1 Executive summary" in headings and "1 Management Summary" not in headings


# --- spreadsheets ---------------------------------------------------------------------


def test_spreadsheet_headers_follow_the_requests_language(client, alice, answered):
    client.force_login(alice)
    url = f"/assessments/{answered.pk}/exports/scores.xlsx"

    german = openpyxl.load_workbook(io.BytesIO(client.get(url, **GERMAN).content))
    english = openpyxl.load_workbook(io.BytesIO(client.get(url).content))

    assert {"Werte", "Stolpersteine", "Info"} <= set(german.sheetnames)
    assert {"Scores", "Pitfalls", "About"} <= set(english.sheetnames)
    headers = [cell.value for cell in german["Werte"][1]]
    assert headers[:3] == ["Dimension", "Art", "Wert (0–100)"]
    assert "Abdeckung" in headers and "Coverage" not in headers
    assert german["Werte"]["A2"].value == "KI-Skalierungsindex"
    # The values stay numbers (the coverage formatted as a percentage).
    coverage = german["Werte"].cell(row=3, column=headers.index("Abdeckung") + 1)
    assert isinstance(coverage.value, int | float) and coverage.number_format == "0%"
    assert [cell.value for cell in english["Scores"][1]][:3] == [
        "Dimension",
        "Kind",
        "Score (0–100)",
    ]
