"""The statistics dashboard: today's figures as charts, each count through disclosure control at
the internal threshold (5) before it is drawn, with the figures beside each chart in a table."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport.clock import aware
from beaconport.referrals.models import ReferralVersion
from beaconport.stats import disclosure as sdc
from beaconport.stats import figures as f
from beaconport.stats import forecast as fc
from beaconport.stats import publish
from beaconport.working_days import uk_day

MONTHS = 24


@dataclass(frozen=True, slots=True)
class Bar:
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

    @property
    def largest(self) -> int:
        return max((int(b.cell.value or 0) for b in self.bars), default=0) or 1


@dataclass(frozen=True, slots=True)
class Dashboard:
    as_at: str
    headline: tuple[tuple[f.Figure, sdc.Cell], ...]
    charts: tuple[Chart, ...]
    forecast: fc.Forecast
    assumed: tuple[str, ...]


def _one_column(table: f.Table) -> f.Table:
    """A table as one bar per row: the row's whole count."""
    return f.Table(table.key, table.title, table.unit, table.definition, table.rows,
                   ("Count",), tuple((sum(row),) for row in table.counts), table.additive,
                   table.notes)


def _chart(table: f.Table, protected: sdc.Protected) -> Chart:
    return Chart(table.key, table.title, table.unit, table.definition,
                 tuple(Bar(label, row[0]) for label, row in zip(table.rows, protected.cells,
                                                                strict=True)),
                 protected.total if table.additive else None)


def _received_by_month(session: Session) -> tuple[tuple[str, ...], tuple[int, ...]]:
    today = uk_day()
    months = []
    year, month = today.year, today.month
    for _ in range(MONTHS):
        months.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    months.reverse()
    counted = Counter((aware(at).year, aware(at).month) for at in session.scalars(
        select(ReferralVersion.received_at_utc).where(ReferralVersion.number == 1)))
    older = sum(n for ym, n in counted.items() if ym < months[0])
    labels = ("Earlier", *(f"{m:02d}/{y}" for y, m in months))
    return labels, (older, *(counted.get(ym, 0) for ym in months))


def build(session: Session) -> Dashboard:
    today = uk_day()
    computed = f.compute(session, today)
    labels, values = _received_by_month(session)
    received = f.Table("received", "Referrals received, by month", "referrals",
                       "Referrals by the month their first version arrived (the last "
                       f"{MONTHS} months, and all earlier ones together).", labels,
                       ("Count",), tuple((v,) for v in values))
    tables = tuple((t, publish.protect_table(t, sdc.INTERNAL))
                   for t in (received, *(_one_column(t) for t in computed.tables)))
    # A headline figure that adds up cells of a chart is hidden whenever one of them is.
    headline = publish.headline_cells(computed.headline, tables, sdc.INTERNAL)
    charts = [_chart(t, p) for t, p in tables]
    flow = fc.observe(session)
    ahead = fc.forecast(flow, fc.Scenario("As now"), runs=100)
    return Dashboard(f"{today:%-d %B %Y}", headline, tuple(charts), ahead,
                     tuple(fc.ASSUMED_LABELS[a] for a in flow.assumed))
