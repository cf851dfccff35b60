"""Benchmark reference data: ROI bands, industry case studies and market figures (DESIGN §7).

Pure: parse and validate a benchmarks file into dataclasses. A malformed file raises
`BenchmarkDataError` naming the file and the offending entry. Every figure must carry
its source, because the product only ever shows figures as cited.

From 2026.2 a source is a mapping: the primary source the article names (`publisher`:
Gartner, AWS, the company of a case study…; absent when the article names none), the
article itself being the secondary source of every figure (`article`: its title and what
is known of it). Earlier versions cite a free text, kept as the source's title.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import yaml
from django.utils.translation import gettext as _

from common.display import localize_number
from common.reference_text import TranslationError, translate
from organizations.models import Industry

from .roi import METRICS, Band

KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{1,63}$")
TOP_LEVEL = {"version", "article", "roi_bands", "case_studies", "market_figures", "outlook"}
BAND_FIELDS = {"metric", "title", "low", "high", "description", "source"}
CASE_FIELDS = {"key", "industry", "title", "result", "metric", "value", "unit", "source"}
FIGURE_FIELDS = {"key", "value", "unit", "statement", "wording", "source"}
SOURCE_FIELDS = {"publisher"}
ARTICLE_FIELDS = {"title", "about"}
OUTLOOK_FIELDS = {"title", "text"}
# What a translation file (`benchmarks-2026.2.de.yaml` beside `benchmarks-2026.2.yaml`)
# gives: what users read of each figure. ROI bands are keyed by their metric, case
# studies and market figures by their key, outlook trends by their position (1, 2, …);
# of the article only `about`. Sources (publishers, the article's title), units and
# values stay as published.
TEXTS = frozenset({"title", "description", "result", "statement", "wording", "text"})
ARTICLE_TEXTS = frozenset({"about"})


class BenchmarkDataError(ValueError):
    """A benchmarks file that cannot be loaded; the message names file and entry."""


@dataclass(frozen=True)
class Source:
    """Who a figure comes from: `publisher`, the primary source the article names (None
    when it names none), and `title`, the article, the secondary source of every figure
    (or, before 2026.2, the free-text citation)."""

    publisher: str | None
    title: str
    cited_in_article: bool = True

    @property
    def citation(self) -> str:
        if not self.cited_in_article:
            return self.title
        if self.publisher:
            return _("%(publisher)s, as cited in “%(title)s”") % {
                "publisher": self.publisher,
                "title": self.title,
            }
        return _("“%(title)s” (no primary source named)") % {"title": self.title}

    def __str__(self) -> str:
        return self.citation


def _range(low: float, high: float) -> str:
    """ "15–30", German decimal commas included ("2,5–4")."""
    return f"{localize_number(f'{low:g}')}–{localize_number(f'{high:g}')}"


@dataclass(frozen=True)
class Article:
    title: str
    about: str


@dataclass(frozen=True)
class Trend:
    title: str
    text: str


@dataclass(frozen=True)
class RoiBand:
    metric: str
    title: str
    low: float
    high: float
    description: str
    source: Source

    def band(self) -> Band:
        return Band(self.metric, self.low, self.high)


@dataclass(frozen=True)
class CaseStudy:
    key: str
    industry: str
    title: str
    result: str
    metric: str
    value: float
    unit: str
    source: Source


@dataclass(frozen=True)
class MarketFigure:
    key: str
    value: float
    unit: str
    statement: str
    source: Source
    wording: str  # the figure as the article words it


@dataclass(frozen=True)
class BenchmarkReference:
    version: str
    roi_bands: tuple[RoiBand, ...]
    case_studies: tuple[CaseStudy, ...]
    market_figures: tuple[MarketFigure, ...]
    checksum: str
    article: Article | None = None
    outlook: tuple[Trend, ...] = ()

    def sources(self) -> list[tuple[str, str, Source]]:
        """Every figure as (kind, what it says, source), for a sources page."""
        band, study, figure = _("ROI band"), _("Case study"), _("Market figure")
        return [
            *((band, f"{b.title}: {_range(b.low, b.high)} %", b.source) for b in self.roi_bands),
            *((study, f"{c.title}: {c.result}", c.source) for c in self.case_studies),
            *((figure, f.wording, f.source) for f in self.market_figures),
        ]

    def bands(self) -> list[Band]:
        return [b.band() for b in self.roi_bands]

    def case_studies_for(self, industry: str) -> list[CaseStudy]:
        return [c for c in self.case_studies if c.industry == industry]

    def figure(self, key: str) -> MarketFigure | None:
        return next((f for f in self.market_figures if f.key == key), None)


def translate_benchmarks(raw: dict, translation: object, *, source: str) -> dict:
    """The English benchmarks document with the translation's texts laid over it. Raises
    BenchmarkDataError listing every missing, unknown or misshapen text, one per line."""
    if not isinstance(translation, dict):
        raise BenchmarkDataError(f"{source}: the file must be a mapping")
    body = {name: value for name, value in raw.items() if name != "article"}
    if isinstance(body.get("roi_bands"), list):
        body["roi_bands"] = [{**band, "key": band.get("metric")} for band in body["roi_bands"]]
    if isinstance(body.get("outlook"), list):
        body["outlook"] = [
            {**trend, "number": position} for position, trend in enumerate(body["outlook"], 1)
        ]
    given = {name: value for name, value in translation.items() if name != "article"}
    errors: list[str] = []
    try:
        translated = translate(body, given, texts=TEXTS)
    except TranslationError as exc:
        errors.extend(exc.errors)
        translated = body
    if "article" in raw or "article" in translation:
        try:
            article = translate(
                {"article": raw.get("article")},
                {"article": translation.get("article")} if "article" in translation else {},
                texts=ARTICLE_TEXTS,
            )["article"]
        except TranslationError as exc:
            errors.extend(exc.errors)
            article = raw.get("article")
        if "article" in raw:
            translated = {"article": article, **translated}
    if errors:
        raise BenchmarkDataError("\n".join(f"{source}: {error}" for error in errors))
    for band in translated.get("roi_bands") or []:
        band.pop("key", None)
    for trend in translated.get("outlook") or []:
        trend.pop("number", None)
    return translated


def load_benchmarks_file(path: Path, *, industries: Collection[str] | None = None):
    """Read and validate a file; returns (reference, raw document)."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BenchmarkDataError(f"{path}: cannot be read as YAML: {exc}") from exc
    return parse_benchmarks(raw, source=str(path), industries=industries), raw


def parse_benchmarks(
    raw: object, *, source: str, industries: Collection[str] | None = None
) -> BenchmarkReference:
    """Validate a decoded benchmarks document.

    `industries`: the industry keys a case study may name; by default the
    organizations' Industry choices.
    """

    def fail(where: str, message: str) -> BenchmarkDataError:
        return BenchmarkDataError(f"{source}: {where}: {message}")

    if not isinstance(raw, dict):
        raise BenchmarkDataError(f"{source}: the file must be a mapping")
    _no_unknown(raw, TOP_LEVEL, "top level", fail)
    article = _article(raw.get("article"), fail)
    version = raw.get("version")
    if not isinstance(version, str) or not re.fullmatch(
        r"[0-9A-Za-z][0-9A-Za-z._-]{0,31}", version
    ):
        raise fail("version", "must be a short string such as '2026.1'")
    return BenchmarkReference(
        version=version,
        roi_bands=_bands(raw.get("roi_bands"), fail, article),
        case_studies=_case_studies(raw.get("case_studies"), fail, _industries(industries), article),
        market_figures=_figures(raw.get("market_figures"), fail, article),
        checksum=hashlib.sha256(json.dumps(raw, sort_keys=True).encode()).hexdigest(),
        article=article,
        outlook=_outlook(raw.get("outlook"), fail),
    )


def _industries(industries: Collection[str] | None) -> set[str]:
    if industries is not None:
        return set(industries)
    return set(Industry.values)


def _no_unknown(item: dict, allowed: set[str], where: str, fail) -> None:
    unknown = set(item) - allowed
    if unknown:
        raise fail(where, f"unknown field(s) {', '.join(sorted(map(str, unknown)))}")


def _text(item: dict, name: str, where: str, fail, *, required: bool = True) -> str:
    value = item.get(name)
    if value is None and not required:
        return ""
    if not isinstance(value, str) or not value.strip():
        raise fail(where, f"{name!r} must be a non-empty string")
    return value.strip()


def _number(value, where: str, name: str, fail, *, low=None, high=None) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise fail(where, f"{name!r} must be a number")
    if low is not None and value < low:
        raise fail(where, f"{name!r} must be at least {low:g}")
    if high is not None and value > high:
        raise fail(where, f"{name!r} must be at most {high:g}")
    return float(value)


def _entries(raw, name: str, fail) -> list[dict]:
    if not isinstance(raw, list) or not raw:
        raise fail(name, "must be a non-empty list")
    if not all(isinstance(item, dict) for item in raw):
        raise fail(name, "each entry must be a mapping")
    return raw


def _article(raw, fail) -> Article | None:
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise fail("article", "must be a mapping with a title")
    _no_unknown(raw, ARTICLE_FIELDS, "article", fail)
    return Article(
        title=_text(raw, "title", "article", fail),
        about=_text(raw, "about", "article", fail, required=False),
    )


def _source(item: dict, where: str, fail, article: Article | None) -> Source:
    """A mapping (needs the file's `article`) or, before 2026.2, a free-text citation."""
    raw = item.get("source")
    if isinstance(raw, dict):
        if article is None:
            raise fail(where, "a source mapping needs the file's 'article'")
        _no_unknown(raw, SOURCE_FIELDS, f"{where} source", fail)
        publisher = _text(raw, "publisher", f"{where} source", fail, required=False)
        return Source(publisher=publisher or None, title=article.title)
    return Source(publisher=None, title=_text(item, "source", where, fail), cited_in_article=False)


def _outlook(raw, fail) -> tuple[Trend, ...]:
    if raw is None:
        return ()
    trends = []
    for item in _entries(raw, "outlook", fail):
        where = f"outlook {item.get('title')}"
        _no_unknown(item, OUTLOOK_FIELDS, where, fail)
        trends.append(
            Trend(title=_text(item, "title", where, fail), text=_text(item, "text", where, fail))
        )
    return tuple(trends)


def _bands(raw, fail, article: Article | None) -> tuple[RoiBand, ...]:
    bands = []
    for item in _entries(raw, "roi_bands", fail):
        metric = item.get("metric")
        where = f"ROI band {metric}"
        if metric not in METRICS:
            raise fail(where, f"metric must be one of {', '.join(METRICS)}")
        if any(b.metric == metric for b in bands):
            raise fail(where, "a metric may have only one band")
        _no_unknown(item, BAND_FIELDS, where, fail)
        low = _number(item.get("low"), where, "low", fail, low=0, high=100)
        high = _number(item.get("high"), where, "high", fail, low=0, high=100)
        if low >= high:
            raise fail(where, "low must be below high")
        bands.append(
            RoiBand(
                metric=metric,
                title=_text(item, "title", where, fail),
                low=low,
                high=high,
                description=_text(item, "description", where, fail, required=False),
                source=_source(item, where, fail, article),
            )
        )
    missing = [m for m in METRICS if m not in {b.metric for b in bands}]
    if missing:
        raise fail("roi_bands", f"missing band(s) for {', '.join(missing)}")
    return tuple(sorted(bands, key=lambda b: METRICS.index(b.metric)))


def _unique_key(item: dict, seen: set[str], kind: str, fail) -> str:
    key = item.get("key")
    if not isinstance(key, str) or not KEY_PATTERN.match(key) or key in seen:
        raise fail(f"{kind} {key}", "needs a unique key (lower case, digits and _)")
    seen.add(key)
    return key


def _case_studies(
    raw, fail, industries: set[str], article: Article | None
) -> tuple[CaseStudy, ...]:
    seen: set[str] = set()
    studies = []
    for item in _entries(raw, "case_studies", fail):
        key = _unique_key(item, seen, "case study", fail)
        where = f"case study {key}"
        _no_unknown(item, CASE_FIELDS, where, fail)
        if item.get("industry") not in industries:
            raise fail(where, f"unknown industry {item.get('industry')!r}")
        studies.append(
            CaseStudy(
                key=key,
                industry=item["industry"],
                title=_text(item, "title", where, fail),
                result=_text(item, "result", where, fail),
                metric=_text(item, "metric", where, fail),
                value=_number(item.get("value"), where, "value", fail, low=0),
                unit=_text(item, "unit", where, fail),
                source=_source(item, where, fail, article),
            )
        )
    return tuple(studies)


def _figures(raw, fail, article: Article | None) -> tuple[MarketFigure, ...]:
    seen: set[str] = set()
    figures = []
    for item in _entries(raw, "market_figures", fail):
        key = _unique_key(item, seen, "market figure", fail)
        where = f"market figure {key}"
        _no_unknown(item, FIGURE_FIELDS, where, fail)
        value = _number(item.get("value"), where, "value", fail, low=0)
        unit = _text(item, "unit", where, fail)
        statement = _text(item, "statement", where, fail)
        wording = _text(item, "wording", where, fail, required=article is not None)
        figures.append(
            MarketFigure(
                key=key,
                value=value,
                unit=unit,
                statement=statement,
                source=_source(item, where, fail, article),
                wording=wording or f"{value:g} {unit} {statement}",
            )
        )
    return tuple(figures)
