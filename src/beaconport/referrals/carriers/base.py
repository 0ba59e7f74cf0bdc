"""What every carrier (JSON Lines, workbook, CSV) hands to import: raw referrals, one at a time."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from beaconport.referrals.problems import Problem


@dataclass(frozen=True, slots=True)
class Limits:
    """How much import will read, so hostile input cannot exhaust the machine."""

    max_file_bytes: int = 2 * 1024**3
    max_unpacked_bytes: int = 4 * 1024**3
    max_compression_ratio: int = 200
    max_line_bytes: int = 4 * 1024**2
    max_cell_chars: int = 100_000


class UnreadableFile(Exception):
    """The whole file cannot be read: nothing in it can be imported (exit status 2)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def json_path_location(path: str) -> str:
    """The default locator: a JSON path is already a location a reader can follow."""
    return path


@dataclass(slots=True)
class RawReferral:
    """One referral as the carrier read it, before validation.

    ``document`` is the referral object in the interchange format (``None`` when the carrier could
    not even build one, e.g. a truncated JSON line). ``raw_text`` is exactly what the force sent
    for it, kept verbatim for the quarantine. ``position`` says where it is in the file
    ("line 12", "referrals sheet, row 5"). ``locate`` turns a JSON path such as
    ``people[2].date_of_birth`` into the place a force analyst would look (sheet, row, column).
    ``problems`` are those the carrier itself found (formulas, orphan rows, bad JSON).
    """

    document: dict[str, Any] | None
    raw_text: str
    position: str
    problems: list[Problem] = field(default_factory=list)
    locate: Callable[[str], str] = json_path_location
