"""Checks made before any zip (a workbook, an ODS file, a zip of CSV files) is opened.

The sizes a zip declares for its members are enough to decide: Python's zipfile never unpacks a
member beyond its declared size (and fails the CRC check if the data disagrees), so a member
cannot unpack to more than the directory says.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from beaconport.referrals.carriers.base import Limits, UnreadableFile

#: Members smaller than this are never called a zip bomb: small, very repetitive files (an empty
#: sheet, a styles part) compress far better than 200:1 quite innocently.
BOMB_MIN_BYTES = 10 * 1024**2

#: How each kind of zip is named in messages, and what to advise when it cannot be opened.
_ADVICE = {
    ".xlsx": "Open it in Excel and save it again as an Excel Workbook (.xlsx).",
    ".ods": "Open it in LibreOffice Calc and save it again as an ODF Spreadsheet (.ods).",
    ".zip": "Make the zip again from the CSV files (in Windows: select the files, then "
    "Send to > Compressed (zipped) folder).",
}


def check_file_size(path: Path, size: int, limits: Limits) -> None:
    """Refuse a file (or a folder of CSV files, by their total size) that is too large."""
    if size > limits.max_file_bytes:
        raise UnreadableFile(
            "file_too_large",
            f"{path.name} is {_mib(size)}, larger than the {_mib(limits.max_file_bytes)} import "
            "accepts. Split the referrals across several smaller files and import each one.",
        )


def check_zip(path: Path, limits: Limits) -> None:
    """Raise UnreadableFile unless ``path`` is a zip that is safe to unpack within ``limits``."""
    check_file_size(path, path.stat().st_size, limits)
    advice = _ADVICE.get(path.suffix.lower(), "")
    damaged = f"{path.name} is damaged or is not what its name says: it could not be opened."
    if not zipfile.is_zipfile(path):
        raise UnreadableFile("corrupt_file", f"{damaged} {advice}".strip())
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise UnreadableFile("corrupt_file", f"{damaged} {advice}".strip()) from error
    total = 0
    for member in members:
        total += member.file_size
        ratio_too_high = member.file_size > limits.max_compression_ratio * max(
            member.compress_size, 1
        )
        if member.file_size > BOMB_MIN_BYTES and ratio_too_high:
            raise UnreadableFile(
                "zip_bomb",
                f"{path.name} holds a part ({member.filename}) that unpacks to "
                f"{_mib(member.file_size)} from only {_mib(member.compress_size)}, far more than "
                "a genuine export would. Import refuses such files as they can exhaust the "
                "machine. Export the referrals again and send the new file.",
            )
    if total > limits.max_unpacked_bytes:
        raise UnreadableFile(
            "file_too_large",
            f"{path.name} unpacks to {_mib(total)}, more than the "
            f"{_mib(limits.max_unpacked_bytes)} import accepts. Split the referrals across "
            "several smaller files and import each one.",
        )


def _mib(size: int) -> str:
    if size < 1024**2:
        return f"{size:,} bytes"
    return f"{size / 1024**2:,.1f} MiB"
