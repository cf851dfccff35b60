"""Quality checks before a report or an export (DESIGN §11): what the consultant is
warned about, who may go on anyway. Pure: plain data in, warnings out; each warning
says what to fix and where (`fix`: a page the views turn into a link).
"""

from __future__ import annotations

import itertools
import statistics
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.display import format_score

HIGH_LEVEL = 4  # a question valued this or more needs evidence in some answer
MIN_RESPONDENTS = 3
SPEEDER_SECONDS = 3.0  # median time between answers below this: clicked through


@dataclass(frozen=True)
class QualityWarning:
    key: str  # high_without_evidence, insufficient, few_respondents, suppressed, open, speeders
    title: str
    detail: str
    fix: str  # verification, results, respondents, close
    fix_label: str
    items: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Inputs:
    summary: dict  # scoring.summarize of the client's answers
    question_texts: dict[str, str]
    evidenced: set[str]  # questions with evidence in some answer (or a file)
    submitted: int
    suppression_notes: list[str]  # the §9 notes of the client edition's breakdowns
    is_open: bool
    answer_times: dict[str, list[float]]  # submitted respondent's name → answer times (s)


def median_gap(times: list[float]) -> float | None:
    """Median time between consecutive answers (seconds); None under two answers."""
    ordered = sorted(times)
    gaps = [b - a for a, b in itertools.pairwise(ordered)]
    return statistics.median(gaps) if gaps else None


def is_speeder(times: list[float]) -> bool:
    gap = median_gap(times)
    return gap is not None and gap < SPEEDER_SECONDS


def checks(inputs: Inputs) -> list[QualityWarning]:
    warnings: list[QualityWarning] = []
    questions = inputs.summary["questions"]
    high = [
        key
        for key, q in questions.items()
        if q["value"] is not None and q["value"] >= HIGH_LEVEL and key not in inputs.evidenced
    ]
    if high:
        warnings.append(
            QualityWarning(
                "high_without_evidence",
                ngettext(
                    "%(count)s question valued %(level)s or more with no evidence",
                    "%(count)s questions valued %(level)s or more with no evidence",
                    len(high),
                )
                % {"count": len(high), "level": HIGH_LEVEL},
                _("No answer gives evidence for these claims; verify them or ask for evidence."),
                "verification",
                _("Review the evidence"),
                [inputs.question_texts.get(k, k) for k in high],
            )
        )
    thin = [d["title"] for d in inputs.summary["dimensions"] if d["insufficient"]]
    if thin:
        warnings.append(
            QualityWarning(
                "insufficient",
                ngettext(
                    "%(count)s dimension with insufficient evidence",
                    "%(count)s dimensions with insufficient evidence",
                    len(thin),
                )
                % {"count": len(thin)},
                _("Less than half of their applicable questions have a value."),
                "respondents",
                _("Ask respondents to complete"),
                thin,
            )
        )
    if inputs.submitted < MIN_RESPONDENTS:
        warnings.append(
            QualityWarning(
                "few_respondents",
                ngettext(
                    "Only %(count)s submitted respondent",
                    "Only %(count)s submitted respondents",
                    inputs.submitted,
                )
                % {"count": inputs.submitted},
                _("Fewer than %(minimum)s executives answered: the scores rest on few views.")
                % {"minimum": MIN_RESPONDENTS},
                "respondents",
                _("Invite more respondents"),
            )
        )
    if inputs.suppression_notes:
        warnings.append(
            QualityWarning(
                "suppressed",
                _("Breakdowns suppressed for confidentiality"),
                _("The client edition merges or leaves out groups too small to show."),
                "results",
                _("See the breakdowns"),
                inputs.suppression_notes,
            )
        )
    if inputs.is_open:
        warnings.append(
            QualityWarning(
                "open",
                _("The assessment is still open"),
                _("Scores are provisional and change as more executives submit."),
                "close",
                _("Close the assessment"),
            )
        )
    speeders = sorted(name for name, times in inputs.answer_times.items() if is_speeder(times))
    if speeders:
        warnings.append(
            QualityWarning(
                "speeders",
                ngettext(
                    "%(count)s respondent clicked through",
                    "%(count)s respondents clicked through",
                    len(speeders),
                )
                % {"count": len(speeders)},
                _("Median time between answers under %(seconds)s s.")
                % {"seconds": format_score(SPEEDER_SECONDS, 0)},
                "respondents",
                _("See the respondents"),
                speeders,
            )
        )
    return warnings
