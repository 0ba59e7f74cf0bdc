"""Working days in England and Wales: Monday to Friday, less bank holidays. Deadlines for
safeguarding referrals and the Victims' Code are counted in them.

The bank holidays come from the ``holidays`` package (maintained, installed with the
application, no network at run time). England and Wales share theirs; the substitute days when
a holiday falls at a weekend ("Boxing Day (observed)") are included.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays

from beaconport import clock

ENGLAND_AND_WALES = ZoneInfo("Europe/London")


def end_of_day(day: date) -> datetime:
    """The last moment of the day in England and Wales (an aware time)."""
    return datetime.combine(day + timedelta(days=1), datetime.min.time(),
                            ENGLAND_AND_WALES) - timedelta(microseconds=1)


def uk_day(moment: datetime | None = None) -> date:
    """The day it is (or was, at ``moment``) in England and Wales: deadlines are counted in its
    days, and between midnight and one in the morning in summer UTC is still on the day
    before."""
    return (moment or clock.now()).astimezone(ENGLAND_AND_WALES).date()


@cache
def _bank_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("GB", subdiv="ENG", years=year))


def is_bank_holiday(day: date) -> bool:
    return day in _bank_holidays(day.year)


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and not is_bank_holiday(day)


def add_working_days(start: date, days: int) -> date:
    """The working day ``days`` working days after ``start`` (``start`` itself does not count,
    whatever day it is): one working day after a Friday is the Monday, or the Tuesday after a
    bank holiday Monday. Zero days: ``start`` if it is a working day, else the next one."""
    if days < 0:
        raise ValueError("count working days forward only")
    day = start
    if days == 0:
        while not is_working_day(day):
            day += timedelta(days=1)
        return day
    while days:
        day += timedelta(days=1)
        if is_working_day(day):
            days -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` is not later):
    how late a deadline is, in the same days it was set in."""
    count, day = 0, start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
