"""Answers and scores as CSV or XLSX files (pandas writes both)."""

import io
from dataclasses import dataclass

import pandas as pd
from django.utils import timezone
from django.utils.text import slugify

from organizations.policy import Action

from . import selectors
from .models import Answer, Assessment

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DATASETS = ("answers", "scores")
# Answers carry names and emails (consultants only); scores are aggregates (every member).
ACTIONS = {"answers": Action.EXPORT_ANSWERS, "scores": Action.EXPORT_AGGREGATES}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def export_file(assessment: Assessment, dataset: str, file_format: str) -> ExportFile:
    if dataset not in DATASETS or file_format not in FORMATS:
        raise ValueError(f"Unknown export {dataset}.{file_format}")
    sheets = _answers_sheets(assessment) if dataset == "answers" else _scores_sheets(assessment)
    content = _csv(sheets) if file_format == "csv" else _xlsx(sheets)
    stem = slugify(f"{assessment.organization.name} {dataset} {timezone.localdate():%Y-%m-%d}")
    return ExportFile(content, FORMATS[file_format], f"{stem}.{file_format}")


def _answers_sheets(assessment: Assessment) -> dict[str, pd.DataFrame]:
    rows = (
        Answer.objects.filter(respondent__assessment=assessment)
        .select_related("respondent", "question__dimension")
        .order_by("respondent__name", "respondent_id", "question__position")
    )
    frame = pd.DataFrame(
        [
            {
                "respondent": a.respondent.name,
                "email": a.respondent.email,
                "role": a.respondent.get_role_display(),
                "title": a.respondent.title,
                "business_unit": a.respondent.business_unit,
                "submitted": a.respondent.is_submitted,
                "dimension": a.question.dimension.key,
                "question": a.question.key,
                "question_text": a.question.text,
                "answer": a.get_kind_display() if a.kind != Answer.Kind.LEVEL else "Level",
                "level": a.level,
                "comment": a.comment,
                "evidence": a.evidence,
            }
            for a in rows
        ],
        columns=[
            "respondent",
            "email",
            "role",
            "title",
            "business_unit",
            "submitted",
            "dimension",
            "question",
            "question_text",
            "answer",
            "level",
            "comment",
            "evidence",
        ],
    )
    frame["level"] = frame["level"].astype("Int64")
    return {"Answers": frame}


def _scores_sheets(assessment: Assessment) -> dict[str, pd.DataFrame]:
    result = selectors.assessment_scores(assessment)
    summary = result.summary
    overall = summary["overall"]
    dimensions = pd.DataFrame(
        [
            {
                "dimension": d["key"],
                "title": d["title"],
                "kind": d["kind"],
                "score": d["score"],
                "coverage": d["coverage"],
                "insufficient_evidence": d["insufficient"],
                "alignment": d["alignment"],
                "dont_know": d["dont_know"],
                "misaligned_questions": " ".join(d["misaligned_questions"]),
            }
            for d in summary["dimensions"]
        ]
    )
    header = pd.DataFrame(
        [
            {
                "dimension": "overall",
                "title": f"Index — level {overall['level'] or '—'} {overall['level_name'] or ''}",
                "kind": "",
                "score": overall["index"],
                "insufficient_evidence": None,
            }
        ]
    )
    return {
        "Scores": pd.concat([header, dimensions], ignore_index=True),
        "Pitfalls": pd.DataFrame(
            [
                {
                    "pitfall": p["key"],
                    "title": p["title"],
                    "triggered": p["triggered"],
                    "mitigation": p["mitigation"],
                    "questions": " ".join(p["questions"]),
                }
                for p in summary["pitfalls"]
            ]
        ),
        "About": pd.DataFrame(
            [
                {"field": "organization", "value": assessment.organization.name},
                {"field": "assessment", "value": assessment.title},
                {"field": "bank_version", "value": assessment.bank.version},
                {"field": "provisional", "value": result.provisional},
                {"field": "respondents_submitted", "value": summary["respondents"]},
            ]
        ),
    }


def _defuse(frame: pd.DataFrame) -> pd.DataFrame:
    """Text that a spreadsheet would run as a formula is prefixed with a quote."""
    frame = frame.copy()
    for column in frame.columns:
        # Text is the `str` dtype from pandas 3 on, `object` before (and when mixed).
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(
                lambda v: f"'{v}" if isinstance(v, str) and v.startswith(FORMULA_PREFIXES) else v
            )
    return frame


def _csv(sheets: dict[str, pd.DataFrame]) -> bytes:
    """The first sheet; a CSV file holds one table."""
    frame = next(iter(sheets.values()))
    return _defuse(frame).to_csv(index=False).encode("utf-8-sig")


def _xlsx(sheets: dict[str, pd.DataFrame]) -> bytes:
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            _defuse(frame).to_excel(writer, sheet_name=name, index=False)
    return buffer.getvalue()
