"""A log written before the audit chain existed is chained by migration 0002, and verifies."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic import command
from tests.integration.test_backup import new_database

from beaconport import migrate
from beaconport.audit.verify import verify_chain
from beaconport.db import get_engine, session_scope


@pytest.mark.parametrize("engine", ["sqlite", "postgresql"])
def test_events_from_before_the_chain_verify_after_upgrading(engine: str, tmp_path: Path) -> None:
    with new_database(engine, tmp_path) as url:
        config = migrate.alembic_config(url)
        with get_engine(url).begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "0001")
        json_type = sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql")
        old = sa.table("audit_event", sa.column("id", sa.Uuid()),
                       sa.column("at_utc", sa.DateTime(timezone=True)),
                       sa.column("actor", sa.String()), sa.column("action", sa.String()),
                       sa.column("subject_type", sa.String()), sa.column("subject_id", sa.String()),
                       sa.column("data", json_type))
        with get_engine(url).begin() as connection:
            connection.execute(old.insert(), [
                {"id": uuid.uuid4(), "at_utc": datetime(2026, 1, n, 9, 30, tzinfo=UTC),
                 "actor": "cli:analyst", "action": "referrals:import:started",
                 "subject_type": "import_batch", "subject_id": str(n),
                 "data": {"file": f"batch-{n}.jsonl", "rows": n}} for n in range(1, 4)])
        migrate.upgrade(url)
        with session_scope(url) as session:
            report = verify_chain(session)
        assert report.intact, report.as_dict()
        assert report.checked == 3
