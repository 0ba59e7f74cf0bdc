"""Restore a backup into a new database: all of it, checked, or nothing.

Before the database is touched, the file is checked whole: a Beaconport backup, in a format this
version reads, at a schema revision the database has (or, for a new database, the one this
version creates), every member present with the row count and SHA-256 the manifest states. Then
one transaction empties what a fresh set-up writes (the reference data, the audit events of
loading it, and the audit chain head), loads every table in dependency order, counts the rows
again, verifies the audit chain and records the restore, chained after the restored events. Any
failure rolls all of it back.
"""

from __future__ import annotations

import hashlib
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Table, delete, func, literal, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from beaconport import migrate
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.audit.verify import ChainReport, verify_chain
from beaconport.backup.format import MANIFEST, BackupError, Manifest, TableCodec, TableEntry
from beaconport.backup.service import BATCH, tables
from beaconport.bulk import insert_rows
from beaconport.db import Base, session_scope
from beaconport.models import reference_models

READ_BYTES = 1 << 20


@dataclass(frozen=True, slots=True)
class RestoreResult:
    manifest: Manifest
    chain: ChainReport


def _replaceable() -> set[str]:
    """Tables a fresh set-up fills, which a restore replaces: the reference data, the audit
    chain head (the audit events of loading reference data are replaced too) and the first
    triage weights the migrations store."""
    names = {cast(Table, m.local_table).name for m in Base.registry.mappers
             if m.class_.__module__ == reference_models.__name__}
    return names | {"audit_chain_head", "triage_weight_set"}


def restore_backup(source: Path, *, actor: str | audit.Actor,
                   url: str | None = None) -> RestoreResult:
    """Load the backup ``source`` into the database at ``url`` (by default the configured one),
    which must be new or hold no case data."""
    try:
        return _restore(source, actor=actor, url=url)
    except BackupError as exc:
        raise BackupError(f"Cannot restore {source}: {exc} Nothing was restored.") from exc


def _restore(source: Path, *, actor: str | audit.Actor, url: str | None) -> RestoreResult:
    with _open(source) as archive:
        manifest = _read_manifest(archive)
        is_new = _check_revision(manifest.revision, url)
        _check_members(archive, manifest)
        if is_new:
            migrate.upgrade(url)
        with session_scope(url) as session:
            _check_holds_no_data(session)
            _empty_replaceable(session)
            for entry in manifest.tables:
                _load_table(session, archive, entry)
            _continue_sequences(session)
            chain = verify_chain(session)
            audit.record(session, actor=actor, action=AuditAction.BACKUP_RESTORED,
                         subject=audit.Subject("database", "restore"),
                         data={"file": source.name, "taken_at_utc": manifest.created_at_utc,
                               "taken_from": manifest.engine, "revision": manifest.revision,
                               "rows": manifest.rows, "chain_intact": chain.intact,
                               "chain_checked": chain.checked})
    return RestoreResult(manifest, chain)


def _open(source: Path) -> zipfile.ZipFile:
    if not source.is_file():
        raise BackupError("there is no such file.")
    try:
        return zipfile.ZipFile(source)
    except (zipfile.BadZipFile, EOFError) as exc:
        raise BackupError("it is not a Beaconport backup (not a zip file).") from exc
    except OSError as exc:
        raise BackupError(f"it cannot be read ({exc.strerror or exc}).") from exc


def _read_manifest(archive: zipfile.ZipFile) -> Manifest:
    try:
        text_ = archive.read(MANIFEST)
    except KeyError as exc:
        raise BackupError("it is not a Beaconport backup (it has no manifest).") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise BackupError("its manifest is damaged.") from exc
    return Manifest.from_json(text_)


def _check_revision(revision: str, url: str | None) -> bool:
    """Whether the database is new (and will be set up); refuse a backup this version's tables
    do not match, and a database at another revision."""
    head = migrate.head_revision()
    if revision != head:
        raise BackupError(
            f"it was taken at schema revision {revision}, and this version of Beaconport works "
            f"at revision {head}: restore it with the version of Beaconport that took it, then "
            "upgrade.")
    current = migrate.current_revision(url)
    if current is None:
        return True
    if current != revision:
        raise BackupError(
            f"it was taken at schema revision {revision}, but the database is at revision "
            f"{current}: restore into a new database, or one at the same revision.")
    return False


def _check_members(archive: zipfile.ZipFile, manifest: Manifest) -> None:
    """Every table there, every member whole, with the manifest's row count and checksum,
    before anything is written."""
    if [t.name for t in manifest.tables] != [t.name for t in tables()]:
        raise BackupError("its manifest does not list the tables of its schema revision.")
    for entry in manifest.tables:
        digest, lines = hashlib.sha256(), 0
        try:
            with archive.open(entry.member) as member:
                while chunk := member.read(READ_BYTES):
                    digest.update(chunk)
                    lines += chunk.count(b"\n")
        except KeyError as exc:
            raise BackupError(f"it has no member {entry.member}.") from exc
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise BackupError(f"its member {entry.member} is damaged.") from exc
        _check_digest(entry, digest.hexdigest(), lines)


def _check_digest(entry: TableEntry, sha256: str, rows: int) -> None:
    if sha256 != entry.sha256:
        raise BackupError(f"its member {entry.member} is damaged: its SHA-256 does not match "
                          "the manifest.")
    if rows != entry.rows:
        raise BackupError(f"its member {entry.member} holds {rows:,} rows, not the "
                          f"{entry.rows:,} its manifest states.")


def _check_holds_no_data(session: Session) -> None:
    replaceable = _replaceable()
    held = []
    for table in tables():
        if table.name in replaceable:
            continue
        query = select(literal(1)).select_from(table)
        if table.name == "audit_event":
            query = query.where(table.c.action != AuditAction.REFERENCE_LOADED.value)
        if session.execute(query.limit(1)).first() is not None:
            held.append(table.name)
    if held:
        raise BackupError(
            f"the database already holds data (in {', '.join(held)}). Restore only into a new "
            "database, or one just set up with 'beaconport db upgrade'.")


def _empty_replaceable(session: Session) -> None:
    replaceable = _replaceable()
    for table in reversed(tables()):
        if table.name in replaceable or table.name == "audit_event":
            session.execute(delete(table))


def _load_table(session: Session, archive: zipfile.ZipFile, entry: TableEntry) -> None:
    """Stream one member into its table, in batches, checking its checksum again as it goes
    (the file could have changed since it was checked)."""
    table = Base.metadata.tables[entry.name]
    codec = TableCodec(table)
    digest, rows = hashlib.sha256(), 0
    batch: list[dict[str, Any]] = []
    dbapi_error = session.get_bind().dialect.loaded_dbapi.Error
    try:
        with archive.open(entry.member) as member:
            for line in member:
                digest.update(line)
                rows += 1
                batch.append(codec.decode(line))
                if len(batch) >= BATCH:
                    insert_rows(session, table, batch)
                    batch = []
        insert_rows(session, table, batch)
    except (ValueError, TypeError, AttributeError) as exc:
        raise BackupError(f"row {rows:,} of its member {entry.member} is not a row of "
                          f"{entry.name}.") from exc
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise BackupError(f"its member {entry.member} is damaged.") from exc
    except (DBAPIError, dbapi_error) as exc:
        detail = str(getattr(exc, "orig", None) or exc).strip().splitlines()[0]
        raise BackupError(f"the rows of {entry.name} could not be loaded ({detail}).") from exc
    _check_digest(entry, digest.hexdigest(), rows)
    stored = session.scalar(select(func.count()).select_from(table)) or 0
    if stored != entry.rows:
        raise BackupError(f"{stored:,} rows of {entry.name} were stored, not the "
                          f"{entry.rows:,} its manifest states.")


def _continue_sequences(session: Session) -> None:
    """On PostgreSQL, move each key sequence past the restored keys, so the next row added
    (a reference dataset reloaded) does not collide with one restored."""
    if session.get_bind().dialect.name != "postgresql":
        return  # SQLite numbers a new row after the largest key present
    for table in tables():
        column = table.autoincrement_column
        if column is None:
            continue
        # Names come from our own metadata, never from input.
        session.execute(text(
            f"SELECT setval(pg_get_serial_sequence(:table, :column), "  # noqa: S608
            f'COALESCE(MAX("{column.name}"), 0) + 1, false) FROM "{table.name}"'),
            {"table": f'"{table.name}"', "column": column.name})
