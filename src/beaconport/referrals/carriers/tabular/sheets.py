"""Sheets read in full: headings matched to columns, rows held compactly, then grouped by referral.

Everything here concerns the file as a whole, so what goes wrong raises UnreadableFile (no sheet
of referrals, an unknown or doubled sheet, a missing required column) rather than being a
problem of one referral. ``Book`` keeps every sheet's name, so that messages can point at a row
even in a sheet the file lacks.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from sys import intern

from beaconport.referrals.carriers.base import UnreadableFile
from beaconport.referrals.carriers.tabular.cells import (
    Cell,
    Formula,
    Row,
    cell_raw_text,
    cell_text,
)
from beaconport.referrals.carriers.tabular.layout import (
    REQUIRED_COLUMNS,
    SHEET_COLUMNS,
    sheet_key,
)

#: Text up to this long is interned while rows are held (see _compact).
_SHARED_TEXT = 24


@dataclass(frozen=True, slots=True)
class SheetSource:
    """One sheet (or CSV file) as a carrier reads it.

    ``name`` is the sheet name (or CSV file stem) as written; ``rows`` are its non-blank rows in
    order, the first one being the header. ``file_name`` is set for CSV files.
    """

    name: str
    rows: Iterable[Row]
    file_name: str | None = None


@dataclass(slots=True)
class Sheet:
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
class Group:
    """All rows of one referral, in sheet order (referrals, crimes, people, ...)."""

    force: str
    force_reference: str
    rows: list[tuple[Sheet, int, Sequence[Cell]]] = field(default_factory=list)


class Book:
    """What every referral of one file shares: its sheets, to name places in messages."""

    __slots__ = ("files", "sheets")

    def __init__(self, sheets: dict[str, Sheet], files: bool) -> None:
        self.sheets = dict(sheets)
        self.files = files
        for key in SHEET_COLUMNS:
            if key not in self.sheets:
                label = f"{key}.csv" if files else key
                where = f"file '{label}'" if files else f"sheet '{label}'"
                self.sheets[key] = Sheet(key, where, label, {}, {}, [])


def load_sheets(sources: Iterable[SheetSource], files: bool) -> dict[str, Sheet]:
    sheets: dict[str, Sheet] = {}
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
    source: SheetSource, files: bool, sheets: dict[str, Sheet], written: dict[str, str]
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


def _header(key: str, label: str, header: Row, files: bool) -> Sheet:
    columns: dict[str, int] = {}
    headings: dict[str, str] = {}
    raw_keys: list[str] = []
    taken = {"row"}
    known = SHEET_COLUMNS[key]
    for index, value in enumerate(header[1]):
        heading = cell_raw_text(value).strip() if value is not None else ""
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
    return Sheet(key, where, position, columns, headings, raw_keys)


def group_rows(sheets: dict[str, Sheet]) -> tuple[list[Group], list[tuple[Sheet, Row]]]:
    """Group rows by (force, force_reference): referrals in the order of the referrals sheet,
    then referrals that only other sheets name. Rows naming no referral are returned apart."""
    groups: dict[tuple[str, str], Group] = {}
    loose: list[tuple[Sheet, Row]] = []
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
                group = groups[(force, reference)] = Group(force, reference)
            group.rows.append((sheet, number, values))
        sheet.rows = []  # the groups hold the rows now
    return list(groups.values()), loose


def _identity(values: Sequence[Cell], index: int) -> str | None:
    value = values[index] if index < len(values) else None
    if value is None or isinstance(value, Formula):
        return None
    return cell_text(value) or None


def _blank(values: Sequence[Cell]) -> bool:
    return all(value is None or (type(value) is str and not value.strip()) for value in values)


def _kind(files: bool) -> str:
    return "CSV file" if files else "sheet"


def _named(key: str, files: bool) -> str:
    return f"{key}.csv" if files else key
