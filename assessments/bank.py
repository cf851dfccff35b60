"""Question banks: parse and validate a bank file into plain dataclasses.

Pure: no Django. A malformed bank raises `BankError` naming the file and, where
it applies, the dimension or question key, so an administrator can fix it.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field, replace
from itertools import pairwise
from pathlib import Path

import yaml

from common.reference_text import TranslationError, translate

DIMENSION_KEYS = (
    "data_infrastructure",
    "talent",
    "legacy_integration",
    "ethics_compliance",
    "scalable_infrastructure",
    "organizational_readiness",
    "governance_risk",
)
DIMENSION_KINDS = ("challenge", "pillar")
MIN_QUESTIONS_PER_DIMENSION = 6
LEVEL_COUNT = 5
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
VERSION_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,31}$")
# Kinds of change from a predecessor bank's question to its successor(s).
CHANGE_KINDS = ("same", "reworded", "split", "merged", "retired")
WORD_PATTERN = re.compile(r"[0-9A-Za-z]+(?:['’.,-][0-9A-Za-z]+)*")


class BankError(ValueError):
    """A bank file that cannot be loaded; the message names file and key."""


@dataclass(frozen=True)
class MaturityLevel:
    level: int
    name: str
    min: float
    max: float
    description: str


@dataclass(frozen=True)
class Pitfall:
    key: str
    title: str
    mitigation: str
    description: str


@dataclass(frozen=True)
class Question:
    key: str
    dimension: str
    text: str
    help: str
    weight: float
    allow_na: bool
    tags: tuple[str, ...]
    levels: tuple[str, ...]
    weight_reason: str = ""


@dataclass(frozen=True)
class Dimension:
    key: str
    kind: str
    title: str
    description: str
    weight: float
    questions: tuple[Question, ...]
    weight_reason: str = ""


@dataclass(frozen=True)
class ReadingTime:
    """What the bank file states about its length; the loader checks it against the text."""

    words: int
    words_per_minute: int
    minutes: int


@dataclass(frozen=True)
class QuestionChange:
    """What became of one question of the predecessor bank."""

    predecessor: str  # question key in the predecessor bank
    change: str  # one of CHANGE_KINDS
    successors: tuple[str, ...]  # question keys in this bank (none when retired)
    reason: str


@dataclass(frozen=True)
class Predecessor:
    """The bank this one replaces, and the change to each of its questions."""

    version: str
    changes: tuple[QuestionChange, ...]

    def successors_of(self, key: str) -> tuple[str, ...]:
        return next((c.successors for c in self.changes if c.predecessor == key), ())


@dataclass(frozen=True)
class Bank:
    version: str
    title: str
    description: str
    maturity_levels: tuple[MaturityLevel, ...]
    pitfalls: tuple[Pitfall, ...]
    dimensions: tuple[Dimension, ...]
    checksum: str = field(default="")
    reading_time: ReadingTime | None = None
    predecessor: Predecessor | None = None

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for d in self.dimensions for q in d.questions)

    @property
    def words(self) -> int:
        """Words a respondent reads: the introduction, each dimension's title and
        description, each question's text, help and five level descriptions."""
        texts = [self.description]
        for dimension in self.dimensions:
            texts += [dimension.title, dimension.description]
            for question in dimension.questions:
                texts += [question.text, question.help, *question.levels]
        return sum(count_words(text) for text in texts)


def count_words(text: str) -> int:
    """Words as a reader counts them: "e.g.", "AI-supported", "3,000" are one each."""
    return len(WORD_PATTERN.findall(text))


def load_bank_file(path: Path) -> Bank:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BankError(f"{path}: cannot be read as YAML: {exc}") from exc
    return parse_bank(raw, source=str(path))


def parse_bank(raw: object, *, source: str) -> Bank:
    """Validate a decoded bank document and return it as a `Bank`."""
    where = _Where(source)
    doc = _mapping(raw, where, "the bank")
    _only_keys(
        doc,
        {
            "version",
            "title",
            "description",
            "reading_time",
            "maturity_levels",
            "pitfalls",
            "dimensions",
            "predecessor",
        },
        where,
    )
    version = _required(doc, "version", where)
    # An unquoted `2026.10` is the float 2026.1: it would load as another version.
    if not isinstance(version, str):
        raise where.error(f'version {version!r} must be a quoted string, e.g. "2026.1"')
    if not VERSION_PATTERN.match(version):
        raise where.error(f"version {version!r} must be letters, digits, '.', '_' or '-'")
    pitfalls = _parse_pitfalls(_required(doc, "pitfalls", where), where)
    dimensions = _parse_dimensions(
        _required(doc, "dimensions", where), {p.key for p in pitfalls}, where
    )
    bank = Bank(
        version=version,
        title=_text(doc, "title", where),
        description=_text(doc, "description", where, required=False),
        maturity_levels=_parse_levels(_required(doc, "maturity_levels", where), where),
        pitfalls=pitfalls,
        dimensions=dimensions,
        checksum=hashlib.sha256(json.dumps(raw, sort_keys=True, default=str).encode()).hexdigest(),
        predecessor=_parse_predecessor(doc.get("predecessor"), version, dimensions, where),
    )
    if doc.get("reading_time") is not None:
        bank = replace(bank, reading_time=_parse_reading_time(doc["reading_time"], bank, where))
    return bank


class _Where:
    def __init__(self, source: str, context: str = "") -> None:
        self.source = source
        self.context = context

    def at(self, context: str) -> _Where:
        return _Where(self.source, context)

    def error(self, message: str) -> BankError:
        prefix = f"{self.source}: {self.context}: " if self.context else f"{self.source}: "
        return BankError(prefix + message)


def _mapping(value: object, where: _Where, what: str) -> dict:
    if not isinstance(value, dict):
        raise where.error(f"{what} must be a mapping")
    return value


def _list(value: object, where: _Where, what: str) -> list:
    if not isinstance(value, list) or not value:
        raise where.error(f"{what} must be a non-empty list")
    return value


def _only_keys(item: dict, allowed: set[str], where: _Where) -> None:
    # str() first: YAML keys may be booleans or numbers (`yes:`), which do not sort with str.
    unknown = sorted(map(str, set(item) - allowed))
    if unknown:
        raise where.error(f"unknown field(s) {', '.join(unknown)}")


def _required(item: dict, name: str, where: _Where) -> object:
    if item.get(name) is None:
        raise where.error(f"missing {name!r}")
    return item[name]


def _text(item: dict, name: str, where: _Where, *, required: bool = True) -> str:
    value = item.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise where.error(f"{name!r} must be a non-empty string")
    return value.strip()


def _number(item: dict, name: str, where: _Where, *, default: float | None = None) -> float:
    value = item.get(name, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise where.error(f"{name!r} must be a number")
    return float(value)


def _whole(item: dict, name: str, where: _Where) -> int:
    value = item.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise where.error(f"{name!r} must be a whole number")
    return value


def _key(item: dict, where: _Where) -> str:
    key = item.get("key")
    if not isinstance(key, str) or not KEY_PATTERN.match(key):
        raise where.error(f"key {key!r} must be snake_case letters and digits")
    return key


def _parse_levels(raw: object, where: _Where) -> tuple[MaturityLevel, ...]:
    levels = []
    for position, item in enumerate(_list(raw, where, "maturity_levels"), start=1):
        here = where.at(f"maturity level {position}")
        item = _mapping(item, here, "a maturity level")
        _only_keys(item, {"level", "name", "min", "max", "description"}, here)
        levels.append(
            MaturityLevel(
                level=_whole(item, "level", here),
                name=_text(item, "name", here),
                min=_number(item, "min", here),
                max=_number(item, "max", here),
                description=_text(item, "description", here, required=False),
            )
        )
    if [lv.level for lv in levels] != list(range(1, len(levels) + 1)):
        raise where.at("maturity_levels").error("levels must be numbered 1, 2, 3... in order")
    if levels[0].min != 0 or levels[-1].max != 100:
        raise where.at("maturity_levels").error("bands must start at 0 and end at 100")
    for lower, upper in pairwise(levels):
        if lower.max != upper.min or lower.min >= lower.max:
            raise where.at(f"maturity level {upper.level}").error(
                "bands must be increasing and contiguous"
            )
    return tuple(levels)


def _parse_pitfalls(raw: object, where: _Where) -> tuple[Pitfall, ...]:
    pitfalls = []
    for item in _list(raw, where, "pitfalls"):
        item = _mapping(item, where, "a pitfall")
        key = _key(item, where.at("pitfall"))
        here = where.at(f"pitfall {key}")
        _only_keys(item, {"key", "title", "mitigation", "description"}, here)
        pitfalls.append(
            Pitfall(
                key=key,
                title=_text(item, "title", here),
                mitigation=_text(item, "mitigation", here),
                description=_text(item, "description", here, required=False),
            )
        )
    _unique([p.key for p in pitfalls], where, "pitfall")
    return tuple(pitfalls)


def _parse_dimensions(raw: object, pitfall_keys: set[str], where: _Where) -> tuple[Dimension, ...]:
    dimensions = [
        _parse_dimension(item, pitfall_keys, where) for item in _list(raw, where, "dimensions")
    ]
    keys = [d.key for d in dimensions]
    _unique(keys, where, "dimension")
    _all_dimensions(keys, where)
    _unique([q.key for d in dimensions for q in d.questions], where, "question")
    return tuple(dimensions)


def _all_dimensions(keys: list[str], where: _Where) -> None:
    missing = [k for k in DIMENSION_KEYS if k not in keys]
    if missing:
        raise where.error(f"missing dimension(s) {', '.join(missing)}")


def _parse_dimension(raw: object, pitfall_keys: set[str], where: _Where) -> Dimension:
    header = _dimension_header(raw, where)
    questions = tuple(
        _parse_question(q, header.key, pitfall_keys, where)
        for q in _dimension_questions(raw, where)
    )
    _enough_questions(header.key, len(questions), where)
    return replace(header, questions=questions)


def _dimension_header(raw: object, where: _Where) -> Dimension:
    """The dimension without its questions (left empty)."""
    item = _mapping(raw, where, "a dimension")
    key = _key(item, where.at("dimension"))
    here = where.at(f"dimension {key}")
    _only_keys(
        item,
        {"key", "kind", "title", "description", "weight", "weight_reason", "questions"},
        here,
    )
    if key not in DIMENSION_KEYS:
        raise here.error(f"unknown dimension; expected one of {', '.join(DIMENSION_KEYS)}")
    kind = item.get("kind")
    if kind not in DIMENSION_KINDS:
        raise here.error(f"kind {kind!r} must be 'challenge' or 'pillar'")
    weight = _number(item, "weight", here, default=1)
    if weight <= 0:
        raise here.error("weight must be greater than 0")
    return Dimension(
        key=key,
        kind=kind,
        title=_text(item, "title", here),
        description=_text(item, "description", here, required=False),
        weight=weight,
        questions=(),
        weight_reason=_text(item, "weight_reason", here, required=False),
    )


def _dimension_questions(raw: dict, where: _Where) -> list:
    return _list(raw.get("questions"), where.at(f"dimension {raw.get('key')}"), "questions")


def _enough_questions(dimension: str, count: int, where: _Where) -> None:
    if count < MIN_QUESTIONS_PER_DIMENSION:
        raise where.at(f"dimension {dimension}").error(
            f"has {count} questions; at least {MIN_QUESTIONS_PER_DIMENSION} needed"
        )


def _parse_question(raw: object, dimension: str, pitfall_keys: set[str], where: _Where) -> Question:
    item = _mapping(raw, where.at(f"dimension {dimension}"), "a question")
    key = _key(item, where.at(f"dimension {dimension}: question"))
    here = where.at(f"question {key}")
    _only_keys(
        item,
        {"key", "text", "help", "weight", "weight_reason", "allow_na", "tags", "levels"},
        here,
    )
    weight = _number(item, "weight", here, default=1)
    if weight <= 0:
        raise here.error("weight must be greater than 0")
    allow_na = item.get("allow_na", False)
    if not isinstance(allow_na, bool):
        raise here.error("allow_na must be true or false")
    tags = item.get("tags") or []
    if not isinstance(tags, list) or any(t not in pitfall_keys for t in tags):
        raise here.error(f"tags {tags!r} must be pitfall keys: {', '.join(sorted(pitfall_keys))}")
    levels = item.get("levels")
    if (
        not isinstance(levels, list)
        or len(levels) != LEVEL_COUNT
        or not all(isinstance(text, str) and text.strip() for text in levels)
    ):
        raise here.error(f"levels must be a list of exactly {LEVEL_COUNT} non-empty descriptors")
    return Question(
        key=key,
        dimension=dimension,
        text=_text(item, "text", here),
        help=_text(item, "help", here, required=False),
        weight=weight,
        allow_na=allow_na,
        tags=tuple(tags),
        levels=tuple(text.strip() for text in levels),
        weight_reason=_text(item, "weight_reason", here, required=False),
    )


def _parse_reading_time(raw: object, bank: Bank, where: _Where) -> ReadingTime:
    here = where.at("reading_time")
    item = _mapping(raw, here, "reading_time")
    _only_keys(item, {"words", "words_per_minute", "minutes"}, here)
    stated = ReadingTime(
        words=_whole(item, "words", here),
        words_per_minute=_whole(item, "words_per_minute", here),
        minutes=_whole(item, "minutes", here),
    )
    if stated.words_per_minute <= 0:
        raise here.error("words_per_minute must be greater than 0")
    # A stated length that no longer matches the text would mislead the invitation.
    if stated.words != bank.words:
        raise here.error(f"states {stated.words} words; the bank has {bank.words}")
    minutes = round(bank.words / stated.words_per_minute)
    if stated.minutes != minutes:
        raise here.error(
            f"states {stated.minutes} minutes; {bank.words} words at "
            f"{stated.words_per_minute} a minute take {minutes}"
        )
    return stated


def _parse_predecessor(
    raw: object, version: str, dimensions: tuple[Dimension, ...], where: _Where
) -> Predecessor | None:
    """The mapping from the predecessor bank's questions to this bank's. Only this bank is
    at hand here: that every predecessor question is mapped is `unmapped_predecessors`."""
    if raw is None:
        return None
    here = where.at("predecessor")
    item = _mapping(raw, here, "predecessor")
    _only_keys(item, {"version", "changes"}, here)
    predecessor_version = _text(item, "version", here)
    if predecessor_version == version:
        raise here.error("a bank cannot be its own predecessor")
    keys = {q.key for d in dimensions for q in d.questions}
    changes = []
    for entry in _list(item.get("changes"), here, "changes"):
        entry = _mapping(entry, here, "a change")
        old = entry.get("from")
        at = here.at(f"predecessor: change of {old}")
        _only_keys(entry, {"from", "change", "to", "reason"}, at)
        if not isinstance(old, str) or not KEY_PATTERN.match(old):
            raise at.error("'from' must be a question key of the predecessor bank")
        kind = entry.get("change")
        if kind not in CHANGE_KINDS:
            raise at.error(f"change {kind!r} must be one of {', '.join(CHANGE_KINDS)}")
        successors = entry.get("to") or []
        if not isinstance(successors, list) or any(k not in keys for k in successors):
            raise at.error(f"'to' {successors!r} must list question keys of bank {version}")
        expected = {"retired": "no", "split": "two or more"}.get(kind, "exactly one")
        count = len(set(successors))
        if (
            count != len(successors)
            or not {
                "no": count == 0,
                "two or more": count >= 2,
                "exactly one": count == 1,
            }[expected]
        ):
            raise at.error(f"a {kind} question needs {expected} successor(s) in 'to'")
        changes.append(
            QuestionChange(
                predecessor=old,
                change=kind,
                successors=tuple(successors),
                reason=_text(entry, "reason", at),
            )
        )
    _unique([c.predecessor for c in changes], here, "predecessor question")
    sources: dict[str, int] = {}
    for change in changes:
        for key in change.successors:
            sources[key] = sources.get(key, 0) + 1
    for change in changes:
        if change.change == "merged" and sources[change.successors[0]] < 2:
            raise here.at(f"predecessor: change of {change.predecessor}").error(
                f"merged into {change.successors[0]}, which no other question flows into"
            )
    return Predecessor(version=predecessor_version, changes=tuple(changes))


def unmapped_predecessors(bank: Bank, predecessor: Bank) -> list[str]:
    """The predecessor's question keys that the bank's mapping leaves out, and mapped
    keys the predecessor does not have (prefixed "unknown: "), so trends never lose one."""
    if bank.predecessor is None or bank.predecessor.version != predecessor.version:
        return [q.key for q in predecessor.questions]
    mapped = [c.predecessor for c in bank.predecessor.changes]
    known = [q.key for q in predecessor.questions]
    return [k for k in known if k not in mapped] + [
        f"unknown: {k}" for k in mapped if k not in known
    ]


def _unique(keys: list[str], where: _Where, what: str) -> None:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            raise where.at(f"{what} {key}").error(f"duplicate {what} key")
        seen.add(key)


# --- every problem at once, for imports and the editor ---------------------------------

# Where a problem is: a path into the bank document, e.g. ("dimensions", 2, "questions", 4).
Place = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    place: Place
    message: str


def bank_problems(raw: object, *, source: str) -> list[Problem]:
    """Every problem `parse_bank` would find, one per field or question, with its place:
    an import or an edit lists them all at once, where `parse_bank` stops at the first.
    The checks are the loader's own; an empty list means `parse_bank` accepts the bank."""
    where = _Where(source)
    problems: list[Problem] = []

    def attempt(place: Place, check) -> bool:
        try:
            check()
        except BankError as error:
            problems.append(Problem(place, str(error)))
            return False
        return True

    if not attempt((), lambda: _mapping(raw, where, "the bank")):
        return problems
    pitfalls = raw.get("pitfalls")
    if attempt(("pitfalls",), lambda: _list(pitfalls, where, "pitfalls")):
        for index, item in enumerate(pitfalls):
            attempt(("pitfalls", index), lambda item=item: _parse_pitfalls([item], where))
        attempt(("pitfalls",), lambda: _unique([_raw_key(p) for p in pitfalls], where, "pitfall"))
    pitfall_keys = {_raw_key(p) for p in pitfalls} if isinstance(pitfalls, list) else set()
    attempt(("maturity_levels",), lambda: _parse_levels(raw.get("maturity_levels"), where))
    dimensions = raw.get("dimensions")
    if attempt(("dimensions",), lambda: _list(dimensions, where, "dimensions")):
        for d_index, item in enumerate(dimensions):
            place = ("dimensions", d_index)
            if not attempt(place, lambda item=item: _dimension_header(item, where)):
                continue
            questions = item.get("questions")
            if not attempt(place, lambda item=item: _dimension_questions(item, where)):
                continue
            for q_index, question in enumerate(questions):
                attempt(
                    (*place, "questions", q_index),
                    lambda question=question, key=item["key"]: _parse_question(
                        question, key, pitfall_keys, where
                    ),
                )
            count = len(questions)
            attempt(
                place, lambda key=item["key"], count=count: _enough_questions(key, count, where)
            )
        keys = [_raw_key(d) for d in dimensions]
        attempt(("dimensions",), lambda: _unique(keys, where, "dimension"))
        attempt(("dimensions",), lambda: _all_dimensions(keys, where))
        question_places = {}
        for d_index, item in enumerate(dimensions):
            for q_index, question in enumerate(_raw_list(item, "questions")):
                key = _raw_key(question)
                if key in question_places:
                    problems.append(
                        Problem(
                            ("dimensions", d_index, "questions", q_index),
                            str(where.at(f"question {key}").error("duplicate question key")),
                        )
                    )
                question_places.setdefault(key, (d_index, q_index))
    if not problems:
        # What needs the whole bank: the header, the predecessor mapping, the reading time.
        attempt((), lambda: parse_bank(raw, source=source))
    return problems


def _raw_key(item: object) -> object:
    return item.get("key") if isinstance(item, dict) else None


def _raw_list(item: object, name: str) -> list:
    value = item.get(name) if isinstance(item, dict) else None
    return value if isinstance(value, list) else []


# --- translations ------------------------------------------------------------------------

# The fields of a bank file a translation gives (common.reference_text): everything a
# respondent or a reader of the results sees. Keys, kinds, weights, tags, bands, the
# predecessor mapping and the stated reading time stay in the English file.
BANK_TEXTS = frozenset(
    {"title", "description", "name", "text", "help", "levels", "mitigation", "weight_reason"}
)
# Sections of the English file a translation leaves out: they hold no reader's text
# (the predecessor's reasons are for bank editors) or describe the English text only.
UNTRANSLATED_SECTIONS = ("version", "predecessor", "reading_time")


def load_translation_file(
    path: Path, english: object, *, language: str, source: str | None = None
) -> dict:
    """The bank's texts in `language` (`bank_texts`) from its translation file, laid over
    the decoded English bank document. Raises BankError listing every problem, one a line."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BankError(f"{source or path}: cannot be read as YAML: {exc}") from exc
    return translate_bank(english, raw, source=source or str(path), language=language)


def translate_bank(english: object, translation: object, *, source: str, language: str) -> dict:
    """`bank_texts` of the bank `english` (its decoded file) in the language of
    `translation` (the same structure, texts only). BankError lists every problem."""
    if not isinstance(english, dict):
        raise BankError(f"{source}: the English bank must be a mapping")
    if not isinstance(translation, dict):
        raise BankError(f"{source}: a translation must be a mapping")
    errors = []
    version = translation.get("version")
    if version is not None and str(version) != str(english.get("version")):
        errors.append(
            f"version: {version!r} is not the English file's version {english.get('version')!r}"
        )
    errors += [
        f"{name}: is not translated; leave it out of the translation"
        for name in UNTRANSLATED_SECTIONS[1:]
        if name in translation
    ]
    base = {k: v for k, v in english.items() if k not in UNTRANSLATED_SECTIONS}
    given = {k: v for k, v in translation.items() if k not in UNTRANSLATED_SECTIONS}
    try:
        merged = translate(base, given, texts=BANK_TEXTS)
    except TranslationError as exc:
        errors += exc.errors
    if errors:
        raise BankError(f"{source}: {language} translation:\n" + "\n".join(errors))
    merged["version"] = english.get("version")
    try:
        translated = parse_bank(merged, source=source)
    except BankError as exc:
        raise BankError(f"{source}: {language} translation: {exc}") from exc
    return bank_texts(translated)


def bank_texts(bank: Bank) -> dict:
    """Every text of a bank by key, as stored per language (QuestionBank.translations)."""
    return {
        "title": bank.title,
        "description": bank.description,
        "maturity_levels": {
            str(level.level): {"name": level.name, "description": level.description}
            for level in bank.maturity_levels
        },
        "pitfalls": {
            p.key: {"title": p.title, "mitigation": p.mitigation, "description": p.description}
            for p in bank.pitfalls
        },
        "dimensions": {
            d.key: {
                "title": d.title,
                "description": d.description,
                "weight_reason": d.weight_reason,
            }
            for d in bank.dimensions
        },
        "questions": {
            q.key: {
                "text": q.text,
                "help": q.help,
                "levels": list(q.levels),
                "weight_reason": q.weight_reason,
            }
            for q in bank.questions
        },
    }
