"""Answers, aggregates and scores as CSV or XLSX files (pandas writes both).

Who gets which (DESIGN §9): "answers" names each respondent (name, email, role, title,
level, comment, evidence): consultants only. "aggregates" is the same per question
without anyone: the organization's value, spread, how many chose each level, N/A and
Don't know, and the comments and evidence unattributed; "scores" the dimension scores;
both for every member of the organization."""

import io
from dataclasses import dataclass

import pandas as pd
from django.utils import timezone
from django.utils.text import slugify

from common.input_hygiene import printable
from organizations.policy import Action

from . import selectors
from .models import Answer, Assessment

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
DATASETS = ("answers", "aggregates", "scores")
# Answers carry names and emails (consultants only); aggregates and scores name nobody.
ACTIONS = {
    "answers": Action.EXPORT_ANSWERS,
    "aggregates": Action.EXPORT_AGGREGATES,
    "scores": Action.EXPORT_AGGREGATES,
}
LABELS = {"answers": "Answers with names", "aggregates": "Answers, aggregated", "scores": "Scores"}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def export_file(assessment: Assessment, dataset: str, file_format: str) -> ExportFile:
    if dataset not in DATASETS or file_format not in FORMATS:
        raise ValueError(f"Unknown export {dataset}.{file_format}")
    sheets = SHEETS[dataset](assessment)
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


def _aggregates_sheets(assessment: Assessment) -> dict[str, pd.DataFrame]:
    """Per question, from submitted respondents only (as the scores): nobody named,
    comments and evidence in alphabetical order (not by respondent, so that one
    person's comments cannot be followed from question to question)."""
    result = selectors.assessment_scores(assessment)
    summary = result.summary
    answers = Answer.objects.filter(
        respondent__assessment=assessment, respondent__submitted_at__isnull=False
    ).values_list("question__key", "kind", "level", "comment", "evidence")
    counts: dict[str, dict] = {}
    comments: dict[str, list[str]] = {}
    evidence: dict[str, list[str]] = {}
    for key, kind, level, comment, proof in answers:
        count = counts.setdefault(key, {})
        column = f"level_{level}" if kind == Answer.Kind.LEVEL else kind
        if column:
            count[column] = count.get(column, 0) + 1
        if comment.strip():
            comments.setdefault(key, []).append(comment.strip())
        if proof.strip():
            evidence.setdefault(key, []).append(proof.strip())
    titles = {d["key"]: d["title"] for d in summary["dimensions"]}
    levels = [f"level_{n}" for n in range(1, 6)]
    rows = []
    for question in selectors.questions_by_key(assessment.bank).values():
        q = summary["questions"].get(question.key, {})
        count = counts.get(question.key, {})
        rows.append(
            {
                "dimension": titles.get(q.get("dimension"), ""),
                "question": question.key,
                "question_text": question.text,
                "value": q.get("value"),
                "spread": q.get("spread"),
                "answered": sum(count.get(column, 0) for column in levels),
                **{column: count.get(column, 0) for column in levels},
                "not_applicable": count.get(Answer.Kind.NOT_APPLICABLE, 0),
                "dont_know": count.get(Answer.Kind.DONT_KNOW, 0),
                "comments": "\n".join(sorted(comments.get(question.key, []))),
                "evidence": "\n".join(sorted(evidence.get(question.key, []))),
            }
        )
    return {
        "Aggregates": pd.DataFrame(rows),
        "About": pd.DataFrame(
            [
                {"field": "organization", "value": assessment.organization.name},
                {"field": "assessment", "value": assessment.title},
                {"field": "bank_version", "value": assessment.bank.version},
                {"field": "provisional", "value": result.provisional},
                {"field": "respondents_submitted", "value": summary["respondents"]},
                {
                    "field": "note",
                    "value": "Submitted answers only, nobody named: comments and evidence "
                    "are listed alphabetically, not by respondent.",
                },
            ]
        ),
    }


SHEETS = {"answers": _answers_sheets, "aggregates": _aggregates_sheets, "scores": _scores_sheets}


def _defuse(frame: pd.DataFrame) -> pd.DataFrame:
    """Text without the characters no file takes (stored before input was checked), and
    text that a spreadsheet would run as a formula prefixed with a quote."""
    frame = frame.copy()
    for column in frame.columns:
        # Text is the `str` dtype from pandas 3 on, `object` before (and when mixed).
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(
                lambda v: _cell_text(printable(v)) if isinstance(v, str) else v
            )
    return frame


def _cell_text(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


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
