"""The workbook and CSV layout, whatever carries it: sheets of rows in, referral documents out.

``assemble`` turns sheets (header row, then data rows) into one RawReferral per referral,
holding exactly the document the JSON Lines carrier would have read. ``flatten`` is its inverse,
used by the writers.

What the tabular layout cannot carry, so a round trip through it changes the document:

- only the first address of a person (its ``line``, ``postcode``, ``from`` and ``to``; the
  format doc's people columns lack ``address_from`` and ``address_to``, which are read and
  written here so that the three carriers hold the same information) and only the first PNC
  identifier (other identifiers are dropped);
- an alias is written as the name would be, so it comes back as a nickname when it is one word and
  as forenames plus a one-word surname otherwise (a surname of two words, or an alias with both a
  name and a nickname, does not survive);
- list items (people ids, nationalities, aliases) may not contain ";";
- empty lists and empty text inside crimes, people and decisions come back absent; the four lists
  of the referral (``crimes``, ``people``, ``decisions``, ``previous_reviews``) always come back,
  empty where there were no rows, and ``format`` is always ``beaconport.referral/1``;
- every value comes back as text except ``arrested`` (true/false) and ``age_at_first_offence``
  (a whole number); values of other kinds in the document are written as text;
- leading and trailing spaces are trimmed from every value.
"""

from __future__ import annotations

import json
import re
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time
from sys import intern
from typing import Any, Literal, TypeAlias

from beaconport.referrals.carriers.base import Limits, RawReferral, UnreadableFile
from beaconport.referrals.problems import Problem

FORMAT = "beaconport.referral/1"
#: Text up to this long is interned while rows are held (see _compact).
_SHARED_TEXT = 24


@dataclass(frozen=True, slots=True)
class Formula:
    """A cell that holds a formula; ``text`` is the formula exactly as the file has it."""

    text: str


Cell: TypeAlias = str | int | float | bool | date | Formula | None  # date includes datetime
#: A data row as a carrier reads it: the row number a person sees (header is row 1), and values.
Row: TypeAlias = tuple[int, Sequence[Cell]]


@dataclass(frozen=True, slots=True)
class SheetSource:
    """One sheet (or CSV file) as a carrier reads it.

    ``name`` is the sheet name (or CSV file stem) as written; ``rows`` are its non-blank rows in
    order, the first one being the header. ``file_name`` is set for CSV files.
    """

    name: str
    rows: Iterable[Row]
    file_name: str | None = None


SHEET_COLUMNS: dict[str, tuple[str, ...]] = {
    "referrals": (
        "force", "force_reference", "referred_on", "referring_officer_name",
        "referring_officer_email", "referring_officer_phone", "summary",
    ),
    "crimes": (
        "force", "force_reference", "crime_reference", "recorded_on", "offence_scheme",
        "offence_code", "offence_description", "offence_from", "offence_to", "complainants",
        "suspects", "outcome_code",
    ),
    "people": (
        "force", "force_reference", "person_id", "role", "forenames", "surname", "aliases",
        "date_of_birth", "sex", "nationality", "alive_status", "alive_status_checked_on",
        "address", "postcode", "address_from", "address_to", "pnc", "interview", "arrested",
        "age_at_first_offence", "review_support", "review_support_recorded_on",
    ),
    "ethnicity": (
        "force", "force_reference", "person_id", "scheme", "code", "label", "basis", "recorded_on",
    ),
    "decisions": (
        "force", "force_reference", "suspect", "crime_reference", "decided_by", "decision",
        "outcome_code", "decided_on", "reason",
    ),
    "previous_reviews": (
        "force", "force_reference", "by", "completed_on", "reference", "outcome",
    ),
}  # fmt: skip

_IDENTITY = ("force", "force_reference")
REQUIRED_COLUMNS: dict[str, tuple[str, ...]] = {
    "referrals": _IDENTITY,
    "crimes": (*_IDENTITY, "crime_reference"),
    "people": (*_IDENTITY, "person_id", "role"),
    "ethnicity": (*_IDENTITY, "person_id"),
    "decisions": (*_IDENTITY, "suspect", "crime_reference"),
    "previous_reviews": _IDENTITY,
}

Kind = Literal["text", "list", "aliases", "yes_no", "whole"]
#: (document field, or "parent.field"; column; how the cell is read)
_Spec = tuple[tuple[str, str, Kind], ...]

_REFERRAL: _Spec = (
    ("force", "force", "text"),
    ("force_reference", "force_reference", "text"),
    ("referred_on", "referred_on", "text"),
    ("referring_officer.name", "referring_officer_name", "text"),
    ("referring_officer.email", "referring_officer_email", "text"),
    ("referring_officer.phone", "referring_officer_phone", "text"),
    ("summary", "summary", "text"),
)
_CRIME: _Spec = (
    ("crime_reference", "crime_reference", "text"),
    ("recorded_on", "recorded_on", "text"),
    ("offence.scheme", "offence_scheme", "text"),
    ("offence.code", "offence_code", "text"),
    ("offence.description", "offence_description", "text"),
    ("offence_period.from", "offence_from", "text"),
    ("offence_period.to", "offence_to", "text"),
    ("complainants", "complainants", "list"),
    ("suspects", "suspects", "list"),
    ("outcome_code", "outcome_code", "text"),
)
# The address columns and pnc become one-item lists, so they are handled apart (_person_extras).
_PERSON: _Spec = (
    ("id", "person_id", "text"),
    ("role", "role", "text"),
    ("forenames", "forenames", "text"),
    ("surname", "surname", "text"),
    ("aliases", "aliases", "aliases"),
    ("date_of_birth", "date_of_birth", "text"),
    ("sex", "sex", "text"),
    ("nationality", "nationality", "list"),
    ("alive_status", "alive_status", "text"),
    ("alive_status_checked_on", "alive_status_checked_on", "text"),
    ("interview", "interview", "text"),
    ("arrested", "arrested", "yes_no"),
    ("age_at_first_offence", "age_at_first_offence", "whole"),
    ("review_support", "review_support", "text"),
    ("review_support_recorded_on", "review_support_recorded_on", "text"),
)
_ETHNICITY: _Spec = (
    ("scheme", "scheme", "text"),
    ("code", "code", "text"),
    ("label", "label", "text"),
    ("basis", "basis", "text"),
    ("recorded_on", "recorded_on", "text"),
)
_DECISION: _Spec = (
    ("suspect", "suspect", "text"),
    ("crime", "crime_reference", "text"),
    ("decided_by", "decided_by", "text"),
    ("decision", "decision", "text"),
    ("outcome_code", "outcome_code", "text"),
    ("decided_on", "decided_on", "text"),
    ("reason", "reason", "text"),
)
_REVIEW: _Spec = (
    ("by", "by", "text"),
    ("completed_on", "completed_on", "text"),
    ("reference", "reference", "text"),
    ("outcome", "outcome", "text"),
)

#: For locate(): a document path (list indexes dropped) to the column that holds it.
_COLUMN_OF: dict[str, dict[str, str]] = {
    "referrals": {path: column for path, column, _ in _REFERRAL},
    "crimes": {path: column for path, column, _ in _CRIME},
    "people": {
        **{path: column for path, column, _ in _PERSON},
        "addresses": "address",
        "addresses.line": "address",
        "addresses.postcode": "postcode",
        "addresses.from": "address_from",
        "addresses.to": "address_to",
        "identifiers": "pnc",
        "identifiers.value": "pnc",
        "identifiers.type": "pnc",
    },
    "ethnicity": {path: column for path, column, _ in _ETHNICITY},
    "decisions": {path: column for path, column, _ in _DECISION},
    "previous_reviews": {path: column for path, column, _ in _REVIEW},
}
_LIST_SHEET = {
    "crimes": "crimes",
    "people": "people",
    "decisions": "decisions",
    "previous_reviews": "previous_reviews",
}
#: The columns of a person's (first) address.
_ADDRESS = (
    ("line", "address"),
    ("postcode", "postcode"),
    ("from", "address_from"),
    ("to", "address_to"),
)
_YES = frozenset({"yes", "y", "true"})
_NO = frozenset({"no", "n", "false"})
_PATH_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")
_NAME_SEPARATORS = re.compile(r"[\s\-]+")


def sheet_key(name: str) -> str:
    """How sheet names and headers are matched: case and surrounding spaces ignored, and inner
    spaces or hyphens taken as underscores ("Previous reviews" is previous_reviews)."""
    return _NAME_SEPARATORS.sub("_", name.strip().lower())


# --------------------------------------------------------------------------------------------
# Reading: sheets -> referrals
# --------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Sheet:
    """A sheet read in full: what is needed to turn its rows into document parts and places."""

    key: str
    where: str  # "sheet 'People'" or "file 'people.csv'"
    position: str  # "People sheet" or "people.csv"
    columns: dict[str, int]  # known column -> index
    headings: dict[str, str]  # known column -> heading as the force wrote it
    raw_keys: list[str]  # index -> key in raw_text
    rows: list[Row] = field(default_factory=list)

    def cell(self, row: int, column: str | None) -> str:
        if column is None:
            return f"{self.where}, row {row}"
        return f"{self.where}, row {row}, column '{self.headings.get(column, column)}'"


@dataclass(slots=True)
class _Group:
    """All rows of one referral, in sheet order (referrals, crimes, people, ...)."""

    force: str
    force_reference: str
    rows: list[tuple[_Sheet, int, Sequence[Cell]]] = field(default_factory=list)


def assemble(
    sources: Iterable[SheetSource], limits: Limits, *, files: bool = False
) -> Iterator[RawReferral]:
    """Read every sheet now (raising UnreadableFile for a file that cannot be read), then yield
    the referrals one by one. ``files`` says the sheets are CSV files (for the messages)."""
    sheets = _load(sources, files)
    book = _Book(sheets, files)
    groups, loose = _group(sheets)
    return _referrals(book, groups, loose, limits)


def _load(sources: Iterable[SheetSource], files: bool) -> dict[str, _Sheet]:
    sheets: dict[str, _Sheet] = {}
    written: dict[str, str] = {}
    try:
        for source in sources:
            try:
                _load_sheet(source, files, sheets, written)
            finally:
                # A reader stopped part-way (by an error) still holds its file open; close it
                # now rather than whenever the error's traceback is collected.
                _close(source.rows)
    finally:
        _close(sources)
    if "referrals" not in written:
        raise UnreadableFile(
            "missing_sheet",
            f"There is no {_named('referrals', files)} {_kind(files)}. Every file must have one, "
            "with a row for each referral (see the Referral Interchange Format).",
        )
    if not any(sheet.rows for sheet in sheets.values()):
        raise UnreadableFile(
            "empty_file",
            "The file holds no referrals: its sheets have headings but no rows below them.",
        )
    return sheets


def _load_sheet(
    source: SheetSource, files: bool, sheets: dict[str, _Sheet], written: dict[str, str]
) -> None:
    key = sheet_key(source.name)
    label = source.file_name or source.name.strip()
    if key in written:
        raise UnreadableFile(
            "unknown_sheet",
            f"There are two {_kind(files)}s for {key}: '{written[key]}' and '{label}'. "
            "Keep one of them and send the file again.",
        )
    rows = (row for row in source.rows if not _blank(row[1]))
    header = next(rows, None)
    if key not in SHEET_COLUMNS:
        if header is None:
            return  # an empty "Sheet1" left in a workbook holds nothing to lose
        raise UnreadableFile(
            "unknown_sheet",
            f"The {_kind(files)} '{label}' is not one the format defines ("
            + ", ".join(_named(name, files) for name in SHEET_COLUMNS)
            + "). Rename it if it is one of these, or remove it, and send the file again.",
        )
    written[key] = label
    if header is None:
        return  # a sheet with no rows at all is the same as no sheet
    sheet = _header(key, label, header, files)
    sheet.rows = [(number, _compact(values)) for number, values in rows]
    sheets[key] = sheet


def _compact(values: Sequence[Cell]) -> tuple[Cell, ...]:
    """A row as it is held until its referral is built: short text (codes, the force, the
    referral's reference: repeated on many rows) shared rather than copied, trailing empty cells
    dropped. A whole file is held at once, so this roughly halves what import needs."""
    end = len(values)
    while end and values[end - 1] is None:
        end -= 1
    return tuple(
        intern(value) if type(value) is str and len(value) <= _SHARED_TEXT else value
        for value in values[:end]
    )


def _close(iterable: object) -> None:
    close = getattr(iterable, "close", None)
    if callable(close):
        close()


def _header(key: str, label: str, header: Row, files: bool) -> _Sheet:
    columns: dict[str, int] = {}
    headings: dict[str, str] = {}
    raw_keys: list[str] = []
    taken = {"row"}
    known = SHEET_COLUMNS[key]
    for index, value in enumerate(header[1]):
        heading = _raw_text(value).strip() if value is not None else ""
        column = sheet_key(heading)
        if column in known and column not in columns:
            columns[column] = index
            headings[column] = heading
        raw_key = heading or f"column {index + 1}"
        if raw_key in taken:
            raw_key = f"{raw_key} (column {index + 1})"
        taken.add(raw_key)
        raw_keys.append(raw_key)
    missing = [column for column in REQUIRED_COLUMNS[key] if column not in columns]
    if missing:
        names = " and ".join(f"'{column}'" for column in missing)
        raise UnreadableFile(
            "missing_column",
            f"The {_kind(files)} '{label}' has no column headed {names} in its first row. "
            f"Add {'it' if len(missing) == 1 else 'them'} (the headings must be in the first "
            "row) and send the file again.",
        )
    where = f"file '{label}'" if files else f"sheet '{label}'"
    position = label if files else f"{label} sheet"
    return _Sheet(key, where, position, columns, headings, raw_keys)


def _group(sheets: dict[str, _Sheet]) -> tuple[list[_Group], list[tuple[_Sheet, Row]]]:
    """Group rows by (force, force_reference): referrals in the order of the referrals sheet,
    then referrals that only other sheets name. Rows naming no referral are returned apart."""
    groups: dict[tuple[str, str], _Group] = {}
    loose: list[tuple[_Sheet, Row]] = []
    for key in SHEET_COLUMNS:
        sheet = sheets.get(key)
        if sheet is None:
            continue
        force_at, reference_at = sheet.columns["force"], sheet.columns["force_reference"]
        for row in sheet.rows:
            number, values = row
            force = _identity(values, force_at)
            reference = _identity(values, reference_at)
            if not force or not reference:
                loose.append((sheet, row))
                continue
            group = groups.get((force, reference))
            if group is None:
                group = groups[(force, reference)] = _Group(force, reference)
            group.rows.append((sheet, number, values))
        sheet.rows = []  # the groups hold the rows now
    return list(groups.values()), loose


def _identity(values: Sequence[Cell], index: int) -> str | None:
    value = values[index] if index < len(values) else None
    if value is None or isinstance(value, Formula):
        return None
    return cell_text(value) or None


def _referrals(
    book: _Book, groups: list[_Group], loose: list[tuple[_Sheet, Row]], limits: Limits
) -> Iterator[RawReferral]:
    pending = deque(groups)
    del groups
    while pending:  # popped as they go so memory falls as the import proceeds
        yield _Referral(book, limits).build(pending.popleft())
    for sheet, row in loose:
        yield _loose_row(sheet, row, limits)


class _Book:
    """What every referral of one file shares: its sheets, to name places in messages."""

    __slots__ = ("files", "sheets")

    def __init__(self, sheets: dict[str, _Sheet], files: bool) -> None:
        self.sheets = dict(sheets)
        self.files = files
        for key in SHEET_COLUMNS:
            if key not in self.sheets:
                label = f"{key}.csv" if files else key
                where = f"file '{label}'" if files else f"sheet '{label}'"
                self.sheets[key] = _Sheet(key, where, label, {}, {}, [])


class _Referral:
    """Builds one referral's document, its raw text, its problems and its row map."""

    def __init__(self, book: _Book, limits: Limits) -> None:
        self.book = book
        self.limits = limits
        self.problems: list[Problem] = []
        self.raw: dict[str, list[dict[str, Any]]] = {}
        self.places = _Places(book)

    def build(self, group: _Group) -> RawReferral:
        places = self.places
        document: dict[str, Any] = {
            "format": FORMAT,
            "force": group.force,
            "force_reference": group.force_reference,
        }
        crimes: list[dict[str, Any]] = []
        people: list[dict[str, Any]] = []
        decisions: list[dict[str, Any]] = []
        reviews: list[dict[str, Any]] = []
        crime_rows: dict[str, int] = {}
        person_rows: dict[str, int] = {}
        person_index: dict[str, int] = {}
        first: tuple[_Sheet, int] | None = None
        for sheet, number, values in group.rows:
            first = first or (sheet, number)
            fields = self._fields(sheet, number, values)
            key = sheet.key
            if key == "referrals":
                if places.referral_row is None:
                    places.referral_row = number
                    document.update(_build(fields, _REFERRAL))
                else:
                    self._duplicate_referral(sheet, number, group)
            elif key == "crimes":
                reference = fields.get("crime_reference")
                if reference is not None and reference in crime_rows:
                    self._duplicate(sheet, number, "crime_reference", reference, crime_rows)
                    continue
                if reference is not None:
                    crime_rows[reference] = number
                crimes.append(_build(fields, _CRIME))
                places.crimes.append(number)
            elif key == "people":
                person_id = fields.get("person_id")
                if person_id is not None and person_id in person_rows:
                    self._duplicate(sheet, number, "person_id", person_id, person_rows)
                    continue
                if person_id is not None:
                    person_rows[person_id] = number
                    person_index[person_id] = len(people)
                people.append(_build(fields, _PERSON) | _person_extras(fields))
                places.people.append(number)
                places.ethnicity.append([])
            elif key == "ethnicity":
                self._ethnicity(sheet, number, fields, people, person_index)
            elif key == "decisions":
                decisions.append(_build(fields, _DECISION))
                places.decisions.append(number)
            else:
                reviews.append(_build(fields, _REVIEW))
                places.reviews.append(number)
        document["crimes"] = crimes
        document["people"] = people
        document["decisions"] = decisions
        document["previous_reviews"] = reviews
        assert first is not None  # a group is only made for a row
        sheet, number = first
        places.position = f"{sheet.position}, row {number}"
        if places.referral_row is None:
            self._no_referral_row(group)
        return RawReferral(
            document=document,
            raw_text=json.dumps(self.raw, ensure_ascii=False),
            position=places.position,
            problems=self.problems,
            locate=places.locate,
        )

    def _fields(self, sheet: _Sheet, number: int, values: Sequence[Cell]) -> dict[str, str]:
        self.raw.setdefault(sheet.key, []).append(_raw_row(sheet, number, values))
        return _row_fields(sheet, number, values, self.limits, self.problems)

    def _ethnicity(
        self,
        sheet: _Sheet,
        number: int,
        fields: dict[str, str],
        people: list[dict[str, Any]],
        person_index: dict[str, int],
    ) -> None:
        person_id = fields.get("person_id")
        where = sheet.cell(number, "person_id")
        if person_id is None:
            self.problems.append(Problem(
                "missing_field", where,
                "This ethnicity row does not say whose it is: fill in person_id with the id the "
                "person has in the people sheet.",
            ))  # fmt: skip
            return
        index = person_index.get(person_id)
        if index is None:
            self.problems.append(Problem(
                "unknown_person_ref", where,
                f"This ethnicity row is for person '{person_id}', but this referral has no person "
                "with that id in the people sheet. Correct the person_id, or add the person.",
            ))  # fmt: skip
            return
        people[index].setdefault("ethnicity", []).append(_build(fields, _ETHNICITY))
        self.places.ethnicity[index].append(number)

    def _duplicate_referral(self, sheet: _Sheet, number: int, group: _Group) -> None:
        self.problems.append(Problem(
            "duplicate_row", sheet.cell(number, None),
            f"This is a second row for referral {group.force_reference} (force {group.force}); "
            f"only the first, row {self.places.referral_row}, was used. Remove the extra row, or "
            "correct its force_reference if it is a different referral.",
        ))  # fmt: skip

    def _duplicate(
        self, sheet: _Sheet, number: int, column: str, value: str, seen: dict[str, int]
    ) -> None:
        what = "person id" if column == "person_id" else "crime reference"
        self.problems.append(Problem(
            "duplicate_row", sheet.cell(number, column),
            f"The {what} '{value}' is used again on this row; it first appears on row "
            f"{seen[value]}, which is the one that was used. Give each {what.split()[0]} in a "
            "referral its own row (a person who is both suspect and complainant has two rows, "
            "with two ids).",
        ))  # fmt: skip

    def _no_referral_row(self, group: _Group) -> None:
        where: dict[str, list[int]] = {}
        for sheet, number, _ in group.rows:
            where.setdefault(sheet.position, []).append(number)
        found = "; ".join(f"{sheet} {_rows(numbers)}" for sheet, numbers in where.items())
        referrals = self.book.sheets["referrals"].position
        self.problems.insert(0, Problem(
            "missing_referral_row", self.places.position,
            f"There are rows for referral {group.force_reference} (force {group.force}) "
            f"({found}) but no row for it in {referrals}. Add its row there, or correct force "
            "and force_reference on these rows if they belong to another referral.",
        ))  # fmt: skip


class _Places:
    """Where each part of one referral's document came from, kept small: row numbers only."""

    __slots__ = (
        "book", "crimes", "decisions", "ethnicity", "people", "position", "referral_row",
        "reviews",
    )  # fmt: skip

    def __init__(self, book: _Book) -> None:
        self.book = book
        self.position = ""
        self.referral_row: int | None = None
        self.crimes: list[int] = []
        self.people: list[int] = []
        self.ethnicity: list[list[int]] = []
        self.decisions: list[int] = []
        self.reviews: list[int] = []

    def locate(self, json_path: str) -> str:
        """``people[2].date_of_birth`` -> "sheet 'people', row 14, column 'date_of_birth'"."""
        parts = [int(index) if index else name for index, name in _PATH_PART.findall(json_path)]
        if not parts or parts[0] == "$":
            parts = parts[1:]
        if not parts:
            return self.position
        head = parts[0]
        if isinstance(head, str) and head in _LIST_SHEET:
            found = self._in_list(head, parts[1:])
            if found is not None:
                return found
            return self._cell("referrals", self.referral_row, None)
        return self._cell("referrals", self.referral_row, _column("referrals", parts))

    def _in_list(self, head: str, rest: list[str | int]) -> str | None:
        rows: list[int] = {
            "crimes": self.crimes,
            "people": self.people,
            "decisions": self.decisions,
            "previous_reviews": self.reviews,
        }[head]
        if not rest or not isinstance(rest[0], int) or rest[0] >= len(rows):
            return None
        index, rest = rest[0], rest[1:]
        if head == "people" and rest and rest[0] == "ethnicity":
            observations = self.ethnicity[index]
            if len(rest) > 1 and isinstance(rest[1], int) and rest[1] < len(observations):
                return self._cell(
                    "ethnicity", observations[rest[1]], _column("ethnicity", rest[2:])
                )
        return self._cell(_LIST_SHEET[head], rows[index], _column(head, rest))

    def _cell(self, key: str, row: int | None, column: str | None) -> str:
        if row is None:
            return self.position
        return self.book.sheets[key].cell(row, column)


def _column(key: str, parts: Sequence[str | int]) -> str | None:
    """The column holding a path, or the one holding its nearest parent that has one."""
    names = [part for part in parts if isinstance(part, str)]
    columns = _COLUMN_OF[key]
    while names:
        column = columns.get(".".join(names))
        if column is not None:
            return column
        names.pop()
    return None


def _row_fields(
    sheet: _Sheet, number: int, values: Sequence[Cell], limits: Limits, problems: list[Problem]
) -> dict[str, str]:
    """The row's known columns as trimmed text, leaving out empty cells and formulas."""
    fields: dict[str, str] = {}
    width = len(values)
    for column, index in sheet.columns.items():
        if index >= width:
            continue
        value = values[index]
        if value is None:
            continue
        if type(value) is str:  # nearly every cell: skip the general conversion
            text = value.strip()
        elif isinstance(value, Formula):
            problems.append(Problem(
                "formula_not_allowed", sheet.cell(number, column),
                f"This cell holds a formula ({_short(value.text)}) rather than a value. Formulas "
                "are not imported: replace it with the value itself (in Excel, copy the cell and "
                "use Paste Special > Values) and send the referral again.",
            ))  # fmt: skip
            continue
        else:
            text = cell_text(value)
        if not text:
            continue
        if len(text) > limits.max_cell_chars:
            problems.append(Problem(
                "too_long", sheet.cell(number, column),
                f"This cell holds {len(text):,} characters, more than the "
                f"{limits.max_cell_chars:,} import reads from one cell, so only the start was "
                "kept. Shorten it and send the referral again.",
            ))  # fmt: skip
            text = text[: limits.max_cell_chars]
        fields[column] = text
    return fields


def cell_text(value: Cell) -> str:
    """A cell as the document's text: trimmed; whole numbers without ".0"; dates as YYYY-MM-DD."""
    if type(value) is str:
        return value.strip()
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Formula):
        return ""
    return str(value).strip()


def _raw_text(value: Cell) -> str:
    """A cell as the quarantine keeps it: what the force sent, untrimmed."""
    if type(value) is str:
        return value
    if isinstance(value, Formula):
        return value.text
    if isinstance(value, datetime) and value.time() != time():
        return value.isoformat(sep=" ")
    return cell_text(value)


def _blank(values: Sequence[Cell]) -> bool:
    return all(value is None or (type(value) is str and not value.strip()) for value in values)


def _raw_row(sheet: _Sheet, number: int, values: Sequence[Cell]) -> dict[str, Any]:
    row: dict[str, Any] = {"row": number}
    keys = sheet.raw_keys
    for index, value in enumerate(values):
        if value is None:
            continue
        key = keys[index] if index < len(keys) else f"column {index + 1}"
        row[key] = _raw_text(value)
    return row


def _build(fields: Mapping[str, str], spec: _Spec) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, column, kind in spec:
        text = fields.get(column)
        if text is None:
            continue
        value = _convert(text, kind)
        if value is None:
            continue
        parent, _, child = path.partition(".")
        if child:
            out.setdefault(parent, {})[child] = value
        else:
            out[parent] = value
    return out


def _convert(text: str, kind: Kind) -> Any:
    if kind == "text":
        return text
    if kind == "list":
        return _split(text) or None
    if kind == "aliases":
        return [_alias(item) for item in _split(text)] or None
    if kind == "yes_no":
        word = text.lower()
        return True if word in _YES else False if word in _NO else text
    return int(text) if text.isascii() and text.isdigit() else text  # whole


def _person_extras(fields: Mapping[str, str]) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    address = {key: fields[column] for key, column in _ADDRESS if column in fields}
    if address:
        extras["addresses"] = [address]
    if "pnc" in fields:
        extras["identifiers"] = [{"type": "PNC", "value": fields["pnc"]}]
    return extras


def _split(text: str) -> list[str]:
    return [item for item in (part.strip() for part in text.split(";")) if item]


def _alias(text: str) -> dict[str, str]:
    words = text.split()
    if len(words) == 1:
        return {"nickname": words[0]}
    return {"forenames": " ".join(words[:-1]), "surname": words[-1]}


def _loose_row(sheet: _Sheet, row: Row, limits: Limits) -> RawReferral:
    number, values = row
    problems: list[Problem] = []
    fields = _row_fields(sheet, number, values, limits, problems)
    missing = [column for column in _IDENTITY if column not in fields]
    what = " or ".join(missing)
    problems.insert(0, Problem(
        "missing_identity", sheet.cell(number, missing[0]),
        f"This row has no {what}, so it cannot be matched to a referral. Fill in force and "
        "force_reference on every row, as they are on the referral's row in the referrals sheet.",
    ))  # fmt: skip
    position = f"{sheet.position}, row {number}"
    raw = {sheet.key: [_raw_row(sheet, number, values)]}
    return RawReferral(
        document=None,
        raw_text=json.dumps(raw, ensure_ascii=False),
        position=position,
        problems=problems,
        locate=lambda _path: position,
    )


def _rows(numbers: list[int]) -> str:
    shown = ", ".join(str(number) for number in numbers[:5])
    more = f" and {len(numbers) - 5} more" if len(numbers) > 5 else ""
    return f"row{'s' if len(numbers) > 1 else ''} {shown}{more}"


def _short(text: str) -> str:
    return text if len(text) <= 60 else text[:57] + "..."


def _kind(files: bool) -> str:
    return "CSV file" if files else "sheet"


def _named(key: str, files: bool) -> str:
    return f"{key}.csv" if files else key


# --------------------------------------------------------------------------------------------
# Writing: documents -> sheets
# --------------------------------------------------------------------------------------------


def flatten(documents: Iterable[Mapping[str, Any]]) -> dict[str, list[list[str]]]:
    """The rows of each sheet (headers not included) for these documents, in SHEET_COLUMNS order.

    The inverse of ``assemble``; see the module docstring for what the layout cannot carry.
    """
    tables: dict[str, list[list[str]]] = {key: [] for key in SHEET_COLUMNS}
    for document in documents:
        identity = {
            "force": _text(document.get("force")),
            "force_reference": _text(document.get("force_reference")),
        }
        tables["referrals"].append(_row("referrals", identity | _cells(document, _REFERRAL)))
        for crime in _items(document, "crimes"):
            tables["crimes"].append(_row("crimes", identity | _cells(crime, _CRIME)))
        for person in _items(document, "people"):
            cells = identity | _cells(person, _PERSON) | _extras_cells(person)
            tables["people"].append(_row("people", cells))
            whose = identity | {"person_id": cells["person_id"]}
            for observation in _items(person, "ethnicity"):
                tables["ethnicity"].append(
                    _row("ethnicity", whose | _cells(observation, _ETHNICITY))
                )
        for decision in _items(document, "decisions"):
            tables["decisions"].append(_row("decisions", identity | _cells(decision, _DECISION)))
        for review in _items(document, "previous_reviews"):
            tables["previous_reviews"].append(
                _row("previous_reviews", identity | _cells(review, _REVIEW))
            )
    return tables


def _items(parent: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = parent.get(key)
    if not isinstance(value, list):
        return []
    return [item for item in value if isinstance(item, Mapping)]


def _cells(item: Mapping[str, Any], spec: _Spec) -> dict[str, str]:
    cells: dict[str, str] = {}
    for path, column, kind in spec:
        parent, _, child = path.partition(".")
        value = item.get(parent)
        if child:
            value = value.get(child) if isinstance(value, Mapping) else None
        cells[column] = _render(value, kind)
    return cells


def _extras_cells(person: Mapping[str, Any]) -> dict[str, str]:
    addresses = _items(person, "addresses")
    address = addresses[0] if addresses else {}
    pnc = next(
        (
            identifier.get("value")
            for identifier in _items(person, "identifiers")
            if _text(identifier.get("type")).upper() == "PNC"
        ),
        None,
    )
    cells = {column: _text(address.get(key)) for key, column in _ADDRESS}
    cells["pnc"] = _text(pnc)
    return cells


def _render(value: Any, kind: Kind) -> str:
    if kind == "yes_no" and isinstance(value, bool):
        return "yes" if value else "no"
    if kind in ("list", "aliases") and isinstance(value, list):
        items = [_alias_text(item) if kind == "aliases" else _text(item) for item in value]
        return "; ".join(item for item in items if item)
    return _text(value)


def _alias_text(alias: Any) -> str:
    if not isinstance(alias, Mapping):
        return _text(alias)
    names = [_text(alias.get("forenames")), _text(alias.get("surname"))]
    return " ".join(name for name in names if name) or _text(alias.get("nickname"))


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _row(key: str, cells: Mapping[str, str]) -> list[str]:
    return [cells.get(column, "") for column in SHEET_COLUMNS[key]]
