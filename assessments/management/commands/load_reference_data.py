from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from assessments.bank import BankError, load_bank_file
from assessments.services import question_bank_load

BANKS_DIR = Path(__file__).resolve().parents[2] / "banks"


class Command(BaseCommand):
    help = "Validate and load reference data (question banks). Safe to run repeatedly."

    def add_arguments(self, parser):
        parser.add_argument(
            "--bank",
            action="append",
            type=Path,
            dest="banks",
            help="A question bank file to load (default: every file in assessments/banks/).",
        )

    def handle(self, *args, banks=None, **options):
        paths = banks or sorted(BANKS_DIR.glob("*.yaml"))
        if not paths:
            raise CommandError(f"No question bank files found in {BANKS_DIR}")
        for path in paths:
            try:
                bank, created = question_bank_load(load_bank_file(path), source=_display(path))
            except BankError as exc:
                raise CommandError(str(exc)) from exc
            state = "loaded" if created else "unchanged"
            self.stdout.write(f"Question bank {bank.version}: {state} ({path.name})")


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(BANKS_DIR.parents[1]))
    except ValueError:
        return str(path)
