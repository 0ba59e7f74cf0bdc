"""Workbooks: .xlsx through openpyxl, .ods by reading and writing its content.xml directly."""

from __future__ import annotations

import re
import warnings
import zipfile
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, datetime
from pathlib import Path
from typing import IO, Any
from xml.etree.ElementTree import Element, ParseError
from xml.sax.saxutils import escape

import openpyxl
from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring, iterparse
from openpyxl.cell import WriteOnlyCell

from beaconport.referrals.carriers.archive import check_zip
from beaconport.referrals.carriers.base import Limits, RawReferral, UnreadableFile
from beaconport.referrals.carriers.tabular import (
    SHEET_COLUMNS,
    Cell,
    Formula,
    Row,
    SheetSource,
    assemble,
    flatten,
    sheet_key,
)

# --------------------------------------------------------------------------------------------
# .xlsx
# --------------------------------------------------------------------------------------------

_SPREADSHEET = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_OFFICE_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#: Parts of an Excel number format that are not date codes: quoted text, [$-809], \x escapes.
_FORMAT_LITERALS = re.compile(r'"[^"]*"|\[[^\]]*\]|\\.')


def read_xlsx(path: Path, limits: Limits) -> Iterator[RawReferral]:
    check_zip(path, limits)
    # openpyxl warns about workbook features it does not keep (data validation, odd styles);
    # none of them changes a value, and the test suite turns warnings into errors.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            book = openpyxl.load_workbook(path, read_only=True, data_only=False)
        except Exception as error:  # openpyxl raises many kinds for a damaged or foreign file
            raise UnreadableFile(
                "corrupt_file",
                f"{path.name} could not be opened as an Excel workbook: it is damaged or is a "
                "different kind of file. Open it in Excel and save it again as an Excel Workbook "
                "(.xlsx).",
            ) from error
        try:
            # assemble() reads every row before it returns, so closing afterwards is safe.
            return assemble(_xlsx_sheets(book, path), limits)
        finally:
            book.close()


def write_xlsx(documents: Iterable[Mapping[str, Any]], path: Path) -> None:
    book = openpyxl.Workbook(write_only=True)
    for key, rows in flatten(documents).items():
        sheet = book.create_sheet(key)
        sheet.append(list(SHEET_COLUMNS[key]))
        for row in rows:
            sheet.append([_xlsx_text(sheet, value) for value in row])
    book.save(path)


def count_xlsx(path: Path) -> int | None:
    """Rows in the referrals sheet's XML, less the header, without openpyxl: opening the
    workbook with it would parse every sheet that does not state its size."""
    with zipfile.ZipFile(path) as archive:
        part = _xlsx_sheet_part(archive, "referrals")
        if part is None:
            return None
        rows, tail = 0, b""
        with archive.open(part) as sheet:
            while chunk := sheet.read(1024**2):
                text = tail + chunk
                rows += text.count(b"<row ") + text.count(b"<row>")
                # A tag split across chunks is whole in the next text, never in this one.
                tail = text[-4:]
    return max(rows - 1, 0)


def _xlsx_sheet_part(archive: zipfile.ZipFile, key: str) -> str | None:
    """The zip member holding the sheet named ``key`` (matched as sheet names are)."""
    book = fromstring(archive.read("xl/workbook.xml"))
    links = fromstring(archive.read("xl/_rels/workbook.xml.rels"))
    ids = [
        sheet.get(f"{{{_OFFICE_RELATIONSHIPS}}}id")
        for sheet in book.iter(f"{{{_SPREADSHEET}}}sheet")
        if sheet_key(sheet.get("name", "")) == key
    ]
    for link in links:
        if ids and link.get("Id") == ids[0]:
            target = link.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    return None


def _xlsx_sheets(book: Any, path: Path) -> Iterator[SheetSource]:
    for sheet in book.worksheets:
        # The stated size can be wrong, or hostile (A1:XFD1048576 pads every row to 16,384
        # cells); without it each row is as wide as its own last cell.
        sheet.reset_dimensions()
        yield SheetSource(sheet.title, _xlsx_rows(sheet, path))


def _xlsx_rows(sheet: Any, path: Path) -> Iterator[Row]:
    try:
        # iter_rows yields an empty row for each gap, so counting gives the row number.
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            if cells:
                yield number, [_xlsx_value(cell) for cell in cells]
    except UnreadableFile:
        raise
    except Exception as error:
        raise UnreadableFile(
            "corrupt_file",
            f"The sheet '{sheet.title}' in {path.name} is damaged and could not be read. Open "
            "the workbook in Excel and save it again as an Excel Workbook (.xlsx).",
        ) from error


def _xlsx_value(cell: Any) -> Cell:
    value = cell.value
    if value is None:
        return None
    if cell.data_type == "f":
        text = value if isinstance(value, str) else getattr(value, "text", None)
        return Formula(text or "a formula")
    if isinstance(value, str | int | float):  # bool is an int
        return value
    if isinstance(value, datetime):
        return _excel_date(value, cell.number_format)
    if isinstance(value, date):
        return value
    return str(value)  # times, durations


def _excel_date(value: datetime, number_format: str) -> Cell:
    """A date shown without its day (Excel turns "Jun 2013" into 1 June 2013 shown as "Jun-13")
    stays a partial date: the format says the day was never known, and import must not guess."""
    shown = _FORMAT_LITERALS.sub("", number_format.lower())
    if any(code in shown for code in "dhs"):
        return value
    if "m" in shown:
        return f"{value.year:04d}-{value.month:02d}"
    if "y" in shown:
        return f"{value.year:04d}"
    return value


def _xlsx_text(sheet: Any, value: str) -> Any:
    if not value:
        return None  # no cell at all: smaller, and quicker to read back
    if not value.startswith("="):
        return value
    # openpyxl would store text starting with "=" as a formula; keep it as the text it is.
    cell = WriteOnlyCell(sheet, value)
    cell.data_type = "s"
    return cell


# --------------------------------------------------------------------------------------------
# .ods
# --------------------------------------------------------------------------------------------

_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_MANIFEST = "urn:oasis:names:tc:opendocument:xmlns:manifest:1.0"
_ODS_MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"

_T_TABLE = f"{{{_TABLE}}}table"
_T_ROW = f"{{{_TABLE}}}table-row"
_T_CELL = f"{{{_TABLE}}}table-cell"
_T_COVERED = f"{{{_TABLE}}}covered-table-cell"
_A_NAME = f"{{{_TABLE}}}name"
_A_ROWS_REPEATED = f"{{{_TABLE}}}number-rows-repeated"
_A_COLUMNS_REPEATED = f"{{{_TABLE}}}number-columns-repeated"
_A_FORMULA = f"{{{_TABLE}}}formula"
_A_VALUE_TYPE = f"{{{_OFFICE}}}value-type"
_A_VALUE = f"{{{_OFFICE}}}value"
_A_DATE_VALUE = f"{{{_OFFICE}}}date-value"
_A_BOOLEAN_VALUE = f"{{{_OFFICE}}}boolean-value"
_P = (f"{{{_TEXT}}}p", f"{{{_TEXT}}}h")
_S = f"{{{_TEXT}}}s"
_A_COUNT = f"{{{_TEXT}}}c"
_TAB = f"{{{_TEXT}}}tab"
_LINE_BREAK = f"{{{_TEXT}}}line-break"
_NUMBERS = frozenset({"float", "percentage", "currency"})
_ODF_SPACE = re.compile(r"[ \t\r\n]+")
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

#: The most rows and columns a spreadsheet application gives a sheet; ODS files say "this empty
#: row repeats a million times" routinely, and a hostile one could say it of a full row.
MAX_ROWS = 1_048_576
MAX_COLUMNS = 16_384


def read_ods(path: Path, limits: Limits) -> Iterator[RawReferral]:
    check_zip(path, limits)
    return assemble(_ods_sheets(path, limits), limits)


def count_ods(path: Path, limits: Limits) -> int | None:
    for sheet in _ods_sheets(path, limits):
        if sheet_key(sheet.name) == "referrals":
            return max(sum(1 for _ in sheet.rows) - 1, 0)
    return None


def _ods_sheets(path: Path, limits: Limits) -> Iterator[SheetSource]:
    damaged = (
        f"{path.name} could not be read as an ODF spreadsheet: it is damaged or is a different "
        "kind of file. Open it in LibreOffice Calc and save it again as an ODF Spreadsheet (.ods)."
    )
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "mimetype" in names and archive.read("mimetype").strip() != _ODS_MIMETYPE.encode():
                raise UnreadableFile("corrupt_file", damaged)
            if "content.xml" not in names:
                raise UnreadableFile("corrupt_file", damaged)
            with archive.open("content.xml") as content:
                yield from _ods_tables(content, limits)
    except UnreadableFile:
        raise
    except (
        ParseError, DefusedXmlException, zipfile.BadZipFile, OSError, ValueError, RecursionError,
        NotImplementedError,
    ) as error:  # fmt: skip
        raise UnreadableFile("corrupt_file", damaged) from error


def _ods_tables(content: IO[bytes], limits: Limits) -> Iterator[SheetSource]:
    """Stream content.xml: each row is read, then emptied, so memory holds one row's cells (plus
    the values kept) however large the file."""
    rows: list[Row] = []
    number = 0
    for _event, element in iterparse(content):
        if element.tag == _T_ROW:
            repeat = _count(element.get(_A_ROWS_REPEATED))
            values = _ods_row(element, limits)
            if values and number < MAX_ROWS:
                rows.extend((number + 1 + i, values) for i in range(min(repeat, MAX_ROWS - number)))
            number += repeat
            element.clear()  # an empty element stays in the table until the table ends
        elif element.tag == _T_TABLE:
            yield SheetSource(element.get(_A_NAME, ""), rows)
            element.clear()
            rows, number = [], 0


def _ods_row(row: Element, limits: Limits) -> list[Cell]:
    """The row's values, without trailing empty cells (an empty row gives [])."""
    values: list[Cell] = []
    empty = 0  # empty cells seen since the last value: kept only if a value follows
    for cell in row:
        if cell.tag not in (_T_CELL, _T_COVERED):
            continue
        repeat = _count(cell.get(_A_COLUMNS_REPEATED))
        value = _ods_value(cell, limits)
        if value is None:
            empty += repeat
            continue
        if len(values) + empty >= MAX_COLUMNS:
            break
        values.extend([None] * empty)
        values.extend([value] * min(repeat, MAX_COLUMNS - len(values)))
        empty = 0
    return values


def _ods_value(cell: Element, limits: Limits) -> Cell:
    formula = cell.get(_A_FORMULA)
    if formula is not None:
        return Formula(formula)
    kind = cell.get(_A_VALUE_TYPE)
    if kind in _NUMBERS:
        number = cell.get(_A_VALUE, "")
        try:
            return int(number)
        except ValueError:
            try:
                return float(number)
            except ValueError:
                pass
    elif kind == "date":
        stamp = cell.get(_A_DATE_VALUE, "")
        try:
            return datetime.fromisoformat(stamp) if "T" in stamp else date.fromisoformat(stamp)
        except ValueError:
            pass
    elif kind == "boolean":
        return cell.get(_A_BOOLEAN_VALUE, "").lower() == "true"
    # text:s c="1000000000" is a few bytes that would make a billion spaces: the spaces a cell
    # may make are capped just above what import reads from a cell (it then reports too_long).
    spaces = [limits.max_cell_chars + 1]
    paragraphs = [_paragraph(p, spaces) for p in cell if p.tag in _P]
    return "\n".join(paragraphs) or None


def _paragraph(element: Element, spaces: list[int]) -> str:
    """A paragraph's text as ODF defines it: runs of white space are one space; text:s, text:tab
    and text:line-break stand for the spaces, tabs and line breaks themselves."""
    parts: list[str] = []
    if element.text:
        parts.append(_ODF_SPACE.sub(" ", element.text))
    for child in element:
        if child.tag == _S:
            run = min(_count(child.get(_A_COUNT)), spaces[0])
            spaces[0] -= run
            parts.append(" " * run)
        elif child.tag == _TAB:
            parts.append("\t")
        elif child.tag == _LINE_BREAK:
            parts.append("\n")
        elif not child.tag.startswith(f"{{{_OFFICE}}}"):  # office:annotation is a comment
            parts.append(_paragraph(child, spaces))
        if child.tail:
            parts.append(_ODF_SPACE.sub(" ", child.tail))
    return "".join(parts)


def _count(text: str | None) -> int:
    try:
        return max(int(text), 1) if text else 1
    except ValueError:
        return 1


def write_ods(documents: Iterable[Mapping[str, Any]], path: Path) -> None:
    """Write a minimal ODF spreadsheet: every value a text cell, so nothing is reinterpreted."""
    tables = flatten(documents)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        # The mimetype must come first and be stored uncompressed (ODF 1.2, part 3, 3.3).
        archive.writestr(zipfile.ZipInfo("mimetype"), _ODS_MIMETYPE, zipfile.ZIP_STORED)
        archive.writestr("META-INF/manifest.xml", _manifest())
        with archive.open("content.xml", "w") as content:
            _write_content(content, tables)


def _manifest() -> str:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<manifest:manifest xmlns:manifest="{_MANIFEST}" manifest:version="1.2">'
        f'<manifest:file-entry manifest:full-path="/" manifest:version="1.2" '
        f'manifest:media-type="{_ODS_MIMETYPE}"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )


def _write_content(out: IO[bytes], tables: Mapping[str, list[list[str]]]) -> None:
    out.write(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<office:document-content xmlns:office="{_OFFICE}" xmlns:table="{_TABLE}" '
        f'xmlns:text="{_TEXT}" office:version="1.2"><office:body><office:spreadsheet>'.encode()
    )
    for key, rows in tables.items():
        columns = SHEET_COLUMNS[key]
        out.write(
            f'<table:table table:name="{key}"><table:table-column '
            f'table:number-columns-repeated="{len(columns)}"/>'.encode()
        )
        out.write(_ods_row_xml(list(columns)).encode())
        for row in rows:
            out.write(_ods_row_xml(row).encode())
        out.write(b"</table:table>")
    out.write(b"</office:spreadsheet></office:body></office:document-content>")


def _ods_row_xml(values: list[str]) -> str:
    cells = []
    empty = 0
    for value in values:
        if not value:
            empty += 1
            continue
        if empty:
            cells.append(f'<table:table-cell table:number-columns-repeated="{empty}"/>')
            empty = 0
        if _XML_ILLEGAL.search(value):
            raise ValueError(f"{value[:40]!r} holds a control character an ODS file cannot hold")
        paragraphs = "".join(
            f"<text:p>{_ods_spaces(escape(line))}</text:p>"
            for line in value.replace("\r\n", "\n").split("\n")
        )
        cells.append(
            f'<table:table-cell office:value-type="string">{paragraphs}</table:table-cell>'
        )
    return f"<table:table-row>{''.join(cells)}</table:table-row>"


def _ods_spaces(text: str) -> str:
    """Runs of spaces and tabs as ODF writes them, so readers do not collapse them."""
    text = text.replace("\t", "<text:tab/>")
    return re.sub(r"(?<= ) +|^ +", lambda run: f'<text:s text:c="{len(run.group())}"/>', text)
