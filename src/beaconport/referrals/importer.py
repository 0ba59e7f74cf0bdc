"""Import one file: read it, and hand it to the service chunk by chunk, one transaction each.

The caller supplies the unit of work (the CLI's ``session_scope``, later the web request's), so
this module never commits by itself: each chunk's ``with unit_of_work()`` block is committed by
its owner when the block ends. A kill between chunks loses nothing that was committed, and the
same import run again recognises what is already stored.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.db import gave_way
from beaconport.errors import DatabaseUnavailable
from beaconport.reference.queries import load_catalogue
from beaconport.referrals import service
from beaconport.referrals.carriers import carrier_name, read_referrals
from beaconport.referrals.carriers.base import Limits, RawReferral, UnreadableFile
from beaconport.referrals.validation import ReferralValidator

UnitOfWork = Callable[[], AbstractContextManager[Session]]
Progress = Callable[[int], None]
#: Runs in each chunk's transaction with the referrals it stored (new or changed): screening.
AfterChunk = Callable[[Session, list[uuid.UUID]], None]


@dataclass(slots=True)
class ImportOutcome:
    source: str
    summary: service.ImportSummary = field(default_factory=service.ImportSummary)
    rejections: list[service.RejectionReport] = field(default_factory=list)
    warnings: int = 0
    unreadable: UnreadableFile | None = None
    batch_id: uuid.UUID | None = None

    @property
    def exit_status(self) -> int:
        """0 all accepted, 3 some referrals rejected, 2 the file could not be read."""
        if self.unreadable is not None:
            return 2
        return 3 if self.summary.rejected else 0


def file_digest(path: Path) -> str | None:
    """SHA-256 of the file (or of a folder's files in name order), to recognise it later."""
    digest = hashlib.sha256()
    files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
    try:
        for item in files:
            with item.open("rb") as handle:
                while block := handle.read(1 << 20):
                    digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()


def _cannot_open(path: Path, exc: OSError) -> UnreadableFile:
    reason = exc.strerror or type(exc).__name__
    return UnreadableFile("cannot_open", f"{path.name} cannot be read ({reason}). Check that it "
                          "is a file you are allowed to read, then import it again.")


def _opened(reader: Callable[[Path, Limits], Iterator[RawReferral]], path: Path,
            limits: Limits) -> Iterator[RawReferral]:
    try:
        return reader(path, limits)
    except OSError as exc:
        raise _cannot_open(path, exc) from exc


def _guarded(items: Iterator[RawReferral], path: Path) -> Iterator[RawReferral]:
    """A read error part-way (a disk or network failure) ends the import as unreadable."""
    try:
        yield from items
    except OSError as exc:
        raise _cannot_open(path, exc) from exc


def _chunks(items: Iterator[RawReferral], size: int) -> Iterator[list[RawReferral]]:
    while chunk := list(islice(items, size)):
        yield chunk


def _store_chunk(unit_of_work: UnitOfWork, *, actor: str | audit.Actor, batch_id: uuid.UUID,
                 chunk: list[RawReferral], validator: ReferralValidator,
                 seen: service.InFileSeen, after: AfterChunk | None) -> service.ChunkResult:
    """One chunk in one transaction. If another import stored one of the same new referrals
    between this chunk's lookup and its insert, the key clashes: the chunk is rolled back and
    done again, when that referral is found and treated as a resubmission. Two imports of the
    same referrals can also deadlock (one waits on the other's new key while holding the audit
    log's head): PostgreSQL rolls one back, and it is done again the same way."""
    before = dict(seen.first)
    for attempt in (1, 2, 3):
        try:
            with unit_of_work() as session:
                result = service.import_chunk(session, actor=actor, batch_id=batch_id,
                                              items=chunk, validator=validator, seen=seen)
                if after is not None and result.stored:
                    after(session, result.stored)
                return result
        except (IntegrityError, DatabaseUnavailable) as exc:
            if attempt == 3 or (isinstance(exc, DatabaseUnavailable) and not gave_way(exc)):
                raise
            seen.first = before
    raise AssertionError("unreachable")


def import_file(
    path: Path,
    *,
    actor: str | audit.Actor,
    unit_of_work: UnitOfWork,
    batch_size: int = 1000,
    limits: Limits | None = None,
    progress: Progress | None = None,
    permitted_forces: frozenset[str] | None = None,
    after_chunk: AfterChunk | None = None,
) -> ImportOutcome:
    outcome = ImportOutcome(source=str(path))
    carrier, digest = carrier_name(path), (file_digest(path) if path.exists() else None)
    try:
        items = _opened(read_referrals, path, limits or Limits())
    except UnreadableFile as exc:
        with unit_of_work() as session:
            outcome.batch_id = service.record_unreadable(
                session, actor=actor, source_name=path.name, source_sha256=digest,
                carrier=carrier, code=exc.code, message=exc.message)
        outcome.unreadable = exc
        return outcome
    with unit_of_work() as session:
        outcome.batch_id = service.start_import(session, actor=actor, source_name=path.name,
                                                source_sha256=digest, carrier=carrier)
        validator = ReferralValidator(load_catalogue(session), today=clock.today(),
                                      permitted_forces=permitted_forces)
    seen = service.InFileSeen()
    try:
        for chunk in _chunks(_guarded(items, path), batch_size):
            result = _store_chunk(unit_of_work, actor=actor, batch_id=outcome.batch_id,
                                  chunk=chunk, validator=validator, seen=seen,
                                  after=after_chunk)
            outcome.summary.add(result.summary)
            outcome.rejections.extend(result.rejections)
            outcome.warnings += result.warnings
            if progress:
                progress(len(chunk))
    except UnreadableFile as exc:
        outcome.unreadable = exc
    with unit_of_work() as session:
        service.finish_import(session, actor=actor, batch_id=outcome.batch_id,
                              summary=outcome.summary,
                              error=outcome.unreadable)
    return outcome

