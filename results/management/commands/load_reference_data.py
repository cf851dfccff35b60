import json
from pathlib import Path

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.bank import Bank, BankError, load_bank_file, unmapped_predecessors
from assessments.models import Question, QuestionBank
from assessments.selectors import latest_bank
from assessments.services import question_bank_load
from benchmarks.models import BenchmarkReferenceData
from benchmarks.reference import BenchmarkDataError, parse_benchmarks, translate_benchmarks
from benchmarks.services import benchmark_reference_load
from roadmap.models import RoadmapReferenceData
from roadmap.reference import (
    RoadmapDataError,
    is_translation_file,
    parse_roadmap,
    translate_roadmap,
    translation_path,
)
from roadmap.services import roadmap_reference_load

BANKS_DIR = settings.BASE_DIR / "assessments" / "banks"
ROADMAP_DIR = settings.BASE_DIR / "roadmap" / "data"
BENCHMARKS_DIR = settings.BASE_DIR / "benchmarks" / "data"


class Command(BaseCommand):
    help = (
        "Validate and load reference data: question banks, then the roadmap phases, gates "
        "and recommendations, then the benchmarks (ROI bands, case studies, market "
        "figures). Safe to run repeatedly; a published version never changes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--bank",
            action="append",
            type=Path,
            dest="banks",
            help="A question bank file to load (default: every file in assessments/banks/).",
        )
        parser.add_argument(
            "--roadmap",
            action="append",
            type=Path,
            dest="roadmaps",
            help="A roadmap reference file to load (default: every file in roadmap/data/).",
        )
        parser.add_argument(
            "--benchmarks",
            action="append",
            type=Path,
            dest="benchmarks",
            help="A benchmarks file to load (default: every file in benchmarks/data/).",
        )

    def handle(self, *args, banks=None, roadmaps=None, benchmarks=None, **options):
        only_some = bool(banks or roadmaps or benchmarks)
        if banks or not only_some:
            self._load_banks(banks or sorted(BANKS_DIR.glob("*.yaml")))
        if roadmaps or not only_some:
            self._load_roadmaps(roadmaps or _english_files(ROADMAP_DIR))
        if benchmarks or not only_some:
            self._load_benchmarks(benchmarks or _english_files(BENCHMARKS_DIR))

    def _load_banks(self, paths):
        if not paths:
            raise CommandError(f"No question bank files found in {BANKS_DIR}")
        parsed = {}
        for path in paths:
            try:
                definition = load_bank_file(path)
                _check_predecessor(definition, parsed, path)
                bank, created = question_bank_load(definition, source=_display(path))
            except BankError as exc:
                raise CommandError(str(exc)) from exc
            parsed[definition.version] = definition
            state = "loaded" if created else "unchanged"
            self.stdout.write(f"Question bank {bank.version}: {state} ({path.name})")

    def _load_roadmaps(self, paths):
        """Validate every file and its translations first (every translation problem
        listed), then store them all, or nothing."""
        if latest_bank() is None:
            raise CommandError("Load a question bank before the roadmap reference data.")
        loads = []
        errors = []
        for path in paths:
            try:
                raw = yaml.safe_load(path.read_text(encoding="utf-8"))
                # The recommendations name questions of the bank the file pairs with.
                shape = parse_roadmap(raw, source=_display(path))
                bank = QuestionBank.objects.filter(version=shape.bank_version).first()
                if bank is None:
                    raise CommandError(
                        f"{_display(path)}: question bank {shape.bank_version} is not loaded; "
                        "load it before this roadmap file"
                    )
                question_dimensions = dict(
                    Question.objects.filter(bank=bank).values_list("key", "dimension__key")
                )
                reference = parse_roadmap(
                    raw, source=_display(path), question_dimensions=question_dimensions
                )
            except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
                raise CommandError(f"{path}: cannot be read as YAML: {exc}") from exc
            except RoadmapDataError as exc:
                raise CommandError(str(exc)) from exc
            translations = _translations(path, raw, translate_roadmap, RoadmapDataError, errors)
            loads.append((path, reference, raw, translations))
        if errors:
            raise CommandError("\n".join(errors))
        with transaction.atomic():
            for path, reference, raw, translations in loads:
                state = _state(RoadmapReferenceData, reference.version, translations)
                try:
                    stored, _ = roadmap_reference_load(
                        reference, raw, source=_display(path), translations=translations
                    )
                except RoadmapDataError as exc:
                    raise CommandError(str(exc)) from exc
                self.stdout.write(f"Roadmap reference data {stored.version}: {state} ({path.name})")

    def _load_benchmarks(self, paths):
        """Validate every file and its translations first (every translation problem
        listed), then store them all, or nothing."""
        loads = []
        errors = []
        for path in paths:
            try:
                raw = yaml.safe_load(path.read_text(encoding="utf-8"))
                reference = parse_benchmarks(raw, source=_display(path))
            except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
                raise CommandError(f"{path}: cannot be read as YAML: {exc}") from exc
            except BenchmarkDataError as exc:
                raise CommandError(str(exc)) from exc
            translations = _translations(
                path, raw, translate_benchmarks, BenchmarkDataError, errors
            )
            loads.append((path, reference, raw, translations))
        if errors:
            raise CommandError("\n".join(errors))
        with transaction.atomic():
            for path, reference, raw, translations in loads:
                state = _state(BenchmarkReferenceData, reference.version, translations)
                try:
                    stored, _ = benchmark_reference_load(
                        reference, raw, source=_display(path), translations=translations
                    )
                except BenchmarkDataError as exc:
                    raise CommandError(str(exc)) from exc
                self.stdout.write(
                    f"Benchmark reference data {stored.version}: {state} ({path.name})"
                )


def _other_languages() -> list[str]:
    return [code for code, _ in settings.LANGUAGES if code != "en"]


def _english_files(folder: Path) -> list[Path]:
    """The English reference files of a folder; `x.de.yaml` is the translation of `x.yaml`."""
    return sorted(
        path for path in folder.glob("*.yaml") if not is_translation_file(path, _other_languages())
    )


def _translations(path: Path, raw: dict, translate, error, errors: list[str]) -> dict:
    """The translation files beside `path` (language code → document), each checked
    against the English document; problems are added to `errors`."""
    found = {}
    for language in _other_languages():
        other = translation_path(path, language)
        if not other.exists():
            continue
        try:
            document = yaml.safe_load(other.read_text(encoding="utf-8"))
            translate(raw, document, source=_display(other))
        except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
            errors.append(f"{_display(other)}: cannot be read as YAML: {exc}")
            continue
        except error as exc:
            errors.append(str(exc))
            continue
        found[language] = json.loads(json.dumps(document))  # as stored: keys are strings
    return found


def _state(model, version: str, translations: dict) -> str:
    stored = model.objects.filter(version=version).first()
    if stored is None:
        return "loaded"
    if stored.translations != translations:
        return "translations updated"
    return "unchanged"


def _check_predecessor(bank: Bank, parsed: dict[str, Bank], path: Path) -> None:
    """A bank that replaces another must say what became of every one of its questions
    (when that bank is loaded in the same run: files load in version order)."""
    previous = parsed.get(bank.predecessor.version) if bank.predecessor else None
    if previous is not None and (missing := unmapped_predecessors(bank, previous)):
        raise BankError(
            f"{_display(path)}: predecessor: questions of {previous.version} without a "
            f"mapping: {', '.join(missing)}"
        )


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(settings.BASE_DIR))
    except ValueError:
        return str(path)
