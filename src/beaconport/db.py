"""Engines, sessions and the declarative base. Nobody but the transaction owner commits.

The transaction owner is the CLI's ``session_scope()`` (and, later, the web request). Services
add, flush and raise; they never commit.
"""

from __future__ import annotations

import os
import random
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import JSON, DateTime, MetaData, Uuid, create_engine, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError, OperationalError, ProgrammingError
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker
from sqlalchemy.pool import ConnectionPoolEntry

from beaconport.errors import DatabaseUnavailable
from beaconport.settings import get_settings

NAMING_CONVENTION = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

#: JSON is JSONB on PostgreSQL (indexable, compact) and JSON text on SQLite.
JSONType = JSON().with_variant(JSONB(), "postgresql")


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        uuid.UUID: Uuid(),
        datetime: DateTime(timezone=True),
        dict[str, Any]: JSONType,
        list[Any]: JSONType,
    }


# Keys need uniqueness, not secrecy: a generator seeded from the operating system's entropy is
# enough, and far cheaper than a system call per key. A forked process reseeds, so two processes
# never share a sequence.
_key_random = random.Random(os.urandom(16))
os.register_at_fork(after_in_child=lambda: _key_random.seed(os.urandom(16)))


def new_id() -> uuid.UUID:
    """A time-ordered UUID (the layout of UUIDv7): unique everywhere, and inserted in order.

    Ordered keys keep B-tree inserts at the right-hand edge, which matters when an import writes
    a million rows; random UUIDs would scatter them across the index.
    """
    millis = time.time_ns() // 1_000_000
    rand = _key_random.getrandbits(74)
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version 7
    value |= (rand >> 62) << 64  # 12 random bits
    value |= 0b10 << 62  # RFC 4122 variant
    value |= rand & ((1 << 62) - 1)
    return uuid.UUID(int=value)


def _sqlite_on_connect(dbapi_connection: Any, _record: ConnectionPoolEntry) -> None:
    # WAL lets readers carry on while an import writes; foreign keys are off by default in SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    # 32 MiB of page cache per connection (SQLite's default is 2 MiB): the list's indexes stay
    # in memory, which halves the time of its queries at 100,000 referrals.
    cursor.execute("PRAGMA cache_size=-32768")
    cursor.close()


def make_engine(url: str | None = None, *, echo: bool | None = None) -> Engine:
    settings = get_settings()
    url = url or settings.database_url
    if url.startswith("sqlite"):
        _ensure_sqlite_folder(url)
        engine = create_engine(url, echo=echo if echo is not None else settings.sql_echo)
        event.listen(engine, "connect", _sqlite_on_connect)
        return engine
    return create_engine(
        url, echo=echo if echo is not None else settings.sql_echo, pool_pre_ping=True
    )


def _ensure_sqlite_folder(url: str) -> None:
    path = url.split("///", 1)[-1]
    if path and path != ":memory:":
        Path(path).parent.mkdir(parents=True, exist_ok=True)


#: One engine (with its pool) and session factory per database URL, made on first use.
_ENGINES: dict[str, tuple[Engine, sessionmaker[Session]]] = {}


def _shared(url: str | None) -> tuple[Engine, sessionmaker[Session]]:
    key = url or get_settings().database_url
    if key not in _ENGINES:
        engine = make_engine(key)
        _ENGINES[key] = (engine, sessionmaker(bind=engine, expire_on_commit=False))
    return _ENGINES[key]


def get_engine(url: str | None = None) -> Engine:
    """The shared engine for ``url`` (by default the configured database)."""
    return _shared(url)[0]


def get_sessionmaker(url: str | None = None) -> sessionmaker[Session]:
    return _shared(url)[1]


def dispose_engine(url: str) -> None:
    """Close the pooled connections to ``url`` and forget it (before dropping a database)."""
    shared = _ENGINES.pop(url, None)
    if shared is not None:
        shared[0].dispose()


@contextmanager
def session_scope(url: str | None = None) -> Iterator[Session]:
    """One unit of work: commit if the block finishes, roll back if it raises."""
    session = get_sessionmaker(url)()
    try:
        yield session
        session.commit()
    except (OperationalError, ProgrammingError) as exc:
        session.rollback()
        raise database_unavailable(exc, url) from exc
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


#: PostgreSQL's "deadlock detected" and "could not serialize access": the transaction was chosen
#: to give way to another, and doing it again succeeds.
TRANSIENT_SQLSTATES = frozenset({"40P01", "40001"})


def gave_way(exc: BaseException) -> bool:
    """Did this transaction fail only because the database chose it to give way to another
    (a deadlock or a serialisation failure)? Looks through a DatabaseUnavailable to its cause."""
    cause = exc.__cause__ if isinstance(exc, DatabaseUnavailable) else exc
    return (isinstance(cause, DBAPIError)
            and getattr(cause.orig, "sqlstate", None) in TRANSIENT_SQLSTATES)


def database_unavailable(exc: DBAPIError, url: str | None = None) -> DatabaseUnavailable:
    """Say in plain words why the database cannot be used: missing tables, or no connection."""
    where = make_url(url or get_settings().database_url).render_as_string(hide_password=True)
    detail = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
    if "no such table" in detail or "does not exist" in detail:
        return DatabaseUnavailable(
            f"The database {where} is not set up for Beaconport ({detail}). Run "
            "'beaconport db upgrade' first.")
    return DatabaseUnavailable(
        f"The database {where} cannot be used: {detail}. Check BEACONPORT_DATABASE_URL and "
        "that the database server is running.")


def utc_timestamp_text(moment: datetime) -> str:
    """How SQLAlchemy stores a DateTime in SQLite; the bulk writer must match it exactly."""
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")
