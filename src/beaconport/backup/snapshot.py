"""A consistent, read-only view of the whole database to take a backup from.

Every table must be read as of one moment, or a backup taken during an import could hold a
referral's version without its people, or an audit head ahead of its events. PostgreSQL gives
this with one REPEATABLE READ READ ONLY transaction (writers carry on meanwhile); SQLite by
copying the database with its online backup API, which copies one consistent state, and reading
the copy at leisure.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing, contextmanager
from pathlib import Path
from typing import cast

from sqlalchemy import Connection, create_engine
from sqlalchemy.pool import NullPool

from beaconport.db import get_engine


@contextmanager
def consistent_snapshot(url: str | None = None) -> Iterator[Connection]:
    """A connection on which every read sees the same committed state of the database."""
    engine = get_engine(url)
    if engine.dialect.name != "sqlite":
        with engine.connect() as connection:
            connection.execution_options(isolation_level="REPEATABLE READ",
                                         postgresql_readonly=True)
            with connection.begin():
                yield connection
        return
    with tempfile.TemporaryDirectory(prefix="beaconport-backup-") as folder:
        copy = Path(folder) / "snapshot.db"
        with engine.connect() as source, closing(sqlite3.connect(copy)) as target:
            cast(sqlite3.Connection, source.connection.dbapi_connection).backup(target)
        snapshot = create_engine(f"sqlite:///{copy}", poolclass=NullPool)
        try:
            with snapshot.connect() as connection:
                yield connection
        finally:
            snapshot.dispose()
