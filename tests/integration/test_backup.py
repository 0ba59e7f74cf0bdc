"""Backup and restore, on each engine and across them: every row comes back as it was, the
audit chain verifies on the restored database, and bad input restores nothing."""

from __future__ import annotations

import hashlib
import json
import os
import uuid
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url
from tests.integration.helpers import count, example, write_jsonl

from beaconport import migrate
from beaconport.audit.actions import AuditAction
from beaconport.audit.models import AuditChainHead, AuditEvent
from beaconport.audit.verify import verify_chain
from beaconport.backup.format import MANIFEST
from beaconport.db import Base, dispose_engine, get_engine, session_scope
from beaconport.reference.loaders import load_reference_data
from beaconport.reference.models import Force
from beaconport.referrals.models import Referral, RejectedReferral

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


@contextmanager
def new_database(engine: str, folder: Path) -> Iterator[str]:
    """A database that does not exist yet: a SQLite file, or a PostgreSQL database with no
    tables (dropped afterwards)."""
    if engine == "sqlite":
        url = f"sqlite:///{folder / f'restored-{uuid.uuid4().hex[:8]}.db'}"
        yield url
        dispose_engine(url)
        return
    admin_url = make_url(os.environ.get("BEACONPORT_TEST_POSTGRES_URL", DEFAULT_PG))
    name = f"beaconport_restore_{uuid.uuid4().hex[:10]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = admin_url.set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        dispose_engine(url)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def _store_referrals(cli: Any, folder: Path) -> None:
    """Referrals accepted, resubmitted and rejected, through the command line."""
    generated = folder / "generated.jsonl"
    status, _ = cli("demo-data", "generate", "--referrals", "15", "--seed", "11",
                    "--output", str(generated))
    assert status == 0
    assert cli("referrals", "import", str(generated))[0] == 0
    bad = example("BK/2")
    bad["people"][0]["sex"] = "M"
    mixed = write_jsonl(folder / "mixed.jsonl", [example("BK/1"), bad])
    assert cli("referrals", "import", str(mixed))[0] == 3
    changed = example("BK/1", summary="A corrected summary of the investigation.")
    assert cli("referrals", "import", str(write_jsonl(folder / "again.jsonl", [changed])))[0] == 0


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(UTC)
    return value


def _tables(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in key order, with timestamps made comparable."""
    out = {}
    with get_engine(url).connect() as conn:
        for table in Base.metadata.sorted_tables:
            order = list(table.primary_key.columns) or list(table.columns)
            rows = conn.execute(select(table).order_by(*order))
            out[table.name] = [tuple(_plain(v) for v in row) for row in rows]
    return out


def _assert_restored(source: dict[str, list[tuple[Any, ...]]], url: str) -> None:
    """The restored database holds exactly the source's rows, plus the restore's own event."""
    restored = _tables(url)
    events, head = restored.pop("audit_event"), restored.pop("audit_chain_head")
    source = dict(source)
    source_events, (source_head,) = source.pop("audit_event"), source.pop("audit_chain_head")
    assert restored == source
    assert events[:-1] == source_events
    assert head[0][1] == source_head[1] + 1
    with session_scope(url) as session:
        report = verify_chain(session)
        newest = session.scalars(select(AuditEvent).where(AuditEvent.seq == head[0][1])).one()
        assert report.intact, report.problems
        assert report.checked == len(events) == head[0][1]
        assert newest.action == AuditAction.BACKUP_RESTORED.value
        assert newest.data is not None and newest.data["chain_intact"] is True


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_a_backup_restores_into_a_new_database_on_either_engine(
        db_url: str, cli: Any, tmp_path: Path, target: str) -> None:
    _store_referrals(cli, tmp_path)
    backup = tmp_path / "beaconport.zip"
    status, output = cli("backup", "--output", str(backup))
    assert status == 0, output
    assert not list(tmp_path.glob(".*.partial"))
    source = _tables(db_url)
    assert source["referral"] and source["rejected_referral"] and source["person_record"]
    # The backup holds the record of its own making.
    assert source["audit_event"][-1][5] == AuditAction.BACKUP_TAKEN.value
    with zipfile.ZipFile(backup) as archive:
        manifest = json.loads(archive.read(MANIFEST))
    assert manifest["revision"] == migrate.head_revision()
    assert [t["name"] for t in manifest["tables"]] == [
        t.name for t in Base.metadata.sorted_tables]
    assert {t["name"]: t["rows"] for t in manifest["tables"]} == {
        name: len(rows) for name, rows in source.items()}

    with new_database(target, tmp_path) as url:
        status, output = cli("restore", str(backup), "--database-url", url)
        assert status == 0, output
        assert "every row count and checksum matches" in output
        assert "Audit log intact" in output
        _assert_restored(source, url)
        status, output = cli("referrals", "summary", "--json")
        assert status == 0


@pytest.mark.parametrize("db_url", ["sqlite"], indirect=True)
def test_sqlite_to_postgresql_and_back(db_url: str, cli: Any, tmp_path: Path) -> None:
    """A backup taken from SQLite restores into PostgreSQL, and a backup of that restores into
    SQLite with every row as it began."""
    _store_referrals(cli, tmp_path)
    first = tmp_path / "from-sqlite.zip"
    assert cli("backup", "--output", str(first))[0] == 0
    original = _tables(db_url)
    with new_database("postgresql", tmp_path) as pg_url, \
            new_database("sqlite", tmp_path) as back_url:
        assert cli("restore", str(first), "--database-url", pg_url)[0] == 0
        second = tmp_path / "from-postgresql.zip"
        status, output = cli("backup", "--output", str(second), "--database-url", pg_url)
        assert status == 0, output
        status, output = cli("restore", str(second), "--database-url", back_url)
        assert status == 0, output
        final = _tables(back_url)
        events = final["audit_event"]
        assert [e[5] for e in events[-3:]] == [AuditAction.BACKUP_RESTORED.value,
                                               AuditAction.BACKUP_TAKEN.value,
                                               AuditAction.BACKUP_RESTORED.value]
        assert events[:len(original["audit_event"])] == original["audit_event"]
        for name in original:
            if name not in {"audit_event", "audit_chain_head"}:
                assert final[name] == original[name], name
        with session_scope(back_url) as session:
            assert verify_chain(session).intact


@pytest.mark.parametrize("target", ["sqlite", "postgresql"])
def test_restore_replaces_the_reference_data_of_a_database_just_set_up(
        db_url: str, cli: Any, tmp_path: Path, target: str) -> None:
    _store_referrals(cli, tmp_path)
    backup = tmp_path / "b.zip"
    assert cli("backup", "--output", str(backup))[0] == 0
    source = _tables(db_url)
    with new_database(target, tmp_path) as url:
        migrate.upgrade(url)
        with session_scope(url) as session:
            load_reference_data(session, actor="cli:setup")
        assert count(url, AuditEvent) > 0
        status, output = cli("restore", str(backup), "--database-url", url)
        assert status == 0, output
        _assert_restored(source, url)
        # New rows after a restore get keys past the restored ones.
        with session_scope(url) as session:
            session.add(Force(code="ZZ", name="Test force", short_name="Test",
                              country="England", in_scope=False, unconfirmed=True,
                              valid_from=date(2026, 1, 1), valid_to=None, source="test"))
            session.flush()
            assert session.scalar(select(func.count()).select_from(Force)) == len(
                source["force"]) + 1


def _rewrite(backup: Path, target: Path, *, manifest: dict[str, Any] | None = None,
             member: tuple[str, bytes] | None = None) -> Path:
    with zipfile.ZipFile(backup) as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            data = src.read(info)
            if manifest is not None and info.filename == MANIFEST:
                data = json.dumps(manifest).encode()
            if member is not None and info.filename == member[0]:
                data = member[1]
            out.writestr(info.filename, data)
    return target


def test_bad_backups_and_databases_restore_nothing(db_url: str, cli: Any,
                                                   tmp_path: Path) -> None:
    _store_referrals(cli, tmp_path)
    backup = tmp_path / "b.zip"
    assert cli("backup", "--output", str(backup))[0] == 0
    with zipfile.ZipFile(backup) as archive:
        manifest = json.loads(archive.read(MANIFEST))
        referral_lines = archive.read("tables/referral.jsonl")
    damaged = referral_lines.replace(b'"status":"', b'"status":"x', 1)
    assert damaged != referral_lines
    not_zip = tmp_path / "notes.zip"
    not_zip.write_text("just text")
    cases = {
        "no such file": tmp_path / "missing.zip",
        "not a zip file": not_zip,
        "has no manifest": _without_manifest(backup, tmp_path),
        "format version 2": _rewrite(backup, tmp_path / "v.zip",
                                     manifest={**manifest, "format_version": 2}),
        "schema revision 0003": _rewrite(backup, tmp_path / "r.zip",
                                         manifest={**manifest, "revision": "0003"}),
        "tables/referral.jsonl is damaged": _rewrite(
            backup, tmp_path / "c.zip",
            member=("tables/referral.jsonl", damaged)),
    }
    with new_database("sqlite", tmp_path) as url:
        for expected, path in cases.items():
            status, output = cli("restore", str(path), "--database-url", url)
            assert status == 1, (expected, output)
            assert expected in output and "Nothing was restored" in output
            assert "Traceback" not in output and len(output.strip().splitlines()) == 1
            assert migrate.current_revision(url) is None, expected
        # A database holding case data is refused, and left as it was.
        before = _tables(db_url)
        status, output = cli("restore", str(backup))
        assert status == 1 and "already holds data (in " in output
        assert "referral" in output and len(output.strip().splitlines()) == 1
        assert _tables(db_url) == before


def _without_manifest(backup: Path, folder: Path) -> Path:
    target = folder / "no-manifest.zip"
    with zipfile.ZipFile(backup) as src, zipfile.ZipFile(target, "w") as out:
        for info in src.infolist():
            if info.filename != MANIFEST:
                out.writestr(info.filename, src.read(info))
    return target


def test_a_row_that_does_not_fit_rolls_the_whole_restore_back(db_url: str, cli: Any,
                                                             tmp_path: Path) -> None:
    """A backup whose checksums hold but whose rows the database refuses (here a duplicate key)
    leaves the new database empty."""
    _store_referrals(cli, tmp_path)
    backup = tmp_path / "b.zip"
    assert cli("backup", "--output", str(backup))[0] == 0
    with zipfile.ZipFile(backup) as src:
        manifest = json.loads(src.read(MANIFEST))
        lines = src.read("tables/referral.jsonl").splitlines(keepends=True)
    doubled = b"".join(lines + lines[:1])
    for table in manifest["tables"]:
        if table["name"] == "referral":
            table["rows"], table["sha256"] = len(lines) + 1, hashlib.sha256(doubled).hexdigest()
    bad = _rewrite(backup, tmp_path / "dup.zip", manifest=manifest,
                   member=("tables/referral.jsonl", doubled))
    with new_database(get_engine(db_url).dialect.name, tmp_path) as url:
        status, output = cli("restore", str(bad), "--database-url", url)
        assert status == 1, output
        assert "rows of referral could not be loaded" in output
        assert "Traceback" not in output and len(output.strip().splitlines()) == 1
        assert count(url, Referral) == count(url, RejectedReferral) == 0
        with session_scope(url) as session:
            assert session.scalar(select(AuditChainHead.seq)) == 0


def test_a_backup_that_cannot_be_written_leaves_nothing(db_url: str, cli: Any,
                                                        tmp_path: Path) -> None:
    status, output = cli("backup", "--output", str(tmp_path / "missing" / "b.zip"))
    assert status == 1 and "Cannot write" in output
    assert len(output.strip().splitlines()) == 1
    assert count(db_url, AuditEvent) == 0
