"""Working days across weekends and England and Wales bank holidays, including substitute days
and Easter."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from beaconport.working_days import (
    add_working_days,
    is_bank_holiday,
    is_working_day,
    uk_day,
    working_days_between,
)


@pytest.mark.parametrize(("start", "days", "due"), [
    (date(2026, 12, 1), 1, date(2026, 12, 2)),     # Tuesday to Wednesday
    (date(2026, 12, 4), 1, date(2026, 12, 7)),     # Friday to Monday
    (date(2026, 12, 5), 1, date(2026, 12, 7)),     # Saturday to Monday
    (date(2026, 12, 24), 1, date(2026, 12, 29)),   # Christmas Day, the weekend, Boxing Day
                                                   # observed on Monday 28th
    (date(2026, 12, 24), 5, date(2027, 1, 5)),     # past New Year's Day too
    (date(2026, 4, 2), 1, date(2026, 4, 7)),       # Good Friday and Easter Monday
    (date(2026, 5, 22), 1, date(2026, 5, 26)),     # the spring bank holiday
    (date(2026, 8, 28), 1, date(2026, 9, 1)),      # the late summer bank holiday
    (date(2026, 12, 1), 0, date(2026, 12, 1)),
    (date(2026, 12, 25), 0, date(2026, 12, 29)),
    (date(2026, 12, 1), 10, date(2026, 12, 15)),
])
def test_adding_working_days(start: date, days: int, due: date) -> None:
    assert add_working_days(start, days) == due
    if days:
        assert working_days_between(start, due) == days


def test_what_is_a_working_day() -> None:
    assert is_bank_holiday(date(2026, 12, 28)) and not is_working_day(date(2026, 12, 28))
    assert is_bank_holiday(date(2027, 3, 26))  # Good Friday 2027
    assert not is_working_day(date(2026, 12, 6))  # a Sunday
    assert is_working_day(date(2026, 12, 30))
    assert working_days_between(date(2026, 12, 10), date(2026, 12, 1)) == 0
    with pytest.raises(ValueError):
        add_working_days(date(2026, 12, 1), -1)


def test_the_day_is_england_and_wales_day_not_utc() -> None:
    # 23:30 UTC on a summer evening is already the next day in England and Wales.
    assert uk_day(datetime(2026, 7, 1, 23, 30, tzinfo=UTC)) == date(2026, 7, 2)
    # In winter the two agree.
    assert uk_day(datetime(2026, 12, 1, 23, 30, tzinfo=UTC)) == date(2026, 12, 1)
