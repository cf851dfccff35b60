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

Sentences are written in the active language (gettext): each finding is one whole
sentence in the catalogue, so the German reads as German, not word for word.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from common.display import (
    format_percent,
    format_score,
    is_german,
    percentile_is_rank,
    percentile_phrase,
)
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
    return ngettext(
        "%(actual)s of %(required)s use case",
        "%(actual)s of %(required)s use cases",
        int(required),
    ) % {"actual": int(actual or 0), "required": int(required)}


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
        return [_("No executive has submitted answers yet: there is nothing to score.")]
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
            ngettext(
                "Executives disagree by %(spread)s levels or more on one question: the "
                "scores there average different views, which need to be reconciled before "
                "decisions rest on them.",
                "Executives disagree by %(spread)s levels or more on %(count)s questions: the "
                "scores there average different views, which need to be reconciled before "
                "decisions rest on them.",
                misaligned,
            )
            % {"spread": misalignment_spread, "count": _number_word(misaligned)}
        )
    if knowledge_gaps:
        out.append(
            ngettext(
                'One question drew a "Don\'t know": finding out the answers comes before '
                "deciding on them.",
                '%(count)s questions drew a "Don\'t know": finding out the answers comes '
                "before deciding on them.",
                knowledge_gaps,
            )
            % {"count": _number_word(knowledge_gaps).capitalize()}
        )
    return out[:FINDINGS_SHOWN]


def _position(overall: dict, placement) -> str:
    values = {
        "index": format_score(overall["index"]),
        "level": overall["level"],
        "level_name": overall["level_name"],
        "phase": placement.phase,
        "phase_name": placement.phase_name,
        "next_phase": placement.next_phase,
        "next_phase_name": placement.next_phase_name,
    }
    if placement.next_phase:
        return (
            _(
                "With an AI scaling index of %(index)s/100 the organization is at level "
                "%(level)s, %(level_name)s, and in roadmap phase %(phase)s, %(phase_name)s: "
                "the next step is phase %(next_phase)s, %(next_phase_name)s."
            )
            % values
        )
    return (
        _(
            "With an AI scaling index of %(index)s/100 the organization is at level "
            "%(level)s, %(level_name)s, and in roadmap phase %(phase)s, %(phase_name)s, the "
            "last phase: the task is to sustain and measure returns."
        )
        % values
    )


def _weakest(weakest: dict, next_criteria: Sequence, placement) -> str:
    values = {"title": weakest["title"], "score": format_score(weakest["score"])}
    criterion = next(
        (c for c in next_criteria if c.kind == "dimension" and c.dimension == weakest["key"]),
        None,
    )
    if criterion is None or placement.next_phase is None:
        return (
            _(
                "%(title)s (%(score)s/100) is the weakest dimension: it is where effort "
                "raises the index most."
            )
            % values
        )
    values |= {"required": format_score(criterion.required, 0), "phase": placement.next_phase}
    if criterion.met:
        return (
            _(
                "%(title)s (%(score)s/100) is the weakest dimension, yet it already meets the "
                "%(required)s that phase %(phase)s needs: no single dimension holds the "
                "organization back."
            )
            % values
        )
    required = [c.required for c in next_criteria if c.kind == "dimension"]
    if len(set(required)) == 1 and len(required) > 1:
        return (
            _(
                "%(title)s (%(score)s/100) is the weakest dimension and blocks phase "
                "%(phase)s, which needs %(required)s in every dimension."
            )
            % values
        )
    return (
        _(
            "%(title)s (%(score)s/100) is the weakest dimension and blocks phase %(phase)s, "
            "which needs at least %(required)s in this dimension."
        )
        % values
    )


def _strongest(strongest: dict) -> str:
    return _(
        "%(title)s (%(score)s/100) is the strongest dimension: a base the weaker dimensions "
        "can build on."
    ) % {"title": strongest["title"], "score": format_score(strongest["score"])}


def _unscored(unscored: list[dict]) -> str:
    names = _join(
        [
            _("%(title)s (%(coverage)s of its questions answered)")
            % {"title": d["title"], "coverage": format_percent(d["coverage"])}
            for d in unscored
        ]
    )
    return ngettext(
        "%(names)s has not enough answers to score: it cannot pass a roadmap gate until more "
        "executives answer.",
        "%(names)s have not enough answers to score: they cannot pass a roadmap gate until "
        "more executives answer.",
        len(unscored),
    ) % {"names": names}


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
            ngettext(
                "%(points)s points across one dimension",
                "%(points)s points across %(count)s dimensions",
                len(open_dimensions),
            )
            % {
                "points": format_score(displayed_points_missing(next_criteria)),
                "count": _number_word(len(open_dimensions)),
            }
        )
    for c in use_cases:
        parts.append(
            _("more use cases in production (%(use_cases)s)")
            % {"use_cases": use_cases_phrase(c.actual, c.required)}
        )
    return _(
        "%(met)s of %(total)s entry criteria of phase %(phase)s are met; it still takes "
        "%(missing)s, so the recommendations below target those gaps."
    ) % {
        "met": sum(c.met for c in next_criteria),
        "total": len(next_criteria),
        "phase": placement.next_phase,
        "missing": _join(parts, all_joined=True),
    }


def _peers(peers: dict) -> str:
    percentile = peers["percentile"]
    if percentile >= 75:
        meaning = _("ahead of most peers, a position to defend")
    elif percentile >= 50:
        meaning = _("ahead of the median peer, with room to lead")
    elif percentile >= 25:
        meaning = _("behind the median peer: competitors scale AI faster")
    else:
        meaning = _("behind most peers: competitors scale AI faster")
    values = {
        "percentile": percentile_phrase(percentile),
        # English writes the cohort inside the sentence in lower case; German nouns keep
        # their capital.
        "label": peers["label"] if is_german() else peers["label"].lower(),
        "size": peers["size"],
        "meaning": meaning,
    }
    if percentile_is_rank(percentile):
        sentence = _(
            "At the %(percentile)s among %(label)s (cohort of %(size)s), the organization is "
            "%(meaning)s."
        )
    elif percentile <= 0:
        sentence = _(
            "Below every peer among %(label)s (cohort of %(size)s), the organization is "
            "%(meaning)s."
        )
    else:
        sentence = _(
            "Above every peer among %(label)s (cohort of %(size)s), the organization is "
            "%(meaning)s."
        )
    return sentence % values


def _pitfalls(pitfalls: Sequence[dict]) -> str:
    titles = _join([p["title"] if is_german() else p["title"].lower() for p in pitfalls])
    return ngettext(
        "One known pitfall is triggered (%(titles)s): it is a common reason pilots fail to "
        "scale, and the risk register gives the mitigation.",
        "%(count)s known pitfalls are triggered (%(titles)s): each is a common reason pilots "
        "fail to scale, and the risk register gives the mitigation.",
        len(pitfalls),
    ) % {"titles": titles, "count": _number_word(len(pitfalls)).capitalize()}


def _number_word(n: int) -> str:
    """2 → "two" (up to seven), larger counts as digits."""
    words = {
        1: _("one"),
        2: _("two"),
        3: _("three"),
        4: _("four"),
        5: _("five"),
        6: _("six"),
        7: _("seven"),
    }
    return words.get(n, str(n))


def _join(items: list[str], all_joined: bool = False) -> str:
    """ "a, b and c"; with `all_joined` every item is joined by "and" ("a and b and c")."""
    if len(items) <= 1:
        return "".join(items)
    first = _join(items[:-1], all_joined=True) if all_joined else ", ".join(items[:-1])
    return _("%(first)s and %(last)s") % {"first": first, "last": items[-1]}
