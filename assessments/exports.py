"""Answers, aggregates and scores as CSV or XLSX files (pandas writes both, openpyxl
formats the workbook): human headers, numbers rounded as the API rounds them.

Who gets which (DESIGN §9): "answers" names each respondent (name, email, role, title,
level, comment, evidence): consultants only. "aggregates" is the same per question
without anyone: the organization's value, spread, how many chose each level, N/A and
Don't know, and the comments and evidence unattributed; "scores" the dimension scores;
both for every member of the organization. The scores workbook also has the roadmap
placement (added by the results app, `SHEET_EXTENSIONS`).

Sheet names, headers and words (Yes/No, kinds) are in the active language, the
requester's; the numbers stay numbers and the keys (question IDs) stay as they are."""

import io
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from common.api import rounded as api_rounded
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
LABELS = {
    "answers": gettext_lazy("Answers with names"),
    "aggregates": gettext_lazy("Answers, aggregated"),
    "scores": gettext_lazy("Scores"),
}
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ExportFile:
    content: bytes
    content_type: str
    filename: str


def export_file(assessment: Assessment, dataset: str, file_format: str) -> ExportFile:
    if dataset not in DATASETS or file_format not in FORMATS:
        raise ValueError(f"Unknown export {dataset}.{file_format}")
    # A CSV file holds the first table only: the other sheets are not even computed.
    sheets = SHEETS[dataset](assessment, workbook=file_format == "xlsx")
    content = _csv(sheets) if file_format == "csv" else _xlsx(sheets)
    stem = slugify(f"{assessment.organization.name} {dataset} {timezone.localdate():%Y-%m-%d}")
    return ExportFile(content, FORMATS[file_format], f"{stem}.{file_format}")


def yes_no(value) -> str:
    return _("Yes") if value else _("No")


class _YesNo:
    """YES_NO[value]: "Yes" or "No" in the active language (kept for the sheets other
    apps add)."""

    def __getitem__(self, value) -> str:
        return yes_no(value)


YES_NO = _YesNo()


def kind_label(kind: str) -> str:
    labels = {"challenge": _("Challenge area"), "pillar": _("Strategic pillar")}
    return labels.get(kind, kind)


def rounded(value, digits: int = 1) -> float | None:
    """A number as the API shows it (`common.api.rounded`: `display_round`), None kept."""
    return api_rounded(value, digits)


def _answers_sheets(assessment: Assessment, *, workbook: bool) -> dict[str, pd.DataFrame]:
    rows = (
        Answer.objects.of_clients()
        .filter(respondent__assessment=assessment)
        .select_related("respondent", "question__dimension")
        .order_by("respondent__name", "respondent_id", "question__position")
    )
    level, answer_level = _("Level"), pgettext("answer kind", "Level")
    columns = answer_columns()
    frame = pd.DataFrame(
        [
            dict(
                zip(
                    columns,
                    (
                        a.respondent.name,
                        a.respondent.email,
                        str(a.respondent.get_role_display()),
                        a.respondent.title,
                        a.respondent.business_unit,
                        yes_no(a.respondent.is_submitted),
                        a.question.dimension.title,
                        a.question.key,
                        a.question.text,
                        str(a.get_kind_display()) if a.kind != Answer.Kind.LEVEL else answer_level,
                        a.level,
                        a.comment,
                        a.evidence,
                    ),
                    strict=True,
                )
            )
            for a in rows
        ],
        columns=columns,
    )
    frame[level] = frame[level].astype("Int64")
    return {_("Answers"): frame}


def answer_columns() -> list[str]:
    """The answers sheet's headers, in the active language."""
    return [
        _("Respondent"),
        _("Email"),
        _("Role"),
        pgettext("job title", "Title"),
        _("Business unit"),
        _("Submitted"),
        _("Dimension"),
        _("Question ID"),
        _("Question"),
        _("Answer"),
        _("Level"),
        _("Comment"),
        _("Evidence"),
    ]


def _scores_sheets(assessment: Assessment, *, workbook: bool) -> dict[str, pd.DataFrame]:
    result = selectors.assessment_scores(assessment)
    summary = result.summary
    overall = summary["overall"]
    questions = selectors.questions_by_key(assessment.bank)

    def texts(keys) -> str:
        return "\n".join(questions[k].text if k in questions else k for k in keys)

    level = (
        _("Level %(level)s, %(name)s") % {"level": overall["level"], "name": overall["level_name"]}
        if overall["level"] is not None
        else ""
    )
    columns = score_columns()
    rows = [
        dict(
            zip(
                columns,
                (
                    _("AI scaling index"),
                    pgettext("dimension kind", "Overall"),
                    rounded(overall["index"]),
                    level,
                    None,
                    "",
                    None,
                    None,
                    "",
                ),
                strict=True,
            )
        )
    ] + [
        dict(
            zip(
                columns,
                (
                    d["title"],
                    kind_label(d["kind"]),
                    rounded(d["score"]),
                    "",
                    rounded(d["coverage"], 2),
                    yes_no(d["insufficient"]),
                    rounded(d["alignment"]),
                    d["dont_know"],
                    texts(d["misaligned_questions"]),
                ),
                strict=True,
            )
        )
        for d in summary["dimensions"]
    ]
    sheets = {_("Scores"): pd.DataFrame(rows, columns=columns)}
    if not workbook:
        return sheets
    for extend in SHEET_EXTENSIONS["scores"]:
        sheets.update(extend(assessment, result))
    sheets[_("Pitfalls")] = pd.DataFrame(
        [
            {
                _("Pitfall"): p["title"],
                _("Triggered"): yes_no(p["triggered"]),
                _("Mitigation"): p["mitigation"],
                _("Questions valued 2 or lower"): texts(p["questions"]),
            }
            for p in summary["pitfalls"]
        ]
    )
    sheets[_("About")] = _about(assessment, result)
    return sheets


def score_columns() -> list[str]:
    """The scores sheet's headers, in the active language."""
    return [
        _("Dimension"),
        _("Kind"),
        _("Score (0–100)"),
        _("Level"),
        coverage_header(),
        _("Insufficient evidence"),
        _("Alignment (mean spread, levels)"),
        _("Don't know answers"),
        _("Misaligned questions"),
    ]


def coverage_header() -> str:
    return _("Coverage")


def _about(assessment: Assessment, result, *notes: str) -> pd.DataFrame:
    rows = [
        (_("Organization"), assessment.organization.name),
        (_("Assessment"), assessment.title),
        (_("Question bank version"), assessment.bank.version),
        (_("Provisional"), yes_no(result.provisional)),
        (_("Submitted respondents"), result.summary["respondents"]),
        (_("Exported"), f"{timezone.localdate():%Y-%m-%d}"),
        *((_("Note"), note) for note in notes),
    ]
    return pd.DataFrame(rows, columns=[_("Field"), _("Value")])


def _aggregates_sheets(assessment: Assessment, *, workbook: bool) -> dict[str, pd.DataFrame]:
    """Per question, from submitted respondents only (as the scores): nobody named,
    comments and evidence in alphabetical order (not by respondent, so that one
    person's comments cannot be followed from question to question)."""
    result = selectors.assessment_scores(assessment)
    summary = result.summary
    answers = (
        Answer.objects.of_clients()
        .filter(respondent__assessment=assessment, respondent__submitted_at__isnull=False)
        .values_list("question__key", "kind", "level", "comment", "evidence")
    )
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
                _("Dimension"): titles.get(q.get("dimension"), ""),
                _("Question ID"): question.key,
                _("Question"): question.text,
                _("Value (median level)"): rounded(q.get("value")),
                _("Spread (levels)"): rounded(q.get("spread")),
                _("Answered"): sum(count.get(column, 0) for column in levels),
                **{
                    _("Level %(level)s") % {"level": n}: count.get(f"level_{n}", 0)
                    for n in range(1, 6)
                },
                _("Not applicable"): count.get(Answer.Kind.NOT_APPLICABLE, 0),
                _("Don't know"): count.get(Answer.Kind.DONT_KNOW, 0),
                _("Comments"): "\n".join(sorted(comments.get(question.key, []))),
                _("Evidence"): "\n".join(sorted(evidence.get(question.key, []))),
            }
        )
    return {
        _("Aggregates"): pd.DataFrame(rows),
        _("About"): _about(
            assessment,
            result,
            _(
                "Submitted answers only, nobody named: comments and evidence are listed "
                "alphabetically, not by respondent."
            ),
        ),
    }


# Sheets that apps above this one add to a workbook (results adds the roadmap
# placement to the scores): dataset → functions (assessment, scores) → {sheet: frame}.
SHEET_EXTENSIONS: dict[str, list[Callable]] = {dataset: [] for dataset in DATASETS}


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
    """Each sheet a table people can read: bold header row frozen in place, a filter on
    every column, widths fitted to the content, long text wrapped."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            _defuse(frame).to_excel(writer, sheet_name=name, index=False)
            _format_sheet(writer.sheets[name], frame)
    return buffer.getvalue()


HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="E8ECF2")
MAX_WIDTH = 60


def _format_sheet(sheet, frame: pd.DataFrame) -> None:
    for cell in sheet[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    sheet.freeze_panes = "A2"
    if sheet.max_row >= 1 and sheet.max_column >= 1:
        sheet.auto_filter.ref = sheet.dimensions
    for index, column in enumerate(frame.columns, start=1):
        letter = get_column_letter(index)
        width = _width(column, frame[column])
        sheet.column_dimensions[letter].width = width
        wrap = width >= MAX_WIDTH or frame[column].astype(str).str.contains("\n").any()
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            if column == coverage_header() and isinstance(cell.value, int | float):
                cell.number_format = "0%"
            if wrap:
                cell.alignment = Alignment(vertical="top", wrap_text=True)


def _width(header: str, values: pd.Series) -> int:
    """The longest line of the header or of a value, plus a margin, at most MAX_WIDTH."""
    lines = [header, *(line for v in values.dropna() for line in str(v).splitlines())]
    return min(max(len(line) for line in lines) + 2, MAX_WIDTH)
