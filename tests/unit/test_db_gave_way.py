"""A transaction the database chose to give way (a deadlock, a serialisation failure) is told
apart from a database that cannot be used, so an import can do its chunk again."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from beaconport.db import database_unavailable, gave_way


class _Orig(Exception):
    def __init__(self, sqlstate: str | None) -> None:
        super().__init__("deadlock detected" if sqlstate else "connection refused")
        self.sqlstate = sqlstate


def _raised(sqlstate: str | None) -> BaseException:
    error = OperationalError("UPDATE audit_chain_head ...", {}, _Orig(sqlstate))
    try:
        raise database_unavailable(error, "sqlite:///x.db") from error
    except Exception as exc:
        return exc


def test_a_deadlock_or_serialisation_failure_gave_way() -> None:
    assert gave_way(_raised("40P01")) and gave_way(_raised("40001"))


def test_a_database_that_cannot_be_used_did_not() -> None:
    assert not gave_way(_raised(None)) and not gave_way(_raised("08006"))
    assert not gave_way(ValueError("no"))
