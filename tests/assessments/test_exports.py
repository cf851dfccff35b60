"""Answers and scores as CSV and XLSX, from the results page and from the API."""

import csv
import io
import random

import openpyxl
import pandas as pd
import pytest
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from assessments.scoring import score, summarize
from common.display import display_round

from ..answering import add_respondents, bank_model, frame, give, questions_of
from ..factories import RespondentFactory

pytestmark = pytest.mark.django_db

PREFIXES = {"page": "/assessments/{id}/exports/", "api": "/api/v1/assessments/{id}/exports/"}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
FORMULA = '=HYPERLINK("http://evil.example","Click")'
UNICODE = "Équipe données — 数据治理 ✓, «naïve» café 🚀"
EVIDENCE = "https://intranet.acme.example/audit-2025.pdf"
BOTH = [pytest.param(source, id=source) for source in PREFIXES]
FILES = [
    pytest.param(source, dataset, fmt, id=f"{source}-{dataset}.{fmt}")
    for source in PREFIXES
    for dataset in ("answers", "scores")
    for fmt in ("csv", "xlsx")
]


def export_url(assessment, source: str, name: str) -> str:
    return PREFIXES[source].format(id=assessment.pk) + name


@pytest.fixture
def as_alice(client, alice):
    client.force_login(alice)
    return client


@pytest.fixture
def answered(assessment):
    """Two submitted executives and one still answering, with comments and evidence."""
    questions = questions_of(assessment)
    keys = list(questions)
    ceo = RespondentFactory(
        assessment=assessment,
        name="Morgan Chen",
        role="ceo",
        title="Chief Executive Officer",
        business_unit="Group",
    )
    cio = RespondentFactory(
        assessment=assessment,
        name="Priya Natarajan",
        role="cio",
        title="CIO",
        business_unit="Group IT",
    )
    ops = RespondentFactory(
        assessment=assessment,
        name="Luca Romano",
        role="bu_head",
        title="VP Operations",
        business_unit="Plants",
    )
    given = give(
        ceo,
        {k: 1 + i % 5 for i, k in enumerate(keys)},
        comments={keys[0]: FORMULA, keys[1]: UNICODE, keys[2]: "-5% cost, +3 FTE"},
        evidence={keys[0]: EVIDENCE},
        questions=questions,
    )
    given += give(
        cio,
        {**{k: 3 for k in keys[:20]}, keys[20]: "dont_know", "di_realtime": "na"},
        comments={keys[5]: "@mention and a plain note"},
        questions=questions,
    )
    given += give(ops, {k: 2 for k in keys[:5]}, submit=False, questions=questions)
    return given


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def read_csv(response) -> list[dict]:
    text = _body(response).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def read_xlsx(response, sheet: str) -> list[dict]:
    workbook = openpyxl.load_workbook(io.BytesIO(_body(response)))
    rows = list(workbook[sheet].iter_rows(values_only=True))
    header, *data = rows
    return [dict(zip(header, row, strict=True)) for row in data]


def _cell(value) -> str:
    """A CSV cell as the export writes it."""
    return "" if value is None else str(value)


@pytest.mark.parametrize(("source", "dataset", "fmt"), FILES)
def test_every_export_is_an_attachment_named_after_the_organization_and_date(
    as_alice, assessment, answered, source, dataset, fmt
):
    response = as_alice.get(export_url(assessment, source, f"{dataset}.{fmt}"))

    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"] == (
        f'attachment; filename="acme-industries-{dataset}-{today}.{fmt}"'
    )
    body = _body(response)
    if fmt == "xlsx":
        assert body.startswith(b"PK\x03\x04")  # a zip container
        assert openpyxl.load_workbook(io.BytesIO(body)).sheetnames
    else:
        assert body.startswith(b"\xef\xbb\xbf")  # BOM: Excel opens UTF-8 correctly


@pytest.mark.parametrize("source", BOTH)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_answers_have_one_row_per_respondent_and_answered_question(
    as_alice, assessment, answered, source, fmt
):
    response = as_alice.get(export_url(assessment, source, f"answers.{fmt}"))

    rows = read_csv(response) if fmt == "csv" else read_xlsx(response, "Answers")
    # 47 + the CIO's 20 levels and a Don't know (di_realtime is among the 20) + 5 drafts
    assert len(rows) == len(answered) == 47 + 21 + 5
    assert list(rows[0]) == [
        "Respondent",
        "Email",
        "Role",
        "Title",
        "Business unit",
        "Submitted",
        "Dimension",
        "Question ID",
        "Question",
        "Answer",
        "Level",
        "Comment",
        "Evidence",
    ]
    names = {r.pk: r for r in assessment.respondents.all()}
    texts = {k: q.text for k, q in questions_of(assessment).items()}
    by_key = {(row["Respondent"], row["Question ID"]): row for row in rows}
    assert len(by_key) == len(rows)
    for g in answered:
        respondent = names[g.respondent]
        row = by_key[(respondent.name, g.question)]
        level = g.value if isinstance(g.value, int) else None
        expected = {
            "Title": respondent.title,
            "Business unit": respondent.business_unit,
            "Question": texts[g.question],
            "Answer": {"na": "Not applicable", "dont_know": "Don't know"}.get(g.value, "Level"),
            "Level": level,
            "Evidence": g.evidence or None,
            "Submitted": "Yes" if g.submitted else "No",
        }
        if fmt == "csv":
            expected = {k: _cell(v) for k, v in expected.items()}
        assert {k: row[k] for k in expected} == expected, (respondent.name, g.question)


@pytest.mark.parametrize("source", BOTH)
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_comments_that_a_spreadsheet_would_run_are_defused_and_unicode_is_kept(
    as_alice, assessment, answered, source, fmt
):
    keys = list(questions_of(assessment))

    response = as_alice.get(export_url(assessment, source, f"answers.{fmt}"))

    rows = read_csv(response) if fmt == "csv" else read_xlsx(response, "Answers")
    comments = {(r["Respondent"], r["Question ID"]): r["Comment"] for r in rows}
    assert comments[("Morgan Chen", keys[0])] == "'" + FORMULA
    assert comments[("Morgan Chen", keys[1])] == UNICODE
    assert comments[("Morgan Chen", keys[2])] == "'-5% cost, +3 FTE"
    assert comments[("Priya Natarajan", keys[5])] == "'@mention and a plain note"
    assert comments[("Morgan Chen", keys[0])] != FORMULA
    if fmt == "xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(_body(response)))["Answers"]
        assert not [c.coordinate for row in sheet.iter_rows() for c in row if c.data_type == "f"]


def shown(value, digits: int = 1):
    """What the scores API shows for a number (and so every export)."""
    return None if value is None else float(display_round(value, digits))


@pytest.mark.parametrize("source", BOTH)
def test_scores_csv_has_the_index_and_the_seven_dimensions(as_alice, assessment, source):
    given = add_respondents(assessment, 3, random.Random(8))
    model = bank_model()
    summary = summarize(score(frame(given), model), assessment.pk, model)

    response = as_alice.get(export_url(assessment, source, "scores.csv"))

    table = pd.read_csv(io.BytesIO(_body(response)), encoding="utf-8-sig")
    assert list(table["Dimension"]) == ["AI scaling index"] + [
        d["title"] for d in summary["dimensions"]
    ]
    assert table.loc[0, "Score (0–100)"] == shown(summary["overall"]["index"])
    assert summary["overall"]["level_name"] in table.loc[0, "Level"]
    for n, dimension in enumerate(summary["dimensions"], start=1):
        row = table.loc[n]
        assert row["Kind"] in ("Challenge area", "Strategic pillar")
        if dimension["score"] is None:
            assert pd.isna(row["Score (0–100)"])
        else:
            assert row["Score (0–100)"] == shown(dimension["score"])
        assert row["Coverage"] == shown(dimension["coverage"], 2)
        assert row["Insufficient evidence"] == ("Yes" if dimension["insufficient"] else "No")


@pytest.mark.parametrize("source", BOTH)
def test_scores_xlsx_has_scores_placement_pitfalls_and_about_sheets(
    as_alice, assessment, answered, source
):
    model = bank_model()
    summary = summarize(score(frame(answered), model), assessment.pk, model)

    response = as_alice.get(export_url(assessment, source, "scores.xlsx"))

    sheets = pd.read_excel(io.BytesIO(_body(response)), sheet_name=None)
    assert list(sheets) == ["Scores", "Placement", "Pitfalls", "About"]
    scores = sheets["Scores"]
    assert list(scores["Dimension"])[1:] == [d["title"] for d in summary["dimensions"]]
    pitfalls = sheets["Pitfalls"]
    assert list(pitfalls["Pitfall"]) == [p["title"] for p in summary["pitfalls"]]
    assert list(pitfalls["Triggered"]) == [
        "Yes" if p["triggered"] else "No" for p in summary["pitfalls"]
    ]
    about = dict(zip(sheets["About"]["Field"], sheets["About"]["Value"], strict=True))
    assert about["Organization"] == "Acme Industries"
    assert about["Question bank version"] == "2026.1"
    assert about["Submitted respondents"] == 2  # the third is still answering


@pytest.mark.parametrize("dataset", ["answers", "aggregates", "scores"])
def test_every_sheet_has_a_bold_frozen_filtered_header_and_fitted_columns(
    as_alice, assessment, answered, dataset
):
    response = as_alice.get(export_url(assessment, "api", f"{dataset}.xlsx"))

    workbook = openpyxl.load_workbook(io.BytesIO(_body(response)))
    for sheet in workbook.worksheets:
        header = [c for c in sheet[1] if c.value is not None]
        assert header and all(c.font.bold for c in header), sheet.title
        assert all("_" not in str(c.value) for c in header), sheet.title  # no snake_case
        assert sheet.freeze_panes == "A2", sheet.title
        assert sheet.auto_filter.ref == sheet.dimensions, sheet.title
        widths = [sheet.column_dimensions[c.column_letter].width for c in header]
        assert all(len(str(c.value)) + 2 <= w <= 60 for c, w in zip(header, widths, strict=True)), (
            sheet.title
        )


def test_the_numbers_in_the_workbook_are_those_of_the_scores_and_placement_apis(
    as_alice, assessment, answered
):
    api = as_alice.get(f"/api/v1/assessments/{assessment.pk}/scores/").json()
    placement = as_alice.get(f"/api/v1/assessments/{assessment.pk}/placement/").json()

    response = as_alice.get(export_url(assessment, "page", "scores.xlsx"))

    workbook = openpyxl.load_workbook(io.BytesIO(_body(response)))
    scores = list(workbook["Scores"].iter_rows(min_row=2, values_only=True))
    assert scores[0][2] == api["overall"]["index"]
    assert [(row[2], row[4]) for row in scores[1:]] == [
        (d["score"], d["coverage"]) for d in api["dimensions"]
    ]
    # every number written with at most the API's decimals, never a raw float
    numbers = [c.value for row in workbook["Scores"].iter_rows(min_row=2) for c in row]
    assert all(round(v, 2) == v for v in numbers if isinstance(v, float))
    gates = list(workbook["Placement"].iter_rows(min_row=2, values_only=True))
    criteria = [(row[3], row[4], row[6] == "Yes") for row in gates if row[2] != "No entry gate"]
    assert criteria == [(c["required"], c["actual"], c["met"]) for c in placement["criteria"]]
    current = [row for row in gates if row[1] == "Current phase"]
    assert current and current[0][0].startswith(str(placement["phase"]))
    for row in gates:
        if isinstance(row[5], float) and isinstance(row[4], float):
            assert row[5] == max(0.0, float(display_round(row[3] - row[4])))  # from shown values


def test_the_use_case_gate_reads_as_a_count(as_alice, assessment, answered):
    response = as_alice.get(export_url(assessment, "page", "scores.xlsx"))

    gates = openpyxl.load_workbook(io.BytesIO(_body(response)))["Placement"]
    counts = [r for r in gates.iter_rows(min_row=2, values_only=True) if "Use cases" in r[2]]
    assert counts and all(r[2].endswith(f"{r[4]} of {r[3]}") for r in counts)
    assert all(isinstance(r[4], int) and isinstance(r[3], int) for r in counts)


def test_client_members_get_no_named_answers_sheet_but_the_aggregated_one(
    client, erin, assessment, answered
):
    client.force_login(erin)

    named = client.get(export_url(assessment, "api", "answers.xlsx"))
    aggregated = client.get(export_url(assessment, "api", "aggregates.xlsx"))

    assert named.status_code == 403
    assert aggregated.status_code == 200
    sheets = openpyxl.load_workbook(io.BytesIO(_body(aggregated))).sheetnames
    assert sheets == ["Aggregates", "About"]
    assert b"Morgan Chen" not in _body(aggregated)


@pytest.mark.parametrize("source", BOTH)
@pytest.mark.parametrize(
    "name",
    [
        "respondents.csv",
        "answers.pdf",
        "scores.json",
        "answers.CSV",
        "Scores.xlsx",
        "answers.csv.xlsx",
        "answers.",
    ],
)
def test_an_unknown_dataset_or_format_is_404(as_alice, assessment, answered, source, name):
    response = as_alice.get(export_url(assessment, source, name))

    assert response.status_code == 404
    assert "Morgan Chen" not in response.content.decode(errors="replace")


def test_the_openapi_schema_documents_both_file_types():
    schema = SchemaGenerator().get_schema(request=None, public=True)

    path = "/api/v1/assessments/{assessment_id}/exports/{dataset}.{file_format}"
    content = schema["paths"][path]["get"]["responses"]["200"]["content"]
    assert set(content) == {"text/csv", CONTENT_TYPES["xlsx"]}
    assert all(c["schema"] == {"type": "string", "format": "binary"} for c in content.values())
