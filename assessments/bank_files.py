"""A question bank as a file to hand around: YAML (the repository's own format) and XLSX
(for a methodology owner who edits in a spreadsheet), both ways.

Pure: no Django. `bank_document` is the one canonical document of a `Bank`; both writers
start from it and both readers give a document back that `assessments.bank` validates, so
export → import → export gives the same bytes. Readers also return a `Locator`, so each
problem of an import is reported at its line (YAML) or sheet and row (XLSX).
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass, field

import yaml
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils.exceptions import InvalidFileException

from .bank import LEVEL_COUNT, Bank, Place, Problem


class BankFileError(ValueError):
    """A file that is not a bank document at all (not YAML, not a workbook)."""


def bank_document(bank: Bank) -> dict:
    """The bank as the document its file holds; `parse_bank` of it gives the bank back."""
    document: dict = {"version": bank.version, "title": bank.title}
    if bank.description:
        document["description"] = bank.description
    if bank.reading_time is not None:
        document["reading_time"] = {
            "words": bank.reading_time.words,
            "words_per_minute": bank.reading_time.words_per_minute,
            "minutes": bank.reading_time.minutes,
        }
    if bank.predecessor is not None:
        document["predecessor"] = {
            "version": bank.predecessor.version,
            "changes": [
                {
                    "from": change.predecessor,
                    "change": change.change,
                    "to": list(change.successors),
                    "reason": change.reason,
                }
                for change in bank.predecessor.changes
            ],
        }
    document["maturity_levels"] = [
        _without_empty(
            {
                "level": level.level,
                "name": level.name,
                "min": _number(level.min),
                "max": _number(level.max),
                "description": level.description,
            }
        )
        for level in bank.maturity_levels
    ]
    document["pitfalls"] = [
        _without_empty(
            {
                "key": pitfall.key,
                "title": pitfall.title,
                "mitigation": pitfall.mitigation,
                "description": pitfall.description,
            }
        )
        for pitfall in bank.pitfalls
    ]
    document["dimensions"] = [
        {
            **_without_empty(
                {
                    "key": dimension.key,
                    "kind": dimension.kind,
                    "title": dimension.title,
                    "description": dimension.description,
                    "weight": _number(dimension.weight),
                    "weight_reason": dimension.weight_reason,
                }
            ),
            "questions": [
                _without_empty(
                    {
                        "key": question.key,
                        "text": question.text,
                        "help": question.help,
                        "weight": _number(question.weight),
                        "weight_reason": question.weight_reason,
                        "allow_na": question.allow_na,
                        "tags": list(question.tags),
                        "levels": list(question.levels),
                    }
                )
                for question in dimension.questions
            ],
        }
        for dimension in bank.dimensions
    ]
    return document


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _without_empty(item: dict) -> dict:
    """Defaults left out, as a hand-written file leaves them out: no help, weight 1, no
    reason, N/A not allowed, no tags."""
    return {
        key: value
        for key, value in item.items()
        # `is False`: 0 (a band's minimum) equals False and must stay.
        if not (value == "" or value == [] or value is False)
        and not (key == "weight" and value == 1)
    }


# --- where a problem is ---------------------------------------------------------------


@dataclass
class Locator:
    """Maps a place in the document to where a person finds it in the file."""

    places: dict[Place, str] = field(default_factory=dict)

    def describe(self, problem: Problem) -> str:
        place = problem.place
        while place and place not in self.places:
            place = place[:-1]
        where = self.places.get(place)
        return f"{where}: {problem.message}" if where else problem.message


# --- YAML -----------------------------------------------------------------------------


def to_yaml(document: dict) -> str:
    return yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, width=100, default_flow_style=False
    )


def read_yaml(data: bytes) -> tuple[object, Locator]:
    try:
        text = data.decode("utf-8")
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        document = yaml.safe_load(text)
    except UnicodeDecodeError as error:
        raise BankFileError(_("the file is not UTF-8 text")) from error
    except yaml.YAMLError as error:
        raise BankFileError(
            _("the file is not valid YAML: %(error)s") % {"error": error}
        ) from error
    locator = Locator()
    if node is not None:
        _locate_yaml(node, (), locator)
    return document, locator


def _locate_yaml(node, place: Place, locator: Locator) -> None:
    locator.places[place] = _("line %(number)s") % {"number": node.start_mark.line + 1}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _locate_yaml(value, (*place, key.value), locator)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _locate_yaml(item, (*place, index), locator)


# --- XLSX -----------------------------------------------------------------------------

BANK_SHEET = "Bank"
LEVELS_SHEET = "Maturity levels"
PITFALLS_SHEET = "Pitfalls"
DIMENSIONS_SHEET = "Dimensions"
QUESTIONS_SHEET = "Questions"
CHANGES_SHEET = "Changes from predecessor"

LEVEL_COLUMNS = ("level", "name", "min", "max", "description")
PITFALL_COLUMNS = ("key", "title", "mitigation", "description")
DIMENSION_COLUMNS = ("key", "kind", "title", "description", "weight", "weight_reason")
QUESTION_COLUMNS = (
    "dimension",
    "key",
    "text",
    "help",
    "weight",
    "weight_reason",
    "allow_na",
    "tags",
    *(f"level_{n}" for n in range(1, LEVEL_COUNT + 1)),
)
CHANGE_COLUMNS = ("from", "change", "to", "reason")
# Bank sheet: one row per field of the bank itself.
BANK_FIELDS = (
    "version",
    "title",
    "description",
    "predecessor_version",
    "reading_words",
    "reading_words_per_minute",
    "reading_minutes",
)
# A spreadsheet larger than this is not a question bank.
MAX_ROWS = 2000
# Uncompressed, whatever the file's own size (a small zip can inflate to gigabytes).
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


def to_xlsx(document: dict) -> bytes:
    workbook = Workbook()
    bank_sheet = workbook.active
    bank_sheet.title = BANK_SHEET
    reading = document.get("reading_time") or {}
    values = {
        "version": document["version"],
        "title": document["title"],
        "description": document.get("description", ""),
        "predecessor_version": (document.get("predecessor") or {}).get("version", ""),
        "reading_words": reading.get("words", ""),
        "reading_words_per_minute": reading.get("words_per_minute", ""),
        "reading_minutes": reading.get("minutes", ""),
    }
    _sheet(bank_sheet, ("field", "value"), [(name, values[name]) for name in BANK_FIELDS])
    _sheet(
        workbook.create_sheet(LEVELS_SHEET),
        LEVEL_COLUMNS,
        [[level.get(c, "") for c in LEVEL_COLUMNS] for level in document["maturity_levels"]],
    )
    _sheet(
        workbook.create_sheet(PITFALLS_SHEET),
        PITFALL_COLUMNS,
        [[pitfall.get(c, "") for c in PITFALL_COLUMNS] for pitfall in document["pitfalls"]],
    )
    _sheet(
        workbook.create_sheet(DIMENSIONS_SHEET),
        DIMENSION_COLUMNS,
        [
            [dimension.get(c, 1 if c == "weight" else "") for c in DIMENSION_COLUMNS]
            for dimension in document["dimensions"]
        ],
    )
    _sheet(
        workbook.create_sheet(QUESTIONS_SHEET),
        QUESTION_COLUMNS,
        [
            [
                dimension["key"],
                question["key"],
                question["text"],
                question.get("help", ""),
                question.get("weight", 1),
                question.get("weight_reason", ""),
                "yes" if question.get("allow_na") else "no",
                ", ".join(question.get("tags", [])),
                *question["levels"],
            ]
            for dimension in document["dimensions"]
            for question in dimension["questions"]
        ],
    )
    if document.get("predecessor"):
        _sheet(
            workbook.create_sheet(CHANGES_SHEET),
            CHANGE_COLUMNS,
            [
                [c["from"], c["change"], ", ".join(c["to"]), c["reason"]]
                for c in document["predecessor"]["changes"]
            ],
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet(sheet, columns, rows) -> None:
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row))
    sheet.freeze_panes = "A2"
    for index in range(1, len(columns) + 1):
        letter = sheet.cell(row=1, column=index).column_letter
        longest = max((len(str(c.value or "")) for c in sheet[letter]), default=10)
        sheet.column_dimensions[letter].width = min(max(12, longest + 2), 60)
        for cell in sheet[letter][1:]:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


def read_xlsx(data: bytes) -> tuple[dict, Locator]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
        if unpacked > MAX_UNPACKED_BYTES:
            raise BankFileError(_("the workbook unpacks to more than 50 MB"))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, OSError, KeyError, ValueError) as error:
        raise BankFileError(_("the file is not an Excel workbook (.xlsx)")) from error
    missing = [
        name
        for name in (BANK_SHEET, LEVELS_SHEET, PITFALLS_SHEET, DIMENSIONS_SHEET, QUESTIONS_SHEET)
        if name not in workbook.sheetnames
    ]
    if missing:
        raise BankFileError(
            _("the workbook has no sheet named %(sheets)s") % {"sheets": ", ".join(missing)}
        )
    locator = Locator()
    fields = {row[0]: row[1] for _, row in _rows(workbook[BANK_SHEET], ("field", "value"))}
    document: dict = {"version": _text(fields.get("version")), "title": _text(fields.get("title"))}
    locator.places[()] = _("sheet %(sheet)s") % {"sheet": BANK_SHEET}
    if _text(fields.get("description")):
        document["description"] = _text(fields.get("description"))
    if any(_text(fields.get(f"reading_{n}")) for n in ("words", "words_per_minute", "minutes")):
        document["reading_time"] = {
            name: _whole(fields.get(f"reading_{name}"))
            for name in ("words", "words_per_minute", "minutes")
        }
    if _text(fields.get("predecessor_version")):
        changes = []
        if CHANGES_SHEET in workbook.sheetnames:
            for number, row in _rows(workbook[CHANGES_SHEET], CHANGE_COLUMNS):
                locator.places[("predecessor", "changes", len(changes))] = _at(
                    CHANGES_SHEET, number
                )
                changes.append(
                    {
                        "from": _text(row[0]),
                        "change": _text(row[1]),
                        "to": _items(row[2]),
                        "reason": _text(row[3]),
                    }
                )
        document["predecessor"] = {
            "version": _text(fields["predecessor_version"]),
            "changes": changes,
        }
    document["maturity_levels"] = []
    for number, row in _rows(workbook[LEVELS_SHEET], LEVEL_COLUMNS):
        locator.places[("maturity_levels", len(document["maturity_levels"]))] = _at(
            LEVELS_SHEET, number
        )
        level = dict(zip(LEVEL_COLUMNS, row, strict=True))
        document["maturity_levels"].append(
            _without_empty(
                {**level, "name": _text(level["name"]), "description": _text(level["description"])}
            )
        )
    locator.places[("maturity_levels",)] = _("sheet %(sheet)s") % {"sheet": LEVELS_SHEET}
    document["pitfalls"] = []
    for number, row in _rows(workbook[PITFALLS_SHEET], PITFALL_COLUMNS):
        locator.places[("pitfalls", len(document["pitfalls"]))] = _at(PITFALLS_SHEET, number)
        document["pitfalls"].append(
            _without_empty({c: _text(v) for c, v in zip(PITFALL_COLUMNS, row, strict=True)})
        )
    document["dimensions"] = []
    positions = {}
    for number, row in _rows(workbook[DIMENSIONS_SHEET], DIMENSION_COLUMNS):
        item = dict(zip(DIMENSION_COLUMNS, row, strict=True))
        locator.places[("dimensions", len(document["dimensions"]))] = _at(DIMENSIONS_SHEET, number)
        positions[_text(item["key"])] = len(document["dimensions"])
        document["dimensions"].append(
            {
                **_without_empty(
                    {
                        **{c: _text(item[c]) for c in ("key", "kind", "title", "description")},
                        "weight": _weight(item["weight"]),
                        "weight_reason": _text(item["weight_reason"]),
                    }
                ),
                "questions": [],
            }
        )
    for number, row in _rows(workbook[QUESTIONS_SHEET], QUESTION_COLUMNS):
        item = dict(zip(QUESTION_COLUMNS, row, strict=True))
        dimension = _text(item["dimension"])
        if dimension not in positions:
            locator.places[("questions-sheet", number)] = _at(QUESTIONS_SHEET, number)
            raise BankFileError(
                _("%(place)s: dimension %(dimension)s is not on the %(sheet)s sheet")
                % {
                    "place": _at(QUESTIONS_SHEET, number),
                    "dimension": repr(dimension),
                    "sheet": DIMENSIONS_SHEET,
                }
            )
        questions = document["dimensions"][positions[dimension]]["questions"]
        locator.places[("dimensions", positions[dimension], "questions", len(questions))] = _at(
            QUESTIONS_SHEET, number
        )
        levels = [_text(item[f"level_{n}"]) for n in range(1, LEVEL_COUNT + 1)]
        questions.append(
            _without_empty(
                {
                    "key": _text(item["key"]),
                    "text": _text(item["text"]),
                    "help": _text(item["help"]),
                    "weight": _weight(item["weight"]),
                    "weight_reason": _text(item["weight_reason"]),
                    "allow_na": _text(item["allow_na"]).lower() in ("yes", "true", "1"),
                    "tags": _items(item["tags"]),
                    # An empty cell is a missing level: the loader names it.
                    "levels": [text for text in levels if text],
                }
            )
        )
    return document, locator


def _rows(sheet, columns):
    """(row number, values) of each non-empty row under the header, padded to `columns`."""
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    if header is None or [_text(h) for h in header[: len(columns)]] != list(columns):
        raise BankFileError(
            _("sheet %(sheet)s: the first row must be the headers %(headers)s")
            % {"sheet": sheet.title, "headers": ", ".join(columns)}
        )
    for number, row in enumerate(rows, start=2):
        if number > MAX_ROWS:
            raise BankFileError(
                _("sheet %(sheet)s: more than %(count)s rows")
                % {"sheet": sheet.title, "count": MAX_ROWS}
            )
        values = list(row[: len(columns)]) + [None] * (len(columns) - len(row))
        if any(_text(v) for v in values):
            yield number, values


def _at(sheet: str, row: int) -> str:
    return _("sheet %(sheet)s, row %(row)s") % {"sheet": sheet, "row": row}


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _items(value) -> list[str]:
    return [item.strip() for item in _text(value).split(",") if item.strip()]


def _weight(value):
    """A number as the loader expects one; text is left for the loader to refuse."""
    if value in (None, ""):
        return 1
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _number(value)
    return _text(value)


def _whole(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value
