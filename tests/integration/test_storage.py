"""The storage promises: SQLite in WAL mode with foreign keys enforced; keys in time order."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from beaconport.db import get_engine, new_id


def test_sqlite_runs_with_wal_and_foreign_keys(sqlite_url: str) -> None:
    with get_engine(sqlite_url).connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1


@pytest.mark.parametrize("engine_fixture", ["sqlite_url", "postgresql_url"])
def test_a_row_pointing_nowhere_is_refused(engine_fixture: str,
                                            request: pytest.FixtureRequest) -> None:
    url = request.getfixturevalue(engine_fixture)
    engine = get_engine(url)
    orphan = new_id().hex if engine.dialect.name == "sqlite" else str(new_id())
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(
            text("INSERT INTO nationality (person_record_id, code) VALUES (:id, 'GB')"),
            {"id": orphan})


def test_new_ids_are_unique_and_in_time_order() -> None:
    ids = [new_id() for _ in range(2000)]
    assert len(set(ids)) == len(ids)
    assert all(i.version == 7 for i in ids)
    stamps = [i.int >> 80 for i in ids]
    assert stamps == sorted(stamps)
