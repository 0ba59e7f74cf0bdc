"""Partial dates: force records often know a date only to the year or the month.

A partial date stands for an interval: ``2013`` is 2013-01-01 … 2013-12-31 and ``2013-06`` is the
whole of June. Screening asks whether such an interval lies wholly inside, or wholly outside, a
window; nothing here ever guesses a missing day or month.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

_PATTERN = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class InvalidPartialDate(ValueError):
    """Raised with a message a force analyst can act on."""


@dataclass(frozen=True, slots=True)
class PartialDate:
    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str) -> PartialDate:
        match = _PATTERN.match(text)
        if match is None:
            raise InvalidPartialDate(
                f"'{text}' is not a date in the form YYYY-MM-DD (or YYYY-MM, or YYYY)"
            )
        year, month, day = (int(g) if g else None for g in match.groups())
        assert year is not None
        if year < 1900:
            raise InvalidPartialDate(f"'{text}' is before 1900, which cannot be right")
        if month is not None and not 1 <= month <= 12:
            raise InvalidPartialDate(f"'{text}' has month {month}; months run from 01 to 12")
        if day is not None:
            assert month is not None
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise InvalidPartialDate(
                    f"'{text}' does not exist: {calendar.month_name[month]} {year} "
                    f"has {last} days"
                )
        return cls(year, month, day)

    @property
    def earliest(self) -> date:
        return date(self.year, self.month or 1, self.day or 1)

    @property
    def latest(self) -> date:
        if self.month is None:
            return date(self.year, 12, 31)
        if self.day is None:
            return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])
        return date(self.year, self.month, self.day)

    def within(self, start: date, end: date) -> bool:
        """True only if the whole interval lies inside ``start`` … ``end`` (both inclusive)."""
        return start <= self.earliest and self.latest <= end

    def outside(self, start: date, end: date) -> bool:
        """True only if no part of the interval lies inside ``start`` … ``end``."""
        return self.latest < start or self.earliest > end

    def __str__(self) -> str:
        return _format(self.year, self.month, self.day)


@lru_cache(maxsize=65536)
def _format(year: int, month: int | None, day: int | None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"

