"""Where each part of a referral's document came from, for messages: ``locate`` turns a JSON path
such as ``people[2].date_of_birth`` into the sheet, row and column a force analyst would look at.

Apart from assembly because it is kept for as long as the referral is (it is the RawReferral's
``locate``), so it holds row numbers only, and because it reads the layout the other way round:
from document path to column.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from beaconport.referrals.carriers.tabular.layout import (
    CRIME,
    DECISION,
    ETHNICITY,
    PERSON,
    REFERRAL,
    REVIEW,
)
from beaconport.referrals.carriers.tabular.sheets import Book

#: For locate(): a document path (list indexes dropped) to the column that holds it.
_COLUMN_OF: dict[str, dict[str, str]] = {
    "referrals": {path: column for path, column, _ in REFERRAL},
    "crimes": {path: column for path, column, _ in CRIME},
    "people": {
        **{path: column for path, column, _ in PERSON},
        "addresses": "address",
        "addresses.line": "address",
        "addresses.postcode": "postcode",
        "addresses.from": "address_from",
        "addresses.to": "address_to",
        "identifiers": "pnc",
        "identifiers.value": "pnc",
        "identifiers.type": "pnc",
    },
    "ethnicity": {path: column for path, column, _ in ETHNICITY},
    "decisions": {path: column for path, column, _ in DECISION},
    "previous_reviews": {path: column for path, column, _ in REVIEW},
}
_LIST_SHEET = {
    "crimes": "crimes",
    "people": "people",
    "decisions": "decisions",
    "previous_reviews": "previous_reviews",
}
_PATH_PART = re.compile(r"\[(\d+)\]|([^.\[\]]+)")


class Places:
    """Where each part of one referral's document came from, kept small: row numbers only."""

    __slots__ = (
        "book", "crimes", "decisions", "ethnicity", "people", "position", "referral_row",
        "reviews",
    )  # fmt: skip

    def __init__(self, book: Book) -> None:
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
