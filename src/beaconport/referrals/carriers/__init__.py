"""The three carriers of the Referral Interchange Format, chosen by the file's name.

``read_referrals`` gives one RawReferral per referral, whatever carried it; ``write_referrals``
is its inverse (for tests and synthetic data); ``count_hint`` sizes a progress bar.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from itertools import chain
from pathlib import Path
from typing import Any

from beaconport.referrals.carriers.archive import check_file_size, check_zip
from beaconport.referrals.carriers.base import Limits, RawReferral, UnreadableFile
from beaconport.referrals.carriers.csvfiles import count_csv, read_csv, write_csv
from beaconport.referrals.carriers.jsonl import count_lines, read_jsonl, write_jsonl
from beaconport.referrals.carriers.safe_text import storable
from beaconport.referrals.carriers.workbook import (
    count_ods,
    count_xlsx,
    read_ods,
    read_xlsx,
    write_ods,
    write_xlsx,
)

__all__ = [
    "Limits",
    "RawReferral",
    "UnreadableFile",
    "carrier_name",
    "count_hint",
    "read_referrals",
    "write_referrals",
]

_JSON_LINES = frozenset({".jsonl", ".json", ".ndjson"})
_DEFAULT_LIMITS = Limits()
_Reader = Callable[[Path, Limits], Iterator[RawReferral]]
_Writer = Callable[[Iterable[Mapping[str, Any]], Path], None]
_READERS: dict[str, _Reader] = {".xlsx": read_xlsx, ".ods": read_ods, ".zip": read_csv}
_WRITERS: dict[str, _Writer] = {
    **dict.fromkeys(_JSON_LINES, write_jsonl),
    ".xlsx": write_xlsx,
    ".ods": write_ods,
    ".zip": write_csv,
}
#: What to tell a force that sent a file of a kind import does not read.
_ADVICE = {
    ".csv": "One CSV file cannot hold a referral: put referrals.csv, crimes.csv, people.csv and "
    "the other CSV files in a folder, or in a .zip, and import that.",
    ".xls": "Open it in Excel and save it as an Excel Workbook (.xlsx).",
    ".xlsm": "Workbooks with macros are not accepted: save it as an Excel Workbook (.xlsx).",
    ".xlsb": "Open it in Excel and save it as an Excel Workbook (.xlsx).",
}


def read_referrals(path: Path, limits: Limits = _DEFAULT_LIMITS) -> Iterator[RawReferral]:
    """The referrals in a file, one at a time.

    Raises UnreadableFile at once, before anything is yielded, when the file as a whole cannot
    be read; problems within one referral travel with that referral instead.
    """
    path = Path(path)
    referrals = _reader(path)(path, limits)
    # Readers are generators; taking the first referral now makes whole-file failures (empty,
    # wrong encoding, missing sheet) surface here rather than part-way through an import.
    first = next(referrals, None)
    if first is None:
        raise UnreadableFile("empty_file", f"{path.name} holds no referrals.")
    return (storable(raw) for raw in chain((first,), referrals))


def write_referrals(documents: Iterable[Mapping[str, Any]], path: Path | str) -> None:
    """Write documents in the carrier the path names: .jsonl/.json/.ndjson, .xlsx, .ods, .zip
    (of CSV files), or a folder of CSV files (an existing folder, a path ending in "/", or a
    path with no extension that does not exist yet)."""
    folder = str(path).endswith(("/", os.sep))
    path = Path(path)
    if folder or path.is_dir() or (not path.suffix and not path.exists()):
        write_csv(documents, path)
        return
    writer = _WRITERS.get(path.suffix.lower())
    if writer is None:
        raise ValueError(
            f"cannot write referrals to {path.name}: use .jsonl, .xlsx, .ods, .zip or a folder"
        )
    writer(documents, path)


def count_hint(path: Path, limits: Limits = _DEFAULT_LIMITS) -> int | None:
    """A cheap estimate of how many referrals the file holds, or None; never raises."""
    path = Path(path)
    try:
        if path.is_dir():
            return count_csv(path)
        suffix = path.suffix.lower()
        if suffix in _JSON_LINES:
            return count_lines(path)
        if suffix not in _READERS:
            return None
        check_zip(path, limits)
        if suffix == ".xlsx":
            return count_xlsx(path)
        if suffix == ".ods":
            return count_ods(path, limits)
        return count_csv(path)
    except Exception:  # a hint is never worth failing for; reading reports the real problem
        return None


def carrier_name(path: Path) -> str:
    """The carrier as recorded with each import: jsonl, xlsx, ods, csv (or the unknown suffix)."""
    suffix = path.suffix.lower()
    if path.is_dir() or suffix == ".zip":
        return "csv"
    if suffix in _JSON_LINES:
        return "jsonl"
    return suffix.lstrip(".") or "unknown"


def _reader(path: Path) -> _Reader:
    if not path.exists():
        raise UnreadableFile(
            "file_not_found",
            f"{path} was not found. Check the name of the file or folder and where it is.",
        )
    if path.is_dir():
        return read_csv
    suffix = path.suffix.lower()
    if suffix in _JSON_LINES:
        return _read_json_lines
    reader = _READERS.get(suffix)
    if reader is None:
        advice = _ADVICE.get(
            suffix,
            "Send referrals as JSON Lines (.jsonl), a workbook (.xlsx or .ods), or CSV files in a "
            "folder or a .zip.",
        )
        raise UnreadableFile(
            "unsupported_file_type", f"{path.name} is not a kind of file import reads. {advice}"
        )
    return reader


def _read_json_lines(path: Path, limits: Limits) -> Iterator[RawReferral]:
    check_file_size(path, path.stat().st_size, limits)
    return read_jsonl(path, limits)


_ZIP_MAGIC = b"PK\x03\x04"


def upload_problem(filename: str, head: bytes) -> str | None:
    """Why an uploaded file cannot be a referral file, judged by its name and first bytes, or
    None. Catches the wrong kind of file before anything is stored."""
    suffix = Path(filename).suffix.lower()
    if suffix in _JSON_LINES:
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if text and not text.startswith((b"{", b"[")):
            return f"{filename} does not look like JSON Lines: it should start with {{."
        return None
    if suffix in (".xlsx", ".ods", ".zip"):
        if not head.startswith(_ZIP_MAGIC):
            return (f"{filename} is not a real {suffix} file (its content is of another kind). "
                    "Save it again from the spreadsheet program or archive tool.")
        return None
    return (f"{filename} is not a kind of file Beaconport imports. Send JSON Lines (.jsonl), "
            "a workbook (.xlsx or .ods), or CSV files in a .zip.")
