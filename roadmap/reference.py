"""Roadmap reference data: phases, entry gates and the recommendations library.

Pure: parse and validate a roadmap file into dataclasses. A malformed file raises
`RoadmapDataError` naming the file and the offending entry.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import yaml

from assessments.bank import DIMENSION_KEYS
from common.reference_text import TranslationError, translate

HORIZONS = ("quick_win", "strategic")
PHASE_COUNT = 4
# What a translation file (`roadmap-2026.2.de.yaml` beside `roadmap-2026.2.yaml`) gives:
# phase names and summaries, milestone titles and descriptions, recommendation actions
# and details. Phases are keyed by their number, milestones by their position in the
# phase (1, 2, …), recommendations by their key.
TEXTS = frozenset({"name", "summary", "title", "description", "action", "detail"})


class RoadmapDataError(ValueError):
    """A roadmap file that cannot be loaded; the message names file and entry."""


@dataclass(frozen=True)
class MilestoneTemplate:
    title: str
    description: str
    dimension: str


@dataclass(frozen=True)
class Phase:
    phase: int
    name: str
    start_month: int
    end_month: int | None  # None: ongoing
    summary: str
    milestones: tuple[MilestoneTemplate, ...]


@dataclass(frozen=True)
class Gate:
    """Entry gate of a phase: minimum dimension scores and, optionally, use cases live."""

    phase: int
    minimums: tuple[tuple[str, float], ...]  # (dimension, minimum score), bank order
    use_cases_in_production: int | None


@dataclass(frozen=True)
class Recommendation:
    key: str
    dimension: str
    min_score: float
    max_score: float
    horizon: str
    action: str
    detail: str
    questions: tuple[str, ...]


@dataclass(frozen=True)
class RoadmapReference:
    version: str
    phases: tuple[Phase, ...]
    gates: tuple[Gate, ...]
    recommendations: tuple[Recommendation, ...]
    checksum: str
    # The question bank whose question keys the recommendations name: `bank` in the file,
    # else the file's own version (2026.1 pairs with bank 2026.1).
    bank_version: str = ""

    def phase(self, number: int) -> Phase:
        return next(p for p in self.phases if p.phase == number)


def translation_path(path: Path, language: str) -> Path:
    """`roadmap-2026.2.yaml` → `roadmap-2026.2.de.yaml`."""
    return path.with_name(f"{path.stem}.{language}{path.suffix}")


def is_translation_file(path: Path, languages) -> bool:
    return any(path.stem.endswith(f".{language}") for language in languages)


def translate_roadmap(raw: dict, translation: object, *, source: str) -> dict:
    """The English roadmap document with the translation's texts laid over it. Raises
    RoadmapDataError listing every missing, unknown or misshapen text, one per line."""
    if not isinstance(translation, dict):
        raise RoadmapDataError(f"{source}: the file must be a mapping")
    numbered = {
        **raw,
        "phases": [
            {
                **phase,
                "milestones": [
                    {**milestone, "number": position}
                    for position, milestone in enumerate(phase.get("milestones") or [], start=1)
                ],
            }
            for phase in raw.get("phases") or []
        ],
    }
    try:
        translated = translate(numbered, translation, texts=TEXTS)
    except TranslationError as exc:
        raise RoadmapDataError("\n".join(f"{source}: {error}" for error in exc.errors)) from exc
    for phase in translated.get("phases") or []:
        phase["milestones"] = [
            {name: value for name, value in milestone.items() if name != "number"}
            for milestone in phase.get("milestones") or []
        ]
    return translated


def load_roadmap_file(path: Path, question_dimensions: dict[str, str] | None = None):
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise RoadmapDataError(f"{path}: cannot be read as YAML: {exc}") from exc
    return parse_roadmap(raw, source=str(path), question_dimensions=question_dimensions)


def parse_roadmap(
    raw: object, *, source: str, question_dimensions: dict[str, str] | None = None
) -> RoadmapReference:
    """Validate a decoded roadmap document.

    `question_dimensions` (question key → dimension) checks that each recommendation
    names questions of its own dimension; without it only the shape is checked.
    """

    def fail(where: str, message: str) -> RoadmapDataError:
        return RoadmapDataError(f"{source}: {where}: {message}")

    if not isinstance(raw, dict):
        raise RoadmapDataError(f"{source}: the file must be a mapping")
    unknown = set(raw) - {"version", "bank", "phases", "gates", "recommendations"}
    if unknown:
        raise fail("top level", f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
    version = raw.get("version")
    if not isinstance(version, str) or not version.strip():
        raise fail("version", "must be a non-empty string")
    bank_version = raw.get("bank", version)
    if not isinstance(bank_version, str) or not bank_version.strip():
        raise fail("bank", 'must be a question bank version such as "2026.2"')
    phases = _phases(raw.get("phases"), fail)
    gates = _gates(raw.get("gates"), fail)
    recommendations = _recommendations(raw.get("recommendations"), fail, question_dimensions)
    return RoadmapReference(
        version=version,
        phases=phases,
        gates=gates,
        recommendations=recommendations,
        checksum=hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest(),
        bank_version=bank_version,
    )


def _text(item: dict, name: str, where: str, fail, *, required: bool = True) -> str:
    value = item.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise fail(where, f"{name!r} must be a non-empty string")
    return value.strip()


def _number(value, where: str, name: str, fail, *, low: float = 0, high: float = 100) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not low <= value <= high:
        raise fail(where, f"{name!r} must be a number from {low:g} to {high:g}")
    return float(value)


def _phases(raw, fail) -> tuple[Phase, ...]:
    if not isinstance(raw, list) or len(raw) != PHASE_COUNT:
        raise fail("phases", f"must list exactly {PHASE_COUNT} phases")
    phases = []
    for position, item in enumerate(raw, start=1):
        where = f"phase {position}"
        if not isinstance(item, dict) or item.get("phase") != position:
            raise fail(where, "phases must be mappings numbered 1 to 4 in order")
        start, end = item.get("start_month"), item.get("end_month")
        if (
            not isinstance(start, int)
            or start < 1
            or (end is not None and (not isinstance(end, int) or end < start))
        ):
            raise fail(where, "start_month must be ≥ 1 and end_month ≥ start_month (or null)")
        if phases and start != (phases[-1].end_month or 0) + 1:
            raise fail(where, "phases must follow each other month by month")
        if end is None and position != PHASE_COUNT:
            raise fail(where, "only the last phase may be ongoing (end_month: null)")
        milestones = item.get("milestones")
        if not isinstance(milestones, list) or not milestones:
            raise fail(where, "milestones must be a non-empty list")
        templates = []
        for m in milestones:
            if not isinstance(m, dict) or m.get("dimension") not in DIMENSION_KEYS:
                raise fail(where, f"milestone {m!r} needs a title and a known dimension")
            templates.append(
                MilestoneTemplate(
                    title=_text(m, "title", where, fail),
                    description=_text(m, "description", where, fail, required=False),
                    dimension=m["dimension"],
                )
            )
        phases.append(
            Phase(
                phase=position,
                name=_text(item, "name", where, fail),
                start_month=start,
                end_month=end,
                summary=_text(item, "summary", where, fail, required=False),
                milestones=tuple(templates),
            )
        )
    return tuple(phases)


def _gates(raw, fail) -> tuple[Gate, ...]:
    if not isinstance(raw, list) or [g.get("phase") for g in raw if isinstance(g, dict)] != [
        2,
        3,
        4,
    ]:
        raise fail("gates", "must list the entry gates of phases 2, 3 and 4 in order")
    gates = []
    for item in raw:
        where = f"gate of phase {item['phase']}"
        unknown = set(item) - {"phase", "every_dimension", "dimensions", "use_cases_in_production"}
        if unknown:
            raise fail(where, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
        minimums = {}
        if item.get("every_dimension") is not None:
            floor = _number(item["every_dimension"], where, "every_dimension", fail)
            minimums = dict.fromkeys(DIMENSION_KEYS, floor)
        specific = item.get("dimensions") or {}
        if not isinstance(specific, dict):
            raise fail(where, "dimensions must map dimension keys to minimum scores")
        for key, value in specific.items():
            if key not in DIMENSION_KEYS:
                raise fail(where, f"unknown dimension {key!r}")
            minimums[key] = max(minimums.get(key, 0.0), _number(value, where, key, fail))
        use_cases = item.get("use_cases_in_production")
        if use_cases is not None and (
            isinstance(use_cases, bool) or not isinstance(use_cases, int) or use_cases < 1
        ):
            raise fail(where, "use_cases_in_production must be a whole number ≥ 1")
        if not minimums and use_cases is None:
            raise fail(where, "a gate needs at least one criterion")
        gates.append(
            Gate(
                phase=item["phase"],
                minimums=tuple((k, minimums[k]) for k in DIMENSION_KEYS if k in minimums),
                use_cases_in_production=use_cases,
            )
        )
    return tuple(gates)


def _recommendations(raw, fail, question_dimensions) -> tuple[Recommendation, ...]:
    if not isinstance(raw, list) or not raw:
        raise fail("recommendations", "must be a non-empty list")
    seen: set[str] = set()
    items = []
    fields = {
        "key",
        "dimension",
        "min_score",
        "max_score",
        "horizon",
        "action",
        "detail",
        "questions",
    }
    for item in raw:
        if not isinstance(item, dict):
            raise fail("recommendations", "each recommendation must be a mapping")
        key = item.get("key")
        where = f"recommendation {key}"
        if not isinstance(key, str) or key in seen:
            raise fail(where, "needs a unique key")
        seen.add(key)
        unknown = set(item) - fields
        if unknown:
            raise fail(where, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")
        dimension = item.get("dimension")
        if dimension not in DIMENSION_KEYS:
            raise fail(where, f"unknown dimension {dimension!r}")
        low = _number(item.get("min_score"), where, "min_score", fail)
        high = _number(item.get("max_score"), where, "max_score", fail)
        if low >= high:
            raise fail(where, "min_score must be below max_score")
        if item.get("horizon") not in HORIZONS:
            raise fail(where, "horizon must be quick_win or strategic")
        questions = item.get("questions")
        if not isinstance(questions, list) or not questions:
            raise fail(where, "questions must be a non-empty list of question keys")
        if question_dimensions is not None:
            for q in questions:
                if question_dimensions.get(q) != dimension:
                    raise fail(where, f"question {q!r} is not a {dimension} question of the bank")
        items.append(
            Recommendation(
                key=key,
                dimension=dimension,
                min_score=low,
                max_score=high,
                horizon=item["horizon"],
                action=_text(item, "action", where, fail),
                detail=_text(item, "detail", where, fail, required=False),
                questions=tuple(questions),
            )
        )
    return tuple(items)
