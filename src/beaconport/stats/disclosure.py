"""Statistical disclosure control for a table of counts with its margins, before anything
leaves the system (domain brief §9). Pure: the counts in, the protected table out.

- **Primary suppression**: every count below the threshold (10 for publication, 5 for internal
  dashboards), interior cells and totals alike, is suppressed. Zeros are published unless asked
  not to be (a zero can disclose where a category is implicitly known).
- **Secondary suppression**: where a row or column would have one suppressed entry, it could be
  recovered by subtraction from the total, so another is suppressed (the smallest count that
  protects it, interior cells before totals). Then every suppressed cell is audited by linear
  programming: the least and most it could be, given every published cell and every row and
  column adding up. A cell whose range is narrower than the protection asked for (by default: a
  single value, recovered exactly) gets another cell suppressed beside it, until none is.
- **Class disclosure**: a row whose whole count falls in one column tells every member's
  attribute (all the suspects of one force share one ethnicity): reported, for the publisher to
  coarsen the categories.
- **Rounding** (optional): published counts rounded to a base, totals rounded from the
  unrounded counts on their own.
- **Symbols**: a suppressed cell is ``[c]`` with its number empty, never nought.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

import numpy as np
from scipy.optimize import linprog

CONFIDENTIAL, NOT_AVAILABLE, NOT_APPLICABLE = "[c]", "[x]", "[z]"
PUBLICATION, INTERNAL = 10, 5
TOTAL = "Total"

#: A cell's position: (row, column), with ``None`` for the margin (the total) on that axis.
Position = tuple[int | None, int | None]


@dataclass(frozen=True, slots=True)
class Cell:
    value: int | float | None
    symbol: str | None = None

    def text(self) -> str:
        return self.symbol if self.symbol else str(self.value)


@dataclass(frozen=True, slots=True)
class Protected:
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    #: cells[r][c]; then each row's total, each column's total, and the grand total.
    cells: tuple[tuple[Cell, ...], ...]
    row_totals: tuple[Cell, ...]
    column_totals: tuple[Cell, ...]
    total: Cell
    primary: frozenset[Position]
    secondary: frozenset[Position]
    #: Rows whose whole count lies in one column (class disclosure), by name.
    class_disclosure: tuple[str, ...] = field(default=())

    def suppressed(self) -> frozenset[Position]:
        return self.primary | self.secondary


#: Which lines of a table add up: ``True`` rows and columns (with a grand total), ``"rows"``
#: each row to its total only (the rows count the same people in different ways, so columns do
#: not add up and have no total), ``False`` none.
Margins = bool | Literal["rows"]
#: Subtotal rows: each subtotal row's index and the indices of the rows it adds up.
Groups = Mapping[int, Sequence[int]]


def _line_positions(rows: int, columns: int, *, margins: Margins = True,
                    groups: Groups | None = None) -> list[list[Position]]:
    """Each set of cells that adds up, the whole last: each row with its total, each column
    with its total (over the rows that are not subtotals), and each subtotal with its rows."""
    groups = groups or {}
    leaves = [r for r in range(rows) if r not in groups]
    lines: list[list[Position]] = []
    if margins is False:
        return lines
    for r in [*range(rows), *([None] if margins is True else [])]:
        lines.append([(r, c) for c in range(columns)] + [(r, None)])
    if margins is True:
        for c in [*range(columns), None]:
            lines.append([(r, c) for r in leaves] + [(None, c)])
    for subtotal, members in groups.items():
        for c in [*range(columns), None]:
            lines.append([(m, c) for m in members] + [(subtotal, c)])
    return lines


def _values(counts: Sequence[Sequence[int]], groups: Groups | None = None,
            width: int | None = None) -> dict[Position, int]:
    groups = groups or {}
    rows = len(counts)
    columns = width if width is not None else len(counts[0]) if counts else 0
    leaves = [r for r in range(rows) if r not in groups]
    found: dict[Position, int] = {}
    for r in range(rows):
        for c in range(columns):
            found[(r, c)] = int(counts[r][c])
        found[(r, None)] = sum(int(v) for v in counts[r])
    for subtotal, members in groups.items():
        if any(found[(subtotal, c)] != sum(found[(m, c)] for m in members)
               for c in range(columns)):
            raise ValueError(f"subtotal row {subtotal} does not add up its rows")
    for c in range(columns):
        found[(None, c)] = sum(int(counts[r][c]) for r in leaves)
    found[(None, None)] = sum(found[(r, None)] for r in leaves)
    return found


def feasible_ranges(counts: Sequence[Sequence[int]], suppressed: frozenset[Position], *,
                    zeros_published: bool = True, margins: Margins = True,
                    groups: Groups | None = None) -> dict[Position, tuple[float, float]]:
    """For each suppressed cell, the least and the most it could be, knowing every published
    cell and that every line (row, column, subtotal) adds up to its total. Where zeros are
    published, anyone can tell that a suppressed cell is not nought: it is at least 1."""
    values = _values(counts, groups)
    rows, columns = len(counts), len(counts[0]) if counts else 0
    unknown = sorted(suppressed, key=lambda p: (p[0] is None, p[0] or 0, p[1] is None, p[1] or 0))
    if not unknown:
        return {}
    index = {p: i for i, p in enumerate(unknown)}
    equations, constants = [], []
    for line in _line_positions(rows, columns, margins=margins, groups=groups):
        *parts, whole = line
        row = np.zeros(len(unknown))
        constant = 0.0
        for p in parts:
            if p in index:
                row[index[p]] += 1
            else:
                constant -= values[p]
        if whole in index:
            row[index[whole]] -= 1
        else:
            constant += values[whole]
        if row.any():
            equations.append(row)
            constants.append(constant)
    a_eq = np.array(equations) if equations else None
    b_eq = np.array(constants) if equations else None
    ranges: dict[Position, tuple[float, float]] = {}
    for p, i in index.items():
        objective = np.zeros(len(unknown))
        objective[i] = 1
        floor = 1 if zeros_published else 0
        low = linprog(objective, A_eq=a_eq, b_eq=b_eq, bounds=(floor, None), method="highs")
        high = linprog(-objective, A_eq=a_eq, b_eq=b_eq, bounds=(floor, None), method="highs")
        top = -high.fun if high.status == 0 else float("inf")
        ranges[p] = (round(low.fun, 6), round(top, 6))
    return ranges


def _protect_lines(values: dict[Position, int], suppressed: set[Position],
                   lines: list[list[Position]]) -> bool:
    """Give every line with a single suppressed entry a second one: the smallest published
    entry of the line that is not nought, interior cells before totals. True if any was added."""
    added = False
    for line in lines:
        hidden = [p for p in line if p in suppressed]
        if len(hidden) != 1:
            continue
        candidates = [p for p in line if p not in suppressed and values[p] > 0]
        if not candidates:
            continue
        choice = min(candidates, key=lambda p: (None in p, values[p]))
        suppressed.add(choice)
        added = True
    return added


def _shown(p: Position, margins: Margins) -> bool:
    """Whether the table shows the cell at all (a total that is not shown is ``[z]``)."""
    if margins is True:
        return True
    if margins == "rows":
        return p[0] is not None
    return None not in p


def protect(rows: Sequence[str], columns: Sequence[str], counts: Sequence[Sequence[int]], *,
            threshold: int = PUBLICATION, suppress_zeros: bool = False, protection: float = 1.0,
            rounding: int | None = None, margins: Margins = True, groups: Groups | None = None,
            hidden: Collection[Position] = ()) -> Protected:
    """The table as it may be shown: counts below ``threshold`` suppressed, then enough others
    that no suppressed cell's range (by linear programming) is narrower than ``protection``.

    Without ``margins`` (rows that do not add up: a referral failing several criteria) no total
    is shown, so there is nothing to subtract from: small counts are suppressed on their own and
    the totals are ``[z]``. With ``margins="rows"`` only each row's total is shown. ``groups``
    names subtotal rows (their counts must add up their rows), which are protected like totals.
    ``hidden`` cells are suppressed whatever their count: the same figure is suppressed in
    another table, so publishing it here would undo that table's protection."""
    if len(counts) != len(rows) or any(len(r) != len(columns) for r in counts):
        raise ValueError("the counts do not match the rows and columns")
    values = _values(counts, groups, len(columns))
    primary = {p for p, v in values.items()
               if ((0 < v < threshold) or (v == 0 and suppress_zeros)) and _shown(p, margins)}
    suppressed = primary | {p for p in hidden if p in values and _shown(p, margins)}
    lines = _line_positions(len(rows), len(columns), margins=margins, groups=groups)
    while lines:
        while _protect_lines(values, suppressed, lines):
            pass
        narrow = [p for p, (low, high) in feasible_ranges(
            counts, frozenset(suppressed), zeros_published=not suppress_zeros, margins=margins,
            groups=groups).items() if high - low < protection]
        if not narrow:
            break
        grown = False
        for p in narrow:
            # Suppress the smallest published entry in a line through the exposed cell.
            candidates = [q for line in lines if p in line for q in line
                          if q not in suppressed and values[q] > 0]
            if candidates:
                suppressed.add(min(candidates, key=lambda q: (None in q, values[q])))
                grown = True
        if not grown:
            # Every line through the exposed cells is hidden already: it is pinned by lines
            # further off, so hide the smallest published count in any line holding a hidden one.
            farther = [q for line in lines if any(x in suppressed for x in line) for q in line
                       if q not in suppressed and values[q] > 0]
            if not farther:
                break  # only noughts left published: nothing more can be hidden
            suppressed.add(min(farther, key=lambda q: (None in q, values[q])))

    def cell(p: Position) -> Cell:
        if not _shown(p, margins):
            return Cell(None, NOT_APPLICABLE)
        if p in suppressed:
            return Cell(None, CONFIDENTIAL)
        value = values[p]
        return Cell(rounded(value, rounding))

    classes = tuple(rows[r] for r in range(len(rows))
                    if values[(r, None)] > 0
                    and sum(1 for c in range(len(columns)) if values[(r, c)] > 0) == 1
                    and len(columns) > 1)
    return Protected(
        tuple(rows), tuple(columns),
        tuple(tuple(cell((r, c)) for c in range(len(columns))) for r in range(len(rows))),
        tuple(cell((r, None)) for r in range(len(rows))),
        tuple(cell((None, c)) for c in range(len(columns))), cell((None, None)),
        frozenset(primary), frozenset(suppressed - primary), classes)


def rounded(value: int, base: int | None) -> int:
    """A published count rounded to the base (halves up); unchanged without one."""
    if not base:
        return value
    return int(base * ((value + base / 2) // base))


def percentage(numerator: Cell, denominator: Cell, *, threshold: int = PUBLICATION
               ) -> Cell:
    """A percentage (to one decimal place) only over a safe denominator (at least the
    threshold) and a published numerator; otherwise ``[c]``. A zero denominator has none:
    ``[z]``."""
    if denominator.value == 0:
        return Cell(None, NOT_APPLICABLE)
    if (numerator.value is None or denominator.value is None
            or denominator.value < threshold):
        return Cell(None, CONFIDENTIAL)
    return Cell(round(100 * numerator.value / denominator.value, 1))
