"""Partial dates (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) as the interval of days they may mean.

The demo has its own copy rather than using ``beaconport.dates`` so that the ground truth it writes
is an independent check on the platform's screening, not a restatement of it.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

_PARTIAL = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?")

Interval = tuple[date, date]


_intervals: dict[str, Interval | None] = {}


def interval(text: object) -> Interval | None:
    """First and last day a partial date may mean; ``None`` if it is missing or not a date."""
    if not isinstance(text, str):
        return None
    if text not in _intervals:
        if len(_intervals) > 1_000_000:  # only hostile input has this many distinct dates
            _intervals.clear()
        _intervals[text] = _parse(text)
    return _intervals[text]


def _parse(text: str) -> Interval | None:
    match = _PARTIAL.fullmatch(text)
    if match is None:
        return None
    year = int(match[1])
    try:
        if match[2] is None:
            return date(year, 1, 1), date(year, 12, 31)
        month = int(match[2])
        if match[3] is None:
            first = date(year, month, 1)
            following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
            return first, following - timedelta(days=1)
        day = date(year, month, int(match[3]))
    except ValueError:
        return None
    return day, day


def add_years(day: date, years: int) -> date:
    """The same day ``years`` later; 29 February becomes 1 March, as the law counts ages."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


def age_on(born: date, on: date) -> int:
    """Whole years of age on a day."""
    years = on.year - born.year
    return years - 1 if (on.month, on.day) < (born.month, born.day) else years


_written: dict[tuple[date, str], str] = {}


def partial(day: date, precision: str = "day") -> str:
    """Write a day to the given precision: ``day``, ``month`` or ``year``.

    The strings are shared: a large demo set repeats the same few thousand dates millions of
    times, and sharing them keeps 100,000 referrals within a few hundred megabytes.
    """
    key = (day, precision)
    text = _written.get(key)
    if text is None:
        if precision == "year":
            text = f"{day.year:04d}"
        elif precision == "month":
            text = f"{day.year:04d}-{day.month:02d}"
        else:
            text = day.isoformat()
        _written[key] = text
    return text
