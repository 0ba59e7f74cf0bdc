"""The dashboard's charts, drawn from tables after disclosure control: a bar per row, stacked
bars for a row split by its columns, the funnel summed from published cells only, outcomes, and
referrals by force and quarter as a shaded table. Geometry and protected cells only: the figures
come from ``figures``, their protection from ``disclosure``."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport.clock import aware
from beaconport.referrals.models import Referral
from beaconport.stats import disclosure as sdc
from beaconport.stats import figures as f
from beaconport.working_days import uk_day

MONTHS = 24
QUARTERS = 8
#: Tables drawn split by their columns (stacked bars); the rest are drawn a bar per row.
BY_COLUMN = ("completeness_", "recording_")


@dataclass(frozen=True, slots=True)
class Bar:
    """One labelled count: a bar of a chart, or one part of a stacked bar."""

    label: str
    cell: sdc.Cell


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    title: str
    unit: str
    definition: str
    bars: tuple[Bar, ...]
    total: sdc.Cell | None
    #: Every row for the table beneath, where the chart draws only some (the 5 groups).
    detail: tuple[Bar, ...] = ()

    @property
    def largest(self) -> int:
        return max((int(b.cell.value or 0) for b in self.bars), default=0) or 1


@dataclass(frozen=True, slots=True)
class Stack:
    """One bar of a stacked chart: its parts, as shares of its total (100%)."""

    label: str
    segments: tuple[Bar, ...]
    total: sdc.Cell

    def share(self, cell: sdc.Cell) -> float:
        """A part's share of the bar, in percent (nought if either is suppressed)."""
        if cell.value is None or not self.total.value:
            return 0.0
        return round(100 * cell.value / self.total.value, 1)

    @property
    def hidden_share(self) -> float:
        """What the suppressed parts hold together: the rest of the bar."""
        if not self.total.value:
            return 0.0
        return round(max(0.0, 100 - sum(self.share(s.cell) for s in self.segments)), 1)


@dataclass(frozen=True, slots=True)
class StackedChart:
    key: str
    title: str
    unit: str
    definition: str
    series: tuple[str, ...]
    stacks: tuple[Stack, ...]


def one_column(table: f.Table) -> f.Table:
    """A table as one bar per row: the row's whole count."""
    if len(table.columns) == 1:
        return table
    return f.Table(table.key, table.title, table.unit, table.definition, table.rows,
                   ("Count",), tuple((sum(row),) for row in table.counts), table.margins,
                   table.notes, table.groups)


def chart_of(table: f.Table, protected: sdc.Protected) -> Chart | StackedChart:
    """A chart of the protected table: stacked bars where each row is split by its columns
    (whether ethnicity was recorded), else a bar per row (for a table with subtotals, the
    subtotals: the 5 groups, the 18+1 categories being in the table beneath)."""
    if len(table.columns) > 1:
        return StackedChart(
            table.key, table.title, table.unit, table.definition, table.columns,
            tuple(Stack(label, tuple(Bar(c, cell) for c, cell in zip(
                table.columns, cells, strict=True)), total)
                for label, cells, total in zip(table.rows, protected.cells,
                                               protected.row_totals, strict=True)))
    members = {m for rows in table.groups.values() for m in rows}
    every = tuple(Bar(label, row[0]) for label, row in zip(table.rows, protected.cells,
                                                          strict=True))
    return Chart(table.key, table.title, table.unit, table.definition,
                 tuple(b for r, b in enumerate(every) if r not in members),
                 protected.total if table.additive else None, every if members else ())


#: The funnel's steps: each counts the eligible cases at this stage of the review or beyond.
FUNNEL = (("Eligible", 0), ("Allocated to a reviewer, or further", 1),
          ("Review started, or further", 2), ("Review submitted, or further", 3),
          ("Signed off, or further", 4), ("Decided by the panel", 5))


def sum_published(cells: list[sdc.Cell]) -> sdc.Cell:
    """The sum of published cells; suppressed if any is (a sum of what is shown discloses
    nothing more, a sum including a hidden cell would)."""
    if any(c.value is None for c in cells):
        return sdc.Cell(None, sdc.CONFIDENTIAL)
    return sdc.Cell(sum(int(c.value or 0) for c in cells))


def funnel(table: f.Table, protected: sdc.Protected) -> Chart:
    """The screening funnel and review pipeline: how many got how far, each step summed from
    the stages chart's published cells only."""
    cells = [row[0] for row in protected.cells]
    not_screened = table.rows.index("Not yet screened")
    screened = [c for i, c in enumerate(cells) if i != not_screened]
    left, total = cells[not_screened].value, protected.total.value
    # Screened: the total less those not yet screened where both are shown, else the sum of
    # the screened rows where all are shown.
    screened_cell = (sdc.Cell(total - left) if total is not None and left is not None
                     else sum_published(screened))
    bars = [Bar("Received", protected.total), Bar("Screened", screened_cell)]
    bars += [Bar(label, sum_published(cells[first:len(f.STAGES)])) for label, first in FUNNEL]
    return Chart("funnel", "The screening funnel and the review pipeline", "referrals",
                 "How many referrals got how far: screened, found eligible, and each stage of "
                 "the review reached (or passed). From the same figures as the stages chart.",
                 tuple(bars), None)


def outcomes(headline: tuple[tuple[f.Figure, sdc.Cell], ...]) -> Chart:
    wanted = ("reinvestigations", "arrested", "charged", "convicted")
    shown = {fig.key: (fig, cell) for fig, cell in headline}
    return Chart("outcomes", "Outcomes", "referrals (reinvestigations) and suspects",
                 "Reinvestigations the panel decided, and suspects arrested, charged and "
                 "convicted after the review.",
                 tuple(Bar(shown[k][0].title, shown[k][1]) for k in wanted), None)


#: Referrals by the force that referred them and the month (year, month) their first version
#: arrived, in England and Wales: read once for the monthly chart and the per-force chart.
Arrivals = Counter[tuple[str, tuple[int, int]]]


def arrivals(session: Session) -> Arrivals:
    counted: Arrivals = Counter()
    for force, at in session.execute(select(Referral.force_code, Referral.first_received_at_utc)):
        day = uk_day(aware(at))
        counted[(force, (day.year, day.month))] += 1
    return counted


def received_by_month(counted: Arrivals, today: date
                      ) -> tuple[tuple[str, ...], tuple[int, ...]]:
    months = []
    year, month = today.year, today.month
    for _ in range(MONTHS):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    months.reverse()
    by_month: Counter[tuple[int, int]] = Counter()
    for (_, ym), n in counted.items():
        by_month[ym] += n
    older = sum(n for ym, n in by_month.items() if ym < months[0])
    labels = ("Earlier", *(f"{m:02d}/{y}" for y, m in months))
    return labels, (older, *(by_month.get(ym, 0) for ym in months))


@dataclass(frozen=True, slots=True)
class Heat:
    """A cell of the per-force chart, shaded 1 (least) to 4 (most); 0 for nought or
    suppressed."""

    cell: sdc.Cell
    level: int


@dataclass(frozen=True, slots=True)
class ForceChart:
    title: str
    unit: str
    definition: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Heat, ...], sdc.Cell], ...]
    totals: tuple[sdc.Cell, ...]
    total: sdc.Cell


def _quarters(today: date) -> list[tuple[int, int]]:
    quarter = (today.year, (today.month - 1) // 3 + 1)
    found = []
    for _ in range(QUARTERS):
        found.append(quarter)
        year, q = quarter
        quarter = (year, q - 1) if q > 1 else (year - 1, 4)
    return list(reversed(found))


def by_force(counted: Arrivals, names: dict[str, str], forces: frozenset[str] | None,
             today: date) -> ForceChart:
    """Referrals received by force and quarter (the last eight, and all earlier together), for
    ``forces`` only (None: every force), suppressed at the internal threshold."""
    quarters = _quarters(today)
    by_quarter: Counter[tuple[str, tuple[int, int] | None]] = Counter()
    for (force, (year, month)), n in counted.items():
        if forces is None or force in forces:
            quarter = (year, (month - 1) // 3 + 1)
            by_quarter[(force, quarter if quarter >= quarters[0] else None)] += n
    listed = sorted({force for force, _ in by_quarter} | (forces or set()),
                    key=lambda code: names.get(code, code))
    columns = ("Earlier", *(f"{('Jan–Mar', 'Apr–Jun', 'Jul–Sep', 'Oct–Dec')[q - 1]} {y}"
                            for y, q in quarters))
    counts = [[by_quarter[(force, None)], *(by_quarter[(force, q)] for q in quarters)]
              for force in listed]
    protected = sdc.protect(tuple(names.get(c, c) for c in listed), columns, counts,
                            threshold=sdc.INTERNAL)
    largest = max((int(c.value or 0) for row in protected.cells for c in row), default=0) or 1

    def heat(cell: sdc.Cell) -> Heat:
        return Heat(cell, 0 if not cell.value else min(4, 1 + int(4 * cell.value / largest)))

    return ForceChart(
        "Referrals received by force, by quarter", "referrals",
        "Referrals by the force that referred them and the quarter their first version "
        "arrived (the last eight quarters, and all earlier ones together). Darker is more.",
        columns, tuple((name, tuple(heat(c) for c in cells), total) for name, cells, total in zip(
            protected.rows, protected.cells, protected.row_totals, strict=True)),
        protected.column_totals, protected.total)
