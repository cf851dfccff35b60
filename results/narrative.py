"""The findings of an assessment written as sentences with their consequence, generated
from the numbers: the one narrative summary the results page and every report show.

Pure: plain data in (the scores summary's dicts, the next gate's criteria as objects with
`kind`, `dimension`, `required`, `actual`, `met`, `insufficient`, `gap`), strings out.
Every figure in a sentence is formatted by common.display, so it reads exactly as the
tables beside it; derived figures (points missing) are computed from the displayed ones.

Rules (REPORTS.md, issue 20):
- a dimension with insufficient evidence is never named strongest or weakest, nor listed
  among strengths or gaps: it is "not enough answers to score";
- a question is a strength at 60 or more, a gap below 40, never both; the lists take the
  highest and the lowest;
- percentiles are ordinals, the extremes in words.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from common.display import format_percent, format_score, percentile_phrase
from roadmap.placement import displayed_points_missing

STRENGTH_AT_LEAST = 60.0
GAP_BELOW = 40.0
FINDINGS_SHOWN = 5


@dataclass(frozen=True)
class Highlights:
    """Strengths (highest first, each ≥ 60) and gaps (lowest first, each < 40)."""

    strengths: list
    gaps: list

    @property
    def none_qualify(self) -> bool:
        return not self.strengths and not self.gaps


def scored_dimensions(dimensions: Iterable[dict]) -> list[dict]:
    """The dimensions that may be ranked: a score and enough evidence; highest first."""
    return sorted(
        (d for d in dimensions if d["score"] is not None and not d["insufficient"]),
        key=lambda d: -d["score"],
    )


def unscored_dimensions(dimensions: Iterable[dict]) -> list[dict]:
    """The dimensions listed as "not enough answers to score"."""
    return [d for d in dimensions if d["score"] is None or d["insufficient"]]


def question_highlights(rows: Sequence[dict], shown: int = 3) -> Highlights:
    """`rows`: dicts with a "score" (None: no value). Strengths are the highest-scoring
    at or above 60, gaps the lowest below 40; the thresholds keep them apart."""
    scored = [r for r in rows if r.get("score") is not None]
    strengths = sorted(
        (r for r in scored if r["score"] >= STRENGTH_AT_LEAST), key=lambda r: -r["score"]
    )
    gaps = sorted((r for r in scored if r["score"] < GAP_BELOW), key=lambda r: r["score"])
    return Highlights(strengths=strengths[:shown], gaps=gaps[:shown])


def use_cases_phrase(actual: float | None, required: float) -> str:
    """A use-case criterion as a count: "2 of 3 use cases"."""
    return f"{int(actual or 0)} of {int(required)} use case{'s' if int(required) != 1 else ''}"


def findings(
    *,
    overall: dict,
    dimensions: list[dict],
    placement,
    next_criteria: Sequence,
    peers: dict | None = None,
    pitfalls: Sequence[dict] = (),
    misaligned: int = 0,
    knowledge_gaps: int = 0,
    misalignment_spread: int = 2,
) -> list[str]:
    """At most five findings, most consequential first.

    `placement`: phase, phase_name, next_phase, next_phase_name. `peers`: None when no
    cohort is shown, else {"percentile", "label", "size"}."""
    if overall.get("index") is None:
        return ["No executive has submitted answers yet: there is nothing to score."]
    ranked = scored_dimensions(dimensions)
    unscored = unscored_dimensions(dimensions)
    out = [_position(overall, placement)]
    if ranked:
        out.append(_weakest(ranked[-1], next_criteria, placement))
    if unscored:
        out.append(_unscored(unscored))
    missing = _missing(next_criteria, placement)
    if missing:
        out.append(missing)
    if peers and peers.get("percentile") is not None:
        out.append(_peers(peers))
    if pitfalls:
        out.append(_pitfalls(pitfalls))
    if len(ranked) > 1:
        out.append(_strongest(ranked[0]))
    if misaligned:
        out.append(
            f"Executives disagree by {misalignment_spread} levels or more on "
            f"{_count(misaligned, 'question')}: the scores there average different views, "
            "which need to be reconciled before decisions rest on them."
        )
    if knowledge_gaps:
        out.append(
            f'{_count(knowledge_gaps, "question").capitalize()} drew a "Don\'t know": '
            "finding out the answers comes before deciding on them."
        )
    return out[:FINDINGS_SHOWN]


def _position(overall: dict, placement) -> str:
    sentence = (
        f"With an AI scaling index of {format_score(overall['index'])}/100 the organization "
        f"is at level {overall['level']}, {overall['level_name']}, and in roadmap phase "
        f"{placement.phase}, {placement.phase_name}"
    )
    if placement.next_phase:
        nxt = f"phase {placement.next_phase}, {placement.next_phase_name}"
        return f"{sentence}: the next step is {nxt}."
    return f"{sentence}, the last phase: the task is to sustain and measure returns."


def _weakest(weakest: dict, next_criteria: Sequence, placement) -> str:
    head = f"{weakest['title']} ({format_score(weakest['score'])}/100) is the weakest dimension"
    criterion = next(
        (c for c in next_criteria if c.kind == "dimension" and c.dimension == weakest["key"]),
        None,
    )
    if criterion is None or placement.next_phase is None:
        return f"{head}: it is where effort raises the index most."
    required = [c.required for c in next_criteria if c.kind == "dimension"]
    needs = (
        f"{format_score(criterion.required, 0)} in every dimension"
        if len(set(required)) == 1 and len(required) > 1
        else f"at least {format_score(criterion.required, 0)} in this dimension"
    )
    if criterion.met:
        return (
            f"{head}, yet it already meets the {format_score(criterion.required, 0)} that "
            f"phase {placement.next_phase} needs: no single dimension holds the organization back."
        )
    return f"{head} and blocks phase {placement.next_phase}, which needs {needs}."


def _strongest(strongest: dict) -> str:
    return (
        f"{strongest['title']} ({format_score(strongest['score'])}/100) is the strongest "
        "dimension: a base the weaker dimensions can build on."
    )


def _unscored(unscored: list[dict]) -> str:
    names = _join(
        [
            f"{d['title']} ({format_percent(d['coverage'])} of its questions answered)"
            for d in unscored
        ]
    )
    verb = "has" if len(unscored) == 1 else "have"
    pronoun = "it" if len(unscored) == 1 else "they"
    return (
        f"{names} {verb} not enough answers to score: {pronoun} cannot pass a roadmap gate "
        "until more executives answer."
    )


def _missing(next_criteria: Sequence, placement) -> str:
    if placement.next_phase is None:
        return ""
    open_dimensions = [c for c in next_criteria if c.kind == "dimension" and not c.met]
    use_cases = [c for c in next_criteria if c.kind == "use_cases" and not c.met]
    if not open_dimensions and not use_cases:
        return ""
    parts = []
    if open_dimensions:
        parts.append(
            f"{format_score(displayed_points_missing(next_criteria))} points across "
            f"{_count(len(open_dimensions), 'dimension')}"
        )
    for c in use_cases:
        parts.append(f"more use cases in production ({use_cases_phrase(c.actual, c.required)})")
    met = sum(c.met for c in next_criteria)
    return (
        f"{met} of {len(next_criteria)} entry criteria of phase {placement.next_phase} are met; "
        f"it still takes {' and '.join(parts)}, so the recommendations below target those gaps."
    )


def _peers(peers: dict) -> str:
    percentile = peers["percentile"]
    phrase = percentile_phrase(percentile)
    cohort = f"{peers['label'].lower()} (cohort of {peers['size']})"
    if percentile >= 75:
        meaning = "ahead of most peers, a position to defend"
    elif percentile >= 50:
        meaning = "ahead of the median peer, with room to lead"
    elif percentile >= 25:
        meaning = "behind the median peer: competitors scale AI faster"
    else:
        meaning = "behind most peers: competitors scale AI faster"
    where = f"At the {phrase}" if phrase.endswith("percentile") else phrase.capitalize()
    return f"{where} among {cohort}, the organization is {meaning}."


def _pitfalls(pitfalls: Sequence[dict]) -> str:
    titles = _join([p["title"].lower() for p in pitfalls])
    many = len(pitfalls) > 1
    return (
        f"{_count(len(pitfalls), 'known pitfall').capitalize()} {'are' if many else 'is'} "
        f"triggered ({titles}): {'each is' if many else 'it is'} a common reason pilots fail "
        "to scale, and the risk register gives the mitigation."
    )


def _count(n: int, noun: str) -> str:
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven"}
    return f"{words.get(n, str(n))} {noun}{'' if n == 1 else 's'}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"
