"""Fast inserts of many rows inside the caller's transaction, and reading many child rows
as one JSON value per parent.

Import writes about fifteen rows per referral, so a 100,000-referral file means more than a million
rows. The ORM's unit of work would spend most of its time on bookkeeping; instead rows go straight
to the driver: ``COPY`` on PostgreSQL, ``executemany`` on SQLite. The values are converted here
exactly as SQLAlchemy's own types would store them, so the ORM reads them back unchanged.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import date, datetime
from operator import attrgetter, itemgetter
from typing import Any

import psycopg
from sqlalchemy import JSON, Boolean, Date, DateTime, FromClause, Uuid
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from beaconport.db import utc_timestamp_text

Converter = Callable[[Any], Any]


class JsonText(str):
    """A value for a JSON column that the caller has already encoded (it needed the text too):
    stored as it is rather than encoded a second time."""

    __slots__ = ()


def _json_text(value: Any) -> Any:
    if isinstance(value, JsonText):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


#: SQLAlchemy's Uuid type stores 32 hex digits on SQLite; every key here is a uuid.UUID.
_uuid_hex = attrgetter("hex")


def _bool_int(value: Any) -> Any:
    return int(bool(value))


def _sqlite_datetime(value: Any) -> Any:
    return utc_timestamp_text(value) if isinstance(value, datetime) else value


def _iso_date(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _converter(column_type: Any, dialect: str) -> Converter | None:
    """How one column's Python values must be given to the driver; None where as they are."""
    if isinstance(column_type, JSON):
        return _json_text
    if dialect == "sqlite":
        if isinstance(column_type, Uuid):
            return _uuid_hex
        if isinstance(column_type, Boolean):
            return _bool_int
        if isinstance(column_type, DateTime):
            return _sqlite_datetime
        if isinstance(column_type, Date):
            return _iso_date
    # psycopg adapts UUID, bool, date and datetime values itself, in COPY as elsewhere.
    return None


def _tuples(rows: Sequence[dict[str, Any]], names: list[str],
            converters: list[Converter | None]) -> list[Sequence[Any]]:
    pick = itemgetter(*names)
    if len(names) == 1:
        return [(pick(row),) for row in rows]
    convert = [(i, c) for i, c in enumerate(converters) if c is not None]
    if not convert:
        return [pick(row) for row in rows]
    out: list[Sequence[Any]] = []
    for row in rows:
        values = list(pick(row))
        for index, converter in convert:
            value = values[index]
            if value is not None:
                values[index] = converter(value)
        out.append(values)
    return out


def insert_rows(session: Session, table: FromClause, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (dicts keyed by column name, every row with the same keys) into
    ``table`` (a Table, or a model's ``__table__``) in the current transaction."""
    if not rows:
        return
    dialect = session.get_bind().dialect.name
    name = getattr(table, "name", None)
    assert isinstance(name, str), "insert_rows needs a table with a name"
    names = [c.name for c in table.columns if c.name in rows[0]]
    converters = [_converter(table.columns[n].type, dialect) for n in names]
    tuples = _tuples(rows, names, converters)
    raw: Any = session.connection().connection.dbapi_connection
    column_list = ", ".join(f'"{n}"' for n in names)
    if dialect == "postgresql":
        statement = f'COPY "{name}" ({column_list}) FROM STDIN'
        try:
            with raw.cursor() as cursor, cursor.copy(statement) as copy:
                for values in tuples:
                    copy.write_row(values)
        except psycopg.IntegrityError as exc:
            # The driver's own error, given SQLAlchemy's type as execute() would give it, so
            # callers catch one kind of key clash on both engines.
            raise IntegrityError(statement, None, exc) from exc
    else:
        placeholders = ", ".join("?" for _ in names)
        cursor = raw.cursor()
        try:
            # Table and column names come from our own metadata, never from input.
            statement = f'INSERT INTO "{name}" ({column_list}) VALUES ({placeholders})'  # noqa: S608
            cursor.executemany(statement, tuples)
        except sqlite3.IntegrityError as exc:
            raise IntegrityError(statement, None, exc) from exc
        finally:
            cursor.close()


# -- Reading: a parent's child rows as one JSON value -----------------------------------------

class json_rows(FunctionElement[Any]):  # noqa: N801 (used like a SQL function)
    """An aggregate: the group's rows as a JSON array of arrays, one per row, holding the given
    columns in order (``[]`` for none). The database builds the JSON in C and ``json.loads``
    reads it in C, so reading a chunk's people, crimes and decisions this way is several times
    faster than a Python loop over their rows. Rows come in no particular order.
    Read the value with :func:`rows_of`."""

    name = "json_rows"
    inherit_cache = True


class as_json(FunctionElement[Any]):  # noqa: N801
    """A JSON value read from a subquery, kept as JSON (not text) inside ``json_rows``."""

    name = "as_json"
    inherit_cache = True


@compiles(json_rows, "sqlite")
def _json_rows_sqlite(element: json_rows, compiler: SQLCompiler, **kw: Any) -> str:
    return f"json_group_array(json_array({compiler.process(element.clauses, **kw)}))"


@compiles(json_rows, "postgresql")
def _json_rows_postgresql(element: json_rows, compiler: SQLCompiler, **kw: Any) -> str:
    columns = compiler.process(element.clauses, **kw)
    return f"coalesce(json_agg(json_build_array({columns})), '[]'::json)"


@compiles(as_json, "sqlite")
def _as_json_sqlite(element: as_json, compiler: SQLCompiler, **kw: Any) -> str:
    # A subquery's result loses SQLite's JSON subtype: json() gives it back.
    return f"json({compiler.process(element.clauses, **kw)})"


@compiles(as_json, "postgresql")
def _as_json_postgresql(element: as_json, compiler: SQLCompiler, **kw: Any) -> str:
    return str(compiler.process(element.clauses, **kw))


def rows_of(value: Any) -> list[list[Any]]:
    """A ``json_rows`` value as lists: SQLite hands back the text, psycopg the parsed value."""
    if value is None:
        return []
    return json.loads(value) if isinstance(value, str) else list(value)
