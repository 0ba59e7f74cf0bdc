"""Reading: sheets of rows in, one RawReferral per referral out (``assemble``).

Each referral's rows become the document the JSON Lines carrier would have read, its raw text
(every row as sent, for the quarantine) and its problems. Unlike the whole-file checks in
``sheets``, what is wrong with a row here (a formula, an over-long cell, a duplicate, a row naming
no referral) is a problem of that referral alone, so the rest of the file still imports.
"""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

from beaconport.referrals.carriers.base import Limits, RawReferral
from beaconport.referrals.carriers.tabular.cells import (
    Cell,
    Formula,
    Row,
    cell_raw_text,
    cell_text,
    convert,
)
from beaconport.referrals.carriers.tabular.layout import (
    ADDRESS,
    CRIME,
    DECISION,
    ETHNICITY,
    FORMAT,
    IDENTITY,
    PERSON,
    REFERRAL,
    REVIEW,
    Spec,
)
from beaconport.referrals.carriers.tabular.places import Places
from beaconport.referrals.carriers.tabular.sheets import (
    Book,
    Group,
    Sheet,
    SheetSource,
    group_rows,
    load_sheets,
)
from beaconport.referrals.problems import Problem


def assemble(
    sources: Iterable[SheetSource], limits: Limits, *, files: bool = False
) -> Iterator[RawReferral]:
    """Read every sheet now (raising UnreadableFile for a file that cannot be read), then yield
    the referrals one by one. ``files`` says the sheets are CSV files (for the messages)."""
    sheets = load_sheets(sources, files)
    book = Book(sheets, files)
    groups, loose = group_rows(sheets)
    return _referrals(book, groups, loose, limits)


def _referrals(
    book: Book, groups: list[Group], loose: list[tuple[Sheet, Row]], limits: Limits
) -> Iterator[RawReferral]:
    pending = deque(groups)
    del groups
    while pending:  # popped as they go so memory falls as the import proceeds
        yield _Referral(book, limits).build(pending.popleft())
    for sheet, row in loose:
        yield _loose_row(sheet, row, limits)


class _Referral:
    """Builds one referral's document, its raw text, its problems and its row map."""

    def __init__(self, book: Book, limits: Limits) -> None:
        self.book = book
        self.limits = limits
        self.problems: list[Problem] = []
        self.raw: dict[str, list[dict[str, Any]]] = {}
        self.places = Places(book)

    def build(self, group: Group) -> RawReferral:
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
        first: tuple[Sheet, int] | None = None
        for sheet, number, values in group.rows:
            first = first or (sheet, number)
            fields = self._fields(sheet, number, values)
            key = sheet.key
            if key == "referrals":
                if places.referral_row is None:
                    places.referral_row = number
                    document.update(_build(fields, REFERRAL))
                else:
                    self._duplicate_referral(sheet, number, group)
            elif key == "crimes":
                if not self._first(sheet, number, fields, "crime_reference", crime_rows):
                    continue
                crimes.append(_build(fields, CRIME))
                places.crimes.append(number)
            elif key == "people":
                if not self._first(sheet, number, fields, "person_id", person_rows):
                    continue
                person_id = fields.get("person_id")
                if person_id is not None:
                    person_index[person_id] = len(people)
                people.append(_build(fields, PERSON) | _person_extras(fields))
                places.people.append(number)
                places.ethnicity.append([])
            elif key == "ethnicity":
                self._ethnicity(sheet, number, fields, people, person_index)
            elif key == "decisions":
                decisions.append(_build(fields, DECISION))
                places.decisions.append(number)
            else:
                reviews.append(_build(fields, REVIEW))
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

    def _fields(self, sheet: Sheet, number: int, values: Sequence[Cell]) -> dict[str, str]:
        self.raw.setdefault(sheet.key, []).append(_raw_row(sheet, number, values))
        return _row_fields(sheet, number, values, self.limits, self.problems)

    def _ethnicity(
        self,
        sheet: Sheet,
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
        people[index].setdefault("ethnicity", []).append(_build(fields, ETHNICITY))
        self.places.ethnicity[index].append(number)

    def _duplicate_referral(self, sheet: Sheet, number: int, group: Group) -> None:
        self.problems.append(Problem(
            "duplicate_row", sheet.cell(number, None),
            f"This is a second row for referral {group.force_reference} (force {group.force}); "
            f"only the first, row {self.places.referral_row}, was used. Remove the extra row, or "
            "correct its force_reference if it is a different referral.",
        ))  # fmt: skip

    def _first(self, sheet: Sheet, number: int, fields: dict[str, Any], column: str,
               seen: dict[str, int]) -> bool:
        """Whether this row is the first with its id in the referral; a later one is reported
        and left out, so the document keeps the first."""
        value = fields.get(column)
        if value is None:
            return True
        if value in seen:
            self._duplicate(sheet, number, column, value, seen)
            return False
        seen[value] = number
        return True

    def _duplicate(
        self, sheet: Sheet, number: int, column: str, value: str, seen: dict[str, int]
    ) -> None:
        what = "person id" if column == "person_id" else "crime reference"
        self.problems.append(Problem(
            "duplicate_row", sheet.cell(number, column),
            f"The {what} '{value}' is used again on this row; it first appears on row "
            f"{seen[value]}, which is the one that was used. Give each {what.split()[0]} in a "
            "referral its own row (a person who is both suspect and complainant has two rows, "
            "with two ids).",
        ))  # fmt: skip

    def _no_referral_row(self, group: Group) -> None:
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


def _row_fields(
    sheet: Sheet, number: int, values: Sequence[Cell], limits: Limits, problems: list[Problem]
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


def _raw_row(sheet: Sheet, number: int, values: Sequence[Cell]) -> dict[str, Any]:
    row: dict[str, Any] = {"row": number}
    keys = sheet.raw_keys
    for index, value in enumerate(values):
        if value is None:
            continue
        key = keys[index] if index < len(keys) else f"column {index + 1}"
        row[key] = cell_raw_text(value)
    return row


def _build(fields: Mapping[str, str], spec: Spec) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for path, column, kind in spec:
        text = fields.get(column)
        if text is None:
            continue
        value = convert(text, kind)
        if value is None:
            continue
        parent, _, child = path.partition(".")
        if child:
            out.setdefault(parent, {})[child] = value
        else:
            out[parent] = value
    return out


def _person_extras(fields: Mapping[str, str]) -> dict[str, Any]:
    extras: dict[str, Any] = {}
    address = {key: fields[column] for key, column in ADDRESS if column in fields}
    if address:
        extras["addresses"] = [address]
    if "pnc" in fields:
        extras["identifiers"] = [{"type": "PNC", "value": fields["pnc"]}]
    return extras


def _loose_row(sheet: Sheet, row: Row, limits: Limits) -> RawReferral:
    number, values = row
    problems: list[Problem] = []
    fields = _row_fields(sheet, number, values, limits, problems)
    missing = [column for column in IDENTITY if column not in fields]
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
