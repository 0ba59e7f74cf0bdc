"""Fast inserts of many rows inside the caller's transaction.

Import writes about fifteen rows per referral, so a 100,000-referral file means more than a million
rows. The ORM's unit of work would spend most of its time on bookkeeping; instead rows go straight
to the driver: ``COPY`` on PostgreSQL, ``executemany`` on SQLite. The values are converted here
exactly as SQLAlchemy's own types would store them, so the ORM reads them back unchanged.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Table, Uuid
from sqlalchemy.orm import Session

from beaconport.db import utc_timestamp_text

Converter = Callable[[Any], Any]


def _identity(value: Any) -> Any:
    return value


def _json_text(value: Any) -> Any:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _uuid_hex(value: Any) -> Any:
    if value is None:
        return None
    return value.hex if isinstance(value, uuid.UUID) else uuid.UUID(str(value)).hex


def _uuid_text(value: Any) -> Any:
    return None if value is None else str(value)


def _bool_int(value: Any) -> Any:
    return None if value is None else int(bool(value))


def _sqlite_datetime(value: Any) -> Any:
    return utc_timestamp_text(value) if isinstance(value, datetime) else value


def _iso_date(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _converter(column_type: Any, dialect: str) -> Converter:
    if isinstance(column_type, JSON):
        return _json_text
    if isinstance(column_type, Uuid):
        return _uuid_hex if dialect == "sqlite" else _uuid_text
    if dialect == "sqlite":
        if isinstance(column_type, Boolean):
            return _bool_int
        if isinstance(column_type, DateTime):
            return _sqlite_datetime
        if isinstance(column_type, Date):
            return _iso_date
    return _identity


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts keyed by column name) into ``table`` in the current transaction."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    names = [c.name for c in table.columns if c.name in rows[0]]
    converters = [_converter(table.columns[n].type, dialect) for n in names]
    tuples = [
        tuple(convert(row.get(name)) for name, convert in zip(names, converters, strict=True))
        for row in rows
    ]
    raw = session.connection().connection.dbapi_connection
    assert raw is not None
    if dialect == "postgresql":
        column_list = ", ".join(f'"{n}"' for n in names)
        with raw.cursor() as cursor, cursor.copy(
            f'COPY "{table.name}" ({column_list}) FROM STDIN'
        ) as copy:
            for values in tuples:
                copy.write_row(values)
    else:
        placeholders = ", ".join("?" for _ in names)
        column_list = ", ".join(f'"{n}"' for n in names)
        cursor = raw.cursor()
        try:
            cursor.executemany(
                f'INSERT INTO "{table.name}" ({column_list}) VALUES ({placeholders})', tuples
            )
        finally:
            cursor.close()
