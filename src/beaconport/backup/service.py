"""Take a backup: every table, read from one consistent snapshot, into one zip file.

Taking a backup copies every record held, so it is recorded as a disclosure first, in its own
committed transaction: the event is then inside the snapshot, and the backup carries the record
of its own making. The file is written under a temporary name and renamed only when complete, so
a failed backup leaves nothing that looks like a backup.

A backup and a restore act on a whole database rather than within a unit of work, so, like an
import, they open their own transactions through ``db.session_scope``.
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from sqlalchemy import Connection, Table, select, text

import beaconport.models  # noqa: F401 - every model module, so Base.metadata knows every table
from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.backup.format import (
    MANIFEST,
    BackupError,
    Manifest,
    TableCodec,
    TableEntry,
    member_name,
    utc_text,
)
from beaconport.backup.snapshot import consistent_snapshot
from beaconport.db import Base, session_scope

#: Rows fetched per round trip, and bytes gathered before each write into the zip.
BATCH = 5000
WRITE_BYTES = 1 << 20


def tables() -> list[Table]:
    """Every table, parents before children: the order to write and to load them."""
    return list(Base.metadata.sorted_tables)


def partial_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.partial")


def take_backup(output: Path, *, actor: str | audit.Actor, url: str | None = None) -> Manifest:
    """Write a backup of the database at ``url`` (by default the configured one) to
    ``output``; return its manifest."""
    if output.is_dir():
        raise BackupError(f"Cannot write {output}: it is a folder.")
    partial = partial_path(output)
    try:
        archive = zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED)
    except OSError as exc:
        raise BackupError(f"Cannot write {output}: {exc.strerror or exc}.") from exc
    try:
        with archive:
            with session_scope(url) as session:
                audit.record(session, actor=actor, action=AuditAction.BACKUP_TAKEN,
                             subject=audit.Subject("database", "backup"),
                             data={"file": output.name}, recipient=f"file:{output.name}"[:200])
            with consistent_snapshot(url) as connection:
                manifest = _write_tables(connection, archive)
            archive.writestr(MANIFEST, manifest.to_json())
        partial.replace(output)
    except OSError as exc:
        raise BackupError(f"Cannot write {output}: {exc.strerror or exc}.") from exc
    finally:
        partial.unlink(missing_ok=True)
    return manifest


def _write_tables(connection: Connection, archive: zipfile.ZipFile) -> Manifest:
    revision = connection.scalar(text("SELECT version_num FROM alembic_version"))
    if revision is None:
        raise BackupError("The database has no schema revision: it is not set up for "
                          "Beaconport.")
    taken_at = utc_text(clock.now())
    entries = [_write_table(connection, archive, table) for table in tables()]
    return Manifest(revision=str(revision), created_at_utc=taken_at,
                    engine=connection.dialect.name, tables=entries)


def _write_table(connection: Connection, archive: zipfile.ZipFile, table: Table) -> TableEntry:
    """Stream one table, in key order, into its member; count and hash as it goes."""
    codec = TableCodec(table)
    order = list(table.primary_key.columns) or list(table.columns)
    result = connection.execute(
        select(table).order_by(*order).execution_options(yield_per=BATCH))
    digest, rows, pending = hashlib.sha256(), 0, bytearray()
    member = member_name(table.name)
    with archive.open(member, "w", force_zip64=True) as out:
        for row in result:
            line = codec.encode(row)
            digest.update(line)
            pending += line
            rows += 1
            if len(pending) >= WRITE_BYTES:
                out.write(pending)
                pending.clear()
        out.write(pending)
    return TableEntry(table.name, member, rows, digest.hexdigest())
