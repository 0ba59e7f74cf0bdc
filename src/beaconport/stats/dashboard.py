"""The statistics dashboard: today's figures as charts (``charts``), each count through
disclosure control at the role's threshold before it is drawn, with the figures beside each
chart in a table; the figures computed once and kept (``build``)."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit.models import AuditChainHead
from beaconport.reference.queries import force_names
from beaconport.stats import charts as c
from beaconport.stats import disclosure as sdc
from beaconport.stats import figures as f
from beaconport.stats import forecast as fc
from beaconport.stats import forecast_chart, publish
from beaconport.working_days import ENGLAND_AND_WALES, uk_day

FORECAST_RUNS = 100


@dataclass(frozen=True, slots=True)
class Dashboard:
    as_at: str
    headline: tuple[tuple[f.Figure, sdc.Cell], ...]
    charts: tuple[c.Chart | c.StackedChart, ...]
    forecast: fc.Forecast
    assumed: tuple[str, ...]
    scenarios: forecast_chart.ForecastChart
    #: Counts below it are suppressed.
    threshold: int
    #: When the figures were computed (England and Wales time).
    computed_at: str
    #: Referrals by force and month, and the forces' names, for ``by_force``: counts before
    #: disclosure control, never shown as they are.
    arrivals: c.Arrivals
    force_names: dict[str, str]
    day: date

    def by_force(self, forces: frozenset[str] | None) -> c.ForceChart:
        """Referrals by force and quarter for ``forces`` (None: all), from the kept figures."""
        return c.by_force(self.arrivals, self.force_names, forces, self.day)


#: The database and the day the figures are for: a dashboard is never reused across either.
Place = tuple[str, date]
#: How long computed figures are kept once something has changed: the audit log moves with
#: every sign-in and every record consulted, so "until something changes" would be never.
KEEP = timedelta(minutes=10)


def _place(session: Session) -> Place:
    return str(session.connection().engine.url), uk_day()


def _head(session: Session) -> tuple[int, str]:
    """The audit log's newest event, by its number and its chained hash: every change to what
    is counted writes an event, and the hash tells one history from another."""
    head = session.execute(select(AuditChainHead.seq, AuditChainHead.last_hash)).first()
    return (head[0], head[1]) if head else (0, "")


@dataclass(frozen=True, slots=True)
class _Computed:
    """What the dashboard draws, before disclosure control: the same for every role."""

    day: date
    at: datetime
    head: tuple[int, str]
    figures: f.Figures
    arrivals: c.Arrivals
    force_names: dict[str, str]
    received: f.Table
    flow: fc.Flow
    ahead: tuple[fc.Forecast, ...]


_computed: dict[Place, _Computed] = {}
_boards: dict[tuple[Place, int], Dashboard] = {}
_lock = threading.Lock()


def threshold_for(national: bool) -> int:
    """Internal suppression by role: the national team's roles see counts from 5 up; a force's
    own grant, outside the national team, sees the operation's figures as they are published
    (from 10 up)."""
    return sdc.INTERNAL if national else sdc.PUBLICATION


def build(session: Session, threshold: int = sdc.INTERNAL) -> Dashboard:
    """Today's dashboard at a threshold. The figures take seconds to compute at a hundred
    thousand referrals, so they are kept: for the rest of the day while nothing changes, and
    for up to ``KEEP`` once something has (the page says when they were computed)."""
    place, head = _place(session), _head(session)
    with _lock:
        computed = _computed.get(place)
        fresh = computed is not None and (computed.head == head
                                          or clock.now() - computed.at < KEEP)
        board = _boards.get((place, threshold)) if fresh else None
    if board is not None:
        return board
    if computed is None or not fresh:
        computed = _compute(session, head)
    board = _draw(computed, threshold)
    with _lock:
        if _computed.get(place) is not computed:
            for drawn in [k for k in _boards if k[0] == place]:
                del _boards[drawn]
        for stale in [k for k in _computed if k != place]:
            del _computed[stale]
        for drawn in [k for k in _boards if k[0] != place]:
            del _boards[drawn]
        _computed[place] = computed
        _boards[(place, threshold)] = board
    return board


def _compute(session: Session, head: tuple[int, str]) -> _Computed:
    today, at = uk_day(), clock.now()
    arrivals = c.arrivals(session)
    labels, values = c.received_by_month(arrivals, today)
    received = f.Table("received", "Referrals received, by month", "referrals",
                       "Referrals by the month their first version arrived (the last "
                       f"{c.MONTHS} months, and all earlier ones together).", labels,
                       ("Count",), tuple((v,) for v in values))
    flow = fc.observe(session)
    ahead = tuple(fc.forecast(flow, scenario, runs=FORECAST_RUNS)
                  for scenario in fc.scenarios())
    return _Computed(today, at, head, f.compute(session, today), arrivals,
                     force_names(session), received, flow, ahead)


def _draw(computed: _Computed, threshold: int) -> Dashboard:
    shown = (computed.received, *(
        t if not t.additive or t.key.startswith(c.BY_COLUMN) else c.one_column(t)
        for t in computed.figures.tables))
    tables = publish.protect_all(shown, computed.figures.shared, threshold)
    # A headline figure that adds up cells of a chart is hidden whenever one of them is.
    headline = publish.headline_cells(computed.figures.headline, tables, threshold)
    charts: list[c.Chart | c.StackedChart] = [c.chart_of(t, p) for t, p in tables]
    stages = next((t, p) for t, p in tables if t.key == "stages")
    at = next(i for i, drawn in enumerate(charts) if drawn.key == "stages")
    charts[at:at] = [c.funnel(*stages)]
    charts.insert(at + 2, c.outcomes(headline))
    return Dashboard(f"{computed.day:%-d %B %Y}", headline, tuple(charts), computed.ahead[0],
                     tuple(fc.ASSUMED_LABELS[a] for a in computed.flow.assumed),
                     forecast_chart.chart(list(computed.ahead)), threshold,
                     f"{computed.at.astimezone(ENGLAND_AND_WALES):%H:%M}", computed.arrivals,
                     computed.force_names, computed.day)
