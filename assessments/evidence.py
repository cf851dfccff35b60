"""The evidence-backed layer (DESIGN §11): what a question is worth once claims are
checked against evidence, and which files may serve as evidence.

Pure: pandas, numpy and the standard library; the scores come from the same
`scoring.score` as the claimed ones.
"""

from __future__ import annotations

import io
import math
import zipfile
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from common.display import localize_number
from common.errors import InputError

from .scoring import Scores, ScoringModel, score

# A claim above this level counts only when a consultant verified it.
UNEVIDENCED_CAP = 2
# The verification page lists questions valued at least this.
REVIEW_FROM = 3


def evidence_backed_value(claimed: float | None, verified: int | None) -> float | None:
    """The verified level if set; else the claimed value if it is 2 or lower; else 2
    (claimed, not evidenced). No claim and no verification: no value."""
    if verified is not None:
        return float(verified)
    if claimed is None:
        return None
    return claimed if claimed <= UNEVIDENCED_CAP else float(UNEVIDENCED_CAP)


def evidence_backed_scores(
    assessment: int,
    claimed: dict[str, float | None],
    not_applicable: set[str],
    verified: dict[str, int],
    model: ScoringModel,
) -> Scores:
    """Scores of the evidence-backed values, by `scoring.score` itself: each valued
    question becomes two answers whose median is the value (x.5 values are the mean of
    the middle two), an inapplicable one an N/A answer; the §3 formulas do the rest."""
    rows: list[tuple[str, str, float]] = []
    for question in model.questions["question"]:
        value = evidence_backed_value(claimed.get(question), verified.get(question))
        if value is not None:
            rows.append((question, "level", float(math.floor(value))))
            rows.append((question, "level", float(math.ceil(value))))
        elif question in not_applicable:
            rows.append((question, "na", np.nan))
    answers = pd.DataFrame(
        {
            "assessment": np.full(len(rows), assessment, dtype="int64"),
            "respondent": np.arange(len(rows)) % 2,
            "question": [r[0] for r in rows],
            "kind": [r[1] for r in rows],
            "level": np.array([r[2] for r in rows], dtype="float64"),
        }
    )
    return score(answers, model, assessments=[assessment])


def side_by_side(claimed: list[dict], backed: list[dict]) -> list[dict]:
    """Per dimension (claimed order): the claimed and evidence-backed scores, and how
    many points the evidence takes off (claimed − evidence-backed)."""
    backed_scores = {d["key"]: d["score"] for d in backed}
    rows = []
    for dimension in claimed:
        theirs = backed_scores.get(dimension["key"])
        rows.append(
            {
                "key": dimension["key"],
                "title": dimension["title"],
                "claimed": dimension["score"],
                "evidence_backed": theirs,
                "difference": None
                if theirs is None or dimension["score"] is None
                else dimension["score"] - theirs,
            }
        )
    return rows


# --- evidence files -------------------------------------------------------------------

MAX_BYTES = 10 * 1024 * 1024
# An XLSX is a zip: refuse one that would expand to more than this, or any member
# compressed more than this ratio (a zip bomb), or with too many members.
MAX_EXPANDED_BYTES = 50 * 1024 * 1024
MAX_RATIO = 100
MAX_MEMBERS = 2000

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# content type → (the names a file of that content may have, what people call it)
TYPES = {
    "application/pdf": ((".pdf",), "PDF"),
    "image/png": ((".png",), gettext_lazy("PNG image")),
    "image/jpeg": ((".jpg", ".jpeg"), gettext_lazy("JPEG image")),
    XLSX: ((".xlsx",), gettext_lazy("XLSX workbook")),
}
ACCEPTED = gettext_lazy("PDF, PNG, JPEG or XLSX")


@dataclass(frozen=True)
class CheckedFile:
    content_type: str
    extension: str


def content_type_of(data: bytes) -> str | None:
    """What the bytes are (by their signature), whatever the file is called."""
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"PK\x03\x04"):
        return XLSX  # confirmed by `_check_workbook`
    return None


def check_file(name: str, size: int, data: bytes, field: str = "file") -> CheckedFile:
    """Accept a PDF, PNG, JPEG or XLSX of at most 10 MB whose content is what its name
    says; InputError naming `field` otherwise."""
    if size > MAX_BYTES:
        raise InputError(
            field,
            "too_large",
            _("The file is %(size)s MB; at most 10 MB.")
            % {"size": localize_number(f"{size / 1024 / 1024:.1f}")},
        )
    if not size:
        raise InputError(field, "empty", _("The file is empty."))
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    content_type = content_type_of(data)
    if content_type is None:
        raise InputError(
            field,
            "unsupported_type",
            _("This file is not a %(accepted)s file (by its content).") % {"accepted": ACCEPTED},
        )
    if content_type == XLSX:
        _check_workbook(data, field)
    names, label = TYPES[content_type]
    if extension not in names:
        raise InputError(
            field,
            "type_mismatch",
            _(
                "The file's content is a %(label)s but its name ends in %(extension)s; "
                "name it %(name)s."
            )
            % {"label": label, "extension": extension or _("nothing"), "name": names[0]},
        )
    return CheckedFile(content_type=content_type, extension=names[0])


def _check_workbook(data: bytes, field: str) -> None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError) as exc:
        raise InputError(
            field, "unsupported_type", _("This is not a valid XLSX workbook.")
        ) from exc
    names = {m.filename for m in members}
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise InputError(field, "unsupported_type", _("This zip file is not an XLSX workbook."))
    expanded = sum(m.file_size for m in members)
    ratio = max((m.file_size / max(m.compress_size, 1) for m in members), default=0)
    if len(members) > MAX_MEMBERS or expanded > MAX_EXPANDED_BYTES or ratio > MAX_RATIO:
        raise InputError(
            field,
            "zip_bomb",
            _(
                "This workbook would expand to far more than its size (a zip bomb); "
                "save it again from your spreadsheet program."
            ),
        )
