"""What a cell holds, as carriers hand it over, and how its value reads as document text.

``Formula``, ``Cell`` and ``Row`` are what the xlsx, ods and CSV readers build; the conversions
below are kept in one place so that a value reads the same whichever of them sent it:
``cell_text`` for the document, ``cell_raw_text`` for the quarantine, and ``convert`` for the
typed values (lists, aliases, yes/no, whole numbers) some columns hold.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, TypeAlias

from beaconport.referrals.carriers.tabular.layout import Kind

_YES = frozenset({"yes", "y", "true"})
_NO = frozenset({"no", "n", "false"})


@dataclass(frozen=True, slots=True)
class Formula:
    """A cell that holds a formula; ``text`` is the formula exactly as the file has it."""

    text: str


Cell: TypeAlias = str | int | float | bool | date | Formula | None  # date includes datetime
#: A data row as a carrier reads it: the row number a person sees (header is row 1), and values.
Row: TypeAlias = tuple[int, Sequence[Cell]]


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


def cell_raw_text(value: Cell) -> str:
    """A cell as the quarantine keeps it: what the force sent, untrimmed."""
    if type(value) is str:
        return value
    if isinstance(value, Formula):
        return value.text
    if isinstance(value, datetime) and value.time() != time():
        return value.isoformat(sep=" ")
    return cell_text(value)


def convert(text: str, kind: Kind) -> Any:
    """A cell's trimmed text as the document holds a column of this kind."""
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


def _split(text: str) -> list[str]:
    return [item for item in (part.strip() for part in text.split(";")) if item]


def _alias(text: str) -> dict[str, str]:
    words = text.split()
    if len(words) == 1:
        return {"nickname": words[0]}
    return {"forenames": " ".join(words[:-1]), "surname": words[-1]}
