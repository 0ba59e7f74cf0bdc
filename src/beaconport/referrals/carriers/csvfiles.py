"""CSV files, one per sheet (referrals.csv, crimes.csv, ...), in a folder or a zip."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain
from pathlib import Path
from typing import IO, Any

from beaconport.referrals.carriers.archive import check_file_size, check_zip
from beaconport.referrals.carriers.base import Limits, RawReferral, UnreadableFile
from beaconport.referrals.carriers.tabular import (
    SHEET_COLUMNS,
    Cell,
    Formula,
    Row,
    SheetSource,
    assemble,
    flatten,
)

_BOM = codecs.BOM_UTF8
_CHUNK = 1024**2
_SAVE_AS = (
    "In Excel, use File > Save As and choose 'CSV UTF-8 (Comma delimited)', then send it again."
)
Opener = Callable[[], IO[bytes]]


def read_csv(path: Path, limits: Limits) -> Iterator[RawReferral]:
    if path.is_dir():
        return assemble(_folder(path, limits), limits, files=True)
    check_zip(path, limits)
    try:
        with zipfile.ZipFile(path) as archive:
            # assemble() reads every row before it returns, so closing afterwards is safe.
            return assemble(_zipped(archive, limits), limits, files=True)
    except (zipfile.BadZipFile, OSError) as error:
        raise UnreadableFile(
            "corrupt_file",
            f"{path.name} is damaged and could not be unpacked. Make the zip again from the CSV "
            "files and send it again.",
        ) from error


def write_csv(documents: Iterable[Mapping[str, Any]], path: Path) -> None:
    """Write referrals.csv and one file for each other sheet that has rows (UTF-8, no BOM)."""
    texts = {
        f"{key}.csv": _csv_text(key, rows)
        for key, rows in flatten(documents).items()
        if rows or key == "referrals"
    }
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, text in texts.items():
                archive.writestr(name, text.encode("utf-8"))
        return
    path.mkdir(parents=True, exist_ok=True)
    for key in SHEET_COLUMNS:
        # A file left from an earlier export would be read back as part of this one.
        (path / f"{key}.csv").unlink(missing_ok=True)
    for name, text in texts.items():
        (path / name).write_text(text, encoding="utf-8", newline="")


def count_csv(path: Path) -> int | None:
    """Rows in referrals.csv, less its header."""
    if path.is_dir():
        files = [file for file in path.iterdir() if file.name.lower() == "referrals.csv"]
        if not files:
            return None
        with files[0].open("rb") as stream:
            return _count_rows(stream)
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.filename.replace("\\", "/").rsplit("/", 1)[-1].lower() == "referrals.csv":
                with archive.open(info) as stream:
                    return _count_rows(stream)
    return None


def _folder(path: Path, limits: Limits) -> list[SheetSource]:
    files = sorted(
        file
        for file in path.iterdir()
        if file.is_file() and not file.name.startswith(".") and file.suffix.lower() == ".csv"
    )
    check_file_size(path, sum(file.stat().st_size for file in files), limits)
    return [
        SheetSource(file.stem, _rows(_opener(file), file.name, limits), file_name=file.name)
        for file in files
    ]


def _zipped(archive: zipfile.ZipFile, limits: Limits) -> Iterator[SheetSource]:
    for info in archive.infolist():
        name = info.filename.replace("\\", "/")
        base = name.rsplit("/", 1)[-1]
        if info.is_dir() or name.startswith("__MACOSX/") or base.startswith("."):
            continue  # folders, and the resource forks macOS adds to zips
        if not base.lower().endswith(".csv"):
            continue
        yield SheetSource(
            base[: -len(".csv")], _rows(_member(archive, info), name, limits), file_name=name
        )


def _opener(file: Path) -> Opener:
    return lambda: file.open("rb")


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> Opener:
    return lambda: archive.open(info)


def _rows(open_file: Opener, label: str, limits: Limits) -> Iterator[Row]:
    # A cell a little over max_cell_chars is reported (too_long) with the rest of the referral;
    # one far over it is almost always an unclosed quote that has swallowed the rest of the file.
    field_limit = limits.max_cell_chars * 10
    previous = csv.field_size_limit(field_limit)
    reader: Any = None
    try:
        with open_file() as raw, io.TextIOWrapper(raw, encoding="utf-8-sig", newline="") as text:
            first = text.readline()
            reader = csv.reader(chain([first], text), delimiter=_delimiter(first))
            for number, record in enumerate(reader, start=1):
                yield number, [_value(value) for value in record]
    except UnicodeDecodeError as error:
        raise _not_utf8(open_file, label) from error
    except csv.Error as error:
        line = reader.line_num if reader is not None else 1
        raise _bad_csv(label, line, str(error), field_limit) from error
    except (zipfile.BadZipFile, RuntimeError, NotImplementedError) as error:
        raise UnreadableFile(
            "corrupt_file",
            f"{label} could not be unpacked from the zip (it is damaged, or password protected). "
            "Make the zip again without a password and send it again.",
        ) from error
    finally:
        csv.field_size_limit(previous)


def _value(text: str) -> Cell:
    if not text:
        return None
    if text.startswith("="):  # a spreadsheet opening this file would run it
        return Formula(text)
    return text


def _delimiter(header: str) -> str:
    """Excel in some locales saves "CSV" with semicolons; the header row shows which it is."""
    if "," not in header:
        for candidate in (";", "\t"):
            if candidate in header:
                return candidate
    return ","


def _not_utf8(open_file: Opener, label: str) -> UnreadableFile:
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, column = 1, 0
    with open_file() as raw:
        while piece := raw.readline(_CHUNK):
            if line == 1 and column == 0 and piece.startswith(_BOM):
                piece = piece[len(_BOM) :]
            try:
                decoder.decode(piece)
            except UnicodeDecodeError as error:
                byte = error.object[error.start]
                return UnreadableFile(
                    "not_utf8",
                    f"{label} is not saved as UTF-8 text: line {line} has a byte (0x{byte:02X}) at "
                    f"position {column + error.start + 1} that is not valid UTF-8, often a £ sign "
                    f"or an accented letter saved as Windows-1252. Save it as 'CSV UTF-8'. "
                    f"{_SAVE_AS}",
                )
            if piece.endswith(b"\n"):
                line, column = line + 1, 0
            else:
                column += len(piece)
    return UnreadableFile(
        "not_utf8",
        f"{label} is not saved as UTF-8 text: it ends part-way through a character. Save it as "
        f"'CSV UTF-8'. {_SAVE_AS}",
    )


def _bad_csv(label: str, line: int, error: str, field_limit: int) -> UnreadableFile:
    if "field larger than field limit" in error:
        why = (
            f"a cell is longer than the {field_limit:,} characters import reads. This usually "
            'means a quote mark (") that opens a cell is never closed, so the rest of the file '
            "runs into one cell: check the quote marks near that line."
        )
    elif "NUL" in error:
        why = "it holds NUL characters, so it is probably not a CSV file (a workbook renamed?)."
    else:
        why = f"it is not valid CSV ({error})."
    return UnreadableFile("corrupt_file", f"{label}, line {line}, could not be read: {why} "
                          f"{_SAVE_AS}")  # fmt: skip


def _csv_text(key: str, rows: list[list[str]]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(SHEET_COLUMNS[key])
    writer.writerows(rows)
    return buffer.getvalue()


def _count_rows(stream: IO[bytes]) -> int:
    with io.TextIOWrapper(stream, encoding="utf-8-sig", errors="replace", newline="") as text:
        first = text.readline()
        rows = csv.reader(chain([first], text), delimiter=_delimiter(first))
        return max(sum(1 for _ in rows) - 1, 0)
