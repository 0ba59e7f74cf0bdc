"""Published statistics as OpenDocument Spreadsheet (.ods) workbooks, standard library only.

The layout follows the Analysis Function's guidance for releasing statistics in spreadsheets:
one table per sheet, its title in A1 as a heading, an optional short line of description in
A2, then the table with its header row marked, no merged cells and no blank rows or columns
inside it. A suppressed cell is a string such as ``"[c]"`` and never a number. The cover sheet,
notes and table of contents are ordinary :class:`Sheet` values that the publisher puts first.

The same sheets always give the same bytes (no dates in the metadata, fixed timestamps and
order in the archive), so a publication can be checked against its predecessor by hash, and a
file is either complete or absent: it is written beside its final name and renamed into place.
"""

from __future__ import annotations

import math
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from xml.etree.ElementTree import Element
from xml.sax.saxutils import escape, quoteattr

from defusedxml.ElementTree import fromstring

Value = str | int | float | None

MIMETYPE = "application/vnd.oasis.opendocument.spreadsheet"
MAX_SHEET_NAME = 31
#: Characters a sheet name may not contain in Excel or LibreOffice Calc.
FORBIDDEN_IN_SHEET_NAME = "[]*?/\\:"

_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_NAMESPACES = (
    f'xmlns:office="{_OFFICE}" '
    'xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
    f'xmlns:text="{_TEXT}" '
    f'xmlns:table="{_TABLE}" '
    'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0" '
    'xmlns:meta="urn:oasis:names:tc:opendocument:xmlns:meta:1.0" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" '
    'office:version="1.2"'
)
_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n'
#: Zip entries carry no real time: the earliest a zip can say, so output depends only on input.
_EPOCH = (1980, 1, 1, 0, 0, 0)
#: Characters XML 1.0 cannot carry at all; a tab and a newline are written as ODF elements.
_UNWRITABLE = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_SPACES = re.compile(" +")

_TITLE_STYLE, _HEADER_STYLE = "title", "header"
_BOLD = (
    'fo:font-weight="bold" style:font-weight-asian="bold" style:font-weight-complex="bold"'
)
_AUTOMATIC_STYLES = (
    "<office:automatic-styles>"
    f'<style:style style:name="{_TITLE_STYLE}" style:family="table-cell">'
    f'<style:text-properties fo:font-size="14pt" {_BOLD}/></style:style>'
    f'<style:style style:name="{_HEADER_STYLE}" style:family="table-cell">'
    f"<style:text-properties {_BOLD}/></style:style>"
    "</office:automatic-styles>"
)


@dataclass(frozen=True)
class Sheet:
    """One sheet: ``title`` in A1, ``description`` (if any) in A2, then ``rows``, of which
    the first ``header_rows`` are the table's header. ``None`` is an empty cell."""

    name: str
    title: str
    rows: list[list[Value]]
    header_rows: int = 1
    description: str = ""


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> None:
    """Write ``sheets`` to ``path`` as an .ods workbook, replacing any file there.

    Raises ValueError, before anything is written, for a sheet name a spreadsheet would refuse
    or repeat and for a cell that cannot be written (a control character, a number that is not
    finite, a type that is not a string or number). Whatever fails, no partial file is left."""
    _check_sheets(sheets)
    parts = {
        "META-INF/manifest.xml": _manifest(),
        "content.xml": _content(sheets),
        "styles.xml": f"{_DECLARATION}<office:document-styles {_NAMESPACES}>"
        "<office:styles/></office:document-styles>",
        # The cover sheet's title is the document's title, which screen readers announce.
        "meta.xml": f"{_DECLARATION}<office:document-meta {_NAMESPACES}><office:meta>"
        f"<meta:generator>Beaconport</meta:generator><dc:title>{escape(sheets[0].title)}"
        "</dc:title></office:meta></office:document-meta>",
    }
    partial = path.with_suffix(".ods.partial")
    try:
        with zipfile.ZipFile(partial, "w") as archive:
            # The mimetype must be the first entry, uncompressed, so that the format can be
            # recognised from the file's first bytes.
            _add(archive, "mimetype", MIMETYPE, zipfile.ZIP_STORED)
            for name, text in parts.items():
                _add(archive, name, text, zipfile.ZIP_DEFLATED)
        partial.replace(path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def read_workbook(path: Path) -> dict[str, list[list[str | float | None]]]:
    """Each sheet's cells as written (title and description rows included): numbers as float,
    text as str, empty cells as None. Empty cells at the end of a row and empty rows at the end
    of a sheet are dropped, so a row with nothing in it reads as ``[]``."""
    with zipfile.ZipFile(path) as archive:
        names = archive.namelist()
        if "mimetype" not in names or archive.read("mimetype") != MIMETYPE.encode("ascii"):
            raise ValueError(f"{path.name} is not an OpenDocument spreadsheet")
        root = fromstring(archive.read("content.xml"))
    body = root.find(f"{{{_OFFICE}}}body/{{{_OFFICE}}}spreadsheet")
    if body is None:
        raise ValueError(f"{path.name} has no spreadsheet in its content")
    return {
        table.get(f"{{{_TABLE}}}name", ""): _read_rows(table)
        for table in body.findall(f"{{{_TABLE}}}table")
    }


# --------------------------------------------------------------------------------------------
# Writing
# --------------------------------------------------------------------------------------------


def _check_sheets(sheets: Sequence[Sheet]) -> None:
    if not sheets:
        raise ValueError("a workbook needs at least one sheet")
    seen: set[str] = set()
    for sheet in sheets:
        name = sheet.name
        if not name.strip():
            raise ValueError("a sheet name cannot be empty or blank")
        if len(name) > MAX_SHEET_NAME:
            raise ValueError(
                f"sheet name {name!r} is {len(name)} characters long; at most {MAX_SHEET_NAME}"
            )
        forbidden = sorted({c for c in name if c in FORBIDDEN_IN_SHEET_NAME})
        if forbidden:
            raise ValueError(f"sheet name {name!r} contains {' '.join(forbidden)}")
        if name.startswith("'") or name.endswith("'"):
            raise ValueError(f"sheet name {name!r} cannot begin or end with an apostrophe")
        if _UNWRITABLE.search(name) or "\t" in name or "\n" in name:
            raise ValueError(f"sheet name {name!r} contains a control character")
        # Spreadsheets compare sheet names without regard to case.
        if name.casefold() in seen:
            raise ValueError(f"sheet name {name!r} is used twice")
        seen.add(name.casefold())
        if not sheet.title.strip():
            raise ValueError(f"sheet {name!r} has no title")
        if not 0 <= sheet.header_rows <= len(sheet.rows):
            raise ValueError(
                f"sheet {name!r} has {sheet.header_rows} header rows but {len(sheet.rows)} rows"
            )


def _add(archive: zipfile.ZipFile, name: str, text: str, compression: int) -> None:
    info = zipfile.ZipInfo(name, date_time=_EPOCH)
    info.compress_type = compression
    # Fixed whatever the platform or umask: the system that made the entry, and its mode.
    info.create_system = 3
    info.external_attr = 0o644 << 16
    archive.writestr(info, text.encode("utf-8"))


def _manifest() -> str:
    parts = ("content.xml", "styles.xml", "meta.xml")
    entries = [("/", MIMETYPE), *((part, "text/xml") for part in parts)]
    files = "".join(
        f'<manifest:file-entry manifest:full-path="{path}" manifest:media-type="{media}"'
        + (' manifest:version="1.2"' if path == "/" else "")
        + "/>"
        for path, media in entries
    )
    return (
        f"{_DECLARATION}<manifest:manifest "
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        f'manifest:version="1.2">{files}</manifest:manifest>'
    )


def _content(sheets: Sequence[Sheet]) -> str:
    tables = "".join(_table(sheet) for sheet in sheets)
    return (
        f"{_DECLARATION}<office:document-content {_NAMESPACES}>{_AUTOMATIC_STYLES}"
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )


def _table(sheet: Sheet) -> str:
    above: list[list[Value]] = [[sheet.title]]
    if sheet.description:
        above.append([sheet.description])
    width = max(1, *(len(row) for row in [*above, *sheet.rows]))
    header, body = sheet.rows[: sheet.header_rows], sheet.rows[sheet.header_rows :]
    parts = [
        f"<table:table table:name={quoteattr(sheet.name)}>",
        # A table must declare its columns; one declaration repeated covers them all.
        f'<table:table-column table:number-columns-repeated="{width}"/>',
        _row(above[0], _TITLE_STYLE),
        *(_row(row) for row in above[1:]),
    ]
    if header:
        # Marking the header rows lets assistive technology and printing treat them as such.
        parts += ["<table:table-header-rows>", *(_row(r, _HEADER_STYLE) for r in header)]
        parts.append("</table:table-header-rows>")
    parts += [_row(row) for row in body]
    parts.append("</table:table>")
    return "".join(parts)


def _row(values: list[Value], style: str | None = None) -> str:
    cells: list[str] = []
    empty = 0
    for value in values:
        if value is None:
            empty += 1
            continue
        if empty:
            cells.append(_empty(empty))
            empty = 0
        cells.append(_cell(value, style))
    # A row must hold at least one cell, even if nothing is in it.
    if empty or not cells:
        cells.append(_empty(max(empty, 1)))
    return f"<table:table-row>{''.join(cells)}</table:table-row>"


def _empty(count: int) -> str:
    if count == 1:
        return "<table:table-cell/>"
    return f'<table:table-cell table:number-columns-repeated="{count}"/>'


def _cell(value: str | int | float, style: str | None) -> str:
    styled = f' table:style-name="{style}"' if style else ""
    # bool is an int to Python, but True is not a statistic.
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise ValueError(f"cannot write {value!r} ({type(value).__name__}) to a cell")
    if isinstance(value, str):
        return f'<table:table-cell office:value-type="string"{styled}>{_paragraphs(value)}' + (
            "</table:table-cell>"
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"cannot write {value!r}: a number in a table must be finite")
    number = str(value) if isinstance(value, int) else repr(value)
    return (
        f'<table:table-cell office:value-type="float" office:value="{number}"{styled}>'
        f"<text:p>{number}</text:p></table:table-cell>"
    )


def _paragraphs(text: str) -> str:
    """Text as ODF paragraphs, one a line. Runs of spaces and tabs are written as elements
    because a reader collapses plain white space in a paragraph."""
    if _UNWRITABLE.search(text):
        raise ValueError(f"cannot write {text!r}: it contains a control character")
    paragraphs = []
    for line in text.split("\n"):
        pieces = [_spaces(escape(piece)) for piece in line.split("\t")]
        paragraphs.append(f"<text:p>{'<text:tab/>'.join(pieces)}</text:p>")
    return "".join(paragraphs)


def _spaces(line: str) -> str:
    def run(match: re.Match[str]) -> str:
        count = len(match.group())
        # A single space between words is kept as it is; any other space is spelt out.
        if count == 1 and match.start() > 0 and match.end() < len(line):
            return " "
        return f'<text:s text:c="{count}"/>'

    return _SPACES.sub(run, line)


# --------------------------------------------------------------------------------------------
# Reading
# --------------------------------------------------------------------------------------------


def _read_rows(table: Element) -> list[list[str | float | None]]:
    rows: list[list[str | float | None]] = []
    # Empty rows are counted, not built, until something follows them: other writers repeat an
    # empty row a million times to the end of the sheet.
    pending_empty_rows = 0
    for row in _rows(table):
        repeat = int(row.get(f"{{{_TABLE}}}number-rows-repeated", "1"))
        values = _read_cells(row)
        if not values:
            pending_empty_rows += repeat
            continue
        rows.extend([] for _ in range(pending_empty_rows))
        pending_empty_rows = 0
        rows.extend(list(values) for _ in range(repeat))
    return rows


def _rows(parent: Element) -> Iterator[Element]:
    """The rows in order, including those inside header and grouping elements."""
    for child in parent:
        if child.tag == f"{{{_TABLE}}}table-row":
            yield child
        elif child.tag in {
            f"{{{_TABLE}}}table-header-rows",
            f"{{{_TABLE}}}table-rows",
            f"{{{_TABLE}}}table-row-group",
        }:
            yield from _rows(child)


def _read_cells(row: Element) -> list[str | float | None]:
    values: list[str | float | None] = []
    pending_empty = 0  # as for rows: trailing repeated empty cells are never built
    for cell in row:
        if cell.tag not in {f"{{{_TABLE}}}table-cell", f"{{{_TABLE}}}covered-table-cell"}:
            continue
        repeat = int(cell.get(f"{{{_TABLE}}}number-columns-repeated", "1"))
        value = _read_value(cell)
        if value is None:
            pending_empty += repeat
            continue
        values.extend([None] * pending_empty)
        pending_empty = 0
        values.extend([value] * repeat)
    return values


def _read_value(cell: Element) -> str | float | None:
    kind = cell.get(f"{{{_OFFICE}}}value-type")
    if kind is None:
        return None
    number = cell.get(f"{{{_OFFICE}}}value")
    if kind in {"float", "percentage", "currency"} and number is not None:
        return float(number)
    # Direct children only: a comment on the cell holds paragraphs of its own.
    return "\n".join(_text(p) for p in cell.findall(f"{{{_TEXT}}}p"))


def _text(element: Element) -> str:
    pieces = [element.text or ""]
    for child in element:
        if child.tag == f"{{{_TEXT}}}s":
            pieces.append(" " * int(child.get(f"{{{_TEXT}}}c", "1")))
        elif child.tag == f"{{{_TEXT}}}tab":
            pieces.append("\t")
        elif child.tag == f"{{{_TEXT}}}line-break":
            pieces.append("\n")
        else:  # spans, links and the like: their text counts
            pieces.append(_text(child))
        pieces.append(child.tail or "")
    return "".join(pieces)
