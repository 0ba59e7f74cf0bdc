"""The one place the current time comes from, so tests can fix it."""

from __future__ import annotations

from datetime import UTC, date, datetime


def now() -> datetime:
    return datetime.now(UTC)


def today() -> date:
    return now().date()


def aware(moment: datetime) -> datetime:
    """A stored time as UTC: SQLite gives it back without its zone."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
