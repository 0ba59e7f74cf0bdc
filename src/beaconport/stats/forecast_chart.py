"""The forecast as a line chart: for each scenario, the caseload still open week by week (the
middle of the runs) inside the band eight runs in ten fall within. Geometry only, as SVG
coordinates, so the template draws lines and no arithmetic."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from beaconport import clock
from beaconport.stats import forecast as fc

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 64, 40, 12, 36
#: Weeks shown at most: ten years (a run that never clears is still drawn to the edge).
MOST_WEEKS = 520
POINTS = 90


@dataclass(frozen=True, slots=True)
class Line:
    name: str
    #: SVG points of the middle line, and of the band's outline (high edge, then low edge back).
    middle: str
    band: str
    #: When half and nine in ten of the runs had cleared everything (None: not in 30 years).
    p50: date | None
    p90: date | None


@dataclass(frozen=True, slots=True)
class Tick:
    x: float
    y: float
    label: str


@dataclass(frozen=True, slots=True)
class ForecastChart:
    lines: tuple[Line, ...]
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    bottom: int = HEIGHT - BOTTOM
    right: int = WIDTH - RIGHT


def _weeks_shown(forecasts: list[fc.Forecast]) -> int:
    """Long enough to see every scenario that clears do so (with a quarter more); a scenario
    that never clears runs off the edge. Ten years at most, half a year at least."""
    ends = [f.p90 for f in forecasts if f.p90 is not None]
    if not ends:
        return MOST_WEEKS
    return max(26, min(MOST_WEEKS, round(max(ends) * 1.25)))


def chart(forecasts: list[fc.Forecast]) -> ForecastChart:
    weeks = _weeks_shown(forecasts)
    highest = max((max(f.high_by_week[:weeks], default=0) for f in forecasts), default=0) or 1
    step = max(1, weeks // POINTS)
    shown = list(range(0, weeks + 1, step))

    def x(week: int) -> float:
        return round(LEFT + (WIDTH - LEFT - RIGHT) * week / weeks, 1)

    def y(value: int) -> float:
        return round(TOP + (HEIGHT - TOP - BOTTOM) * (1 - value / highest), 1)

    def at(series: tuple[int, ...], week: int) -> int:
        return series[week] if week < len(series) else 0

    lines = []
    for f in forecasts:
        middle = " ".join(f"{x(w)},{y(at(f.open_by_week, w))}" for w in shown)
        upper = [f"{x(w)},{y(at(f.high_by_week, w))}" for w in shown]
        lower = [f"{x(w)},{y(at(f.low_by_week, w))}" for w in reversed(shown)]
        lines.append(Line(f.scenario.name, middle, " ".join(upper + lower),
                          f.date_of(f.p50), f.date_of(f.p90)))
    start = forecasts[0].start if forecasts else clock.today()
    # A tick a year (every two beyond six years; every quarter within a year and a half).
    every = 13 if weeks <= 78 else 52 if weeks <= 312 else 104
    x_ticks = tuple(Tick(x(w), HEIGHT - BOTTOM + 18, f"{start + timedelta(weeks=w):%b %Y}")
                    for w in range(0, weeks + 1, every))
    y_ticks = tuple(Tick(LEFT - 8, y(v), f"{v:,}") for v in (0, highest // 2, highest))
    return ForecastChart(tuple(lines), x_ticks, y_ticks)
