"""Test databases: every integration test runs on SQLite and on PostgreSQL.

PostgreSQL comes from BEACONPORT_TEST_POSTGRES_URL (default: the local server). Each test session
creates its own database there and drops it at the end; each test starts from empty referral
tables with the reference data loaded.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from beaconport import migrate
from beaconport.audit.chain import GENESIS
from beaconport.db import Base, dispose_engine, get_engine, session_scope
from beaconport.reference.loaders import load_reference_data

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
REFERENCE_TABLES = {
    "reference_dataset", "force", "force_alias", "outcome_code", "offence", "ethnicity_code",
}


def _postgres_admin_url() -> str:
    return os.environ.get("BEACONPORT_TEST_POSTGRES_URL", DEFAULT_PG)


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    path = tmp_path_factory.mktemp("db") / "test.db"
    url = f"sqlite:///{path}"
    migrate.upgrade(url)
    with session_scope(url) as session:
        load_reference_data(session)
    return url


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    admin_url = make_url(_postgres_admin_url())
    name = f"beaconport_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:
        pytest.fail(f"PostgreSQL is not reachable at {admin_url!r}: {exc}")
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    migrate.upgrade(url)
    with session_scope(url) as session:
        load_reference_data(session)
    yield url
    dispose_engine(url)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _empty_case_tables(url: str) -> None:
    """Empty every table but the reference data, and start the audit chain afresh."""
    tables = [t for t in reversed(Base.metadata.sorted_tables)
              if t.name not in REFERENCE_TABLES | {"audit_chain_head"}]
    with get_engine(url).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t.name}"' for t in tables)))
        else:
            for table in tables:
                conn.execute(table.delete())
        conn.execute(text("UPDATE audit_chain_head SET seq = 0, last_hash = :genesis"),
                     {"genesis": GENESIS})


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A migrated database with reference data and no referrals, on each engine in turn."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    _empty_case_tables(url)
    yield url
    _empty_case_tables(url)


@pytest.fixture
def unit_of_work(db_url: str):  # type: ignore[no-untyped-def]
    def scope() -> AbstractContextManager[Session]:
        return session_scope(db_url)

    return scope


@pytest.fixture
def catalogue(sqlite_url: str):  # type: ignore[no-untyped-def]
    from beaconport.reference.queries import load_catalogue

    with session_scope(sqlite_url) as session:
        return load_catalogue(session)


@pytest.fixture
def corpus() -> Path:
    return Path(__file__).parent / "corpus"


@pytest.fixture
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Run the command line in-process against the test database; returns (exit, stdout)."""
    from typer.testing import CliRunner

    from beaconport.cli import app
    from beaconport.settings import get_settings

    monkeypatch.setenv("BEACONPORT_DATABASE_URL", db_url)
    get_settings.cache_clear()
    runner = CliRunner()

    def invoke(*args: str) -> tuple[int, str]:
        result = runner.invoke(app, list(args))
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        return result.exit_code, result.output

    yield invoke
    get_settings.cache_clear()
