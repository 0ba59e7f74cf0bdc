"""Import commands: store valid referrals, quarantine invalid ones, record every step.

These functions add and flush within the caller's transaction and never commit. The caller (the
CLI, later the API) commits once per chunk, so a chunk of referrals is stored whole or not at all,
and an import killed at any point leaves the database consistent; running it again completes it,
because content already stored is recognised as unchanged.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, cast

from sqlalchemy import Table, bindparam, select, update
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.bulk import insert_rows
from beaconport.db import Base, new_id
from beaconport.errors import InvalidRequest, NotFound
from beaconport.referrals import quarantine, states
from beaconport.referrals.carriers.base import RawReferral, UnreadableFile
from beaconport.referrals.checking import check_documents
from beaconport.referrals.content import differences
from beaconport.referrals.models import (
    ImportBatch,
    Referral,
    ReferralVersion,
)
from beaconport.referrals.problems import Problem
from beaconport.referrals.quarantine import Identity
from beaconport.referrals.rows import TABLES, VersionRows, version_rows
from beaconport.referrals.validation import Checked, ReferralValidator

#: identity -> (referral id, current version number) of referrals found unchanged
Unchanged = dict[Identity, tuple[uuid.UUID, int]]


@dataclass(slots=True)
class ImportSummary:
    received: int = 0
    accepted: int = 0
    unchanged: int = 0
    resubmitted: int = 0
    rejected: int = 0

    def add(self, other: ImportSummary) -> None:
        for name in ("received", "accepted", "unchanged", "resubmitted", "rejected"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, int]:
        return {n: getattr(self, n) for n in
                ("received", "accepted", "unchanged", "resubmitted", "rejected")}


@dataclass(frozen=True, slots=True)
class RejectionReport:
    """What the person importing is told about one rejected referral."""

    position: str
    force: str | None
    force_reference: str | None
    problems: list[Problem]


@dataclass(slots=True)
class ChunkResult:
    summary: ImportSummary = field(default_factory=ImportSummary)
    rejections: list[RejectionReport] = field(default_factory=list)
    warnings: int = 0
    #: The referrals given a new version (new or changed), for whatever must follow (screening).
    stored: list[uuid.UUID] = field(default_factory=list)


@dataclass(slots=True)
class InFileSeen:
    """Identities already met earlier in the same file, so duplicates inside it are caught."""

    first: dict[Identity, tuple[str, str]] = field(default_factory=dict)


def start_import(session: Session, *, actor: str | audit.Actor, source_name: str,
                 source_sha256: str | None, carrier: str) -> uuid.UUID:
    """Record the start of an import. An earlier import of the same file by the same person that
    never finished was interrupted (killed, or its machine stopped): say so, since this one
    completes it."""
    if source_sha256 is not None:
        session.execute(update(ImportBatch).where(
            ImportBatch.status == "running", ImportBatch.actor == audit.name_of(actor),
            ImportBatch.source_sha256 == source_sha256).values(status="interrupted"))
    batch = ImportBatch(id=new_id(), source_name=source_name, source_sha256=source_sha256,
                        carrier=carrier, actor=audit.name_of(actor), status="running",
                        started_at_utc=clock.now())
    session.add(batch)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.IMPORT_STARTED,
                 subject=audit.Subject("import_batch", str(batch.id)),
                 data={"source": source_name, "sha256": source_sha256, "carrier": carrier})
    return batch.id


def record_unreadable(session: Session, *, actor: str | audit.Actor, source_name: str,
                      source_sha256: str | None, carrier: str, code: str,
                      message: str) -> uuid.UUID:
    """A file that cannot be read at all is still recorded: who tried, what, and why it failed."""
    batch_id = start_import(session, actor=actor, source_name=source_name,
                            source_sha256=source_sha256, carrier=carrier)
    now = clock.now()
    session.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(
        status="unreadable", finished_at_utc=now, error_code=code, error_message=message))
    audit.record(session, actor=actor, action=AuditAction.IMPORT_FINISHED,
                 subject=audit.Subject("import_batch", str(batch_id)),
                 data={"status": "unreadable", "error": code})
    return batch_id


def finish_import(session: Session, *, actor: str | audit.Actor, batch_id: uuid.UUID,
                  summary: ImportSummary, error: UnreadableFile | None = None) -> None:
    """Close the batch: completed, or failed part-way (what was committed before stays)."""
    status = "completed" if error is None else "failed"
    session.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(
        status=status, finished_at_utc=clock.now(),
        error_code=error.code if error else None, error_message=error.message if error else None))
    audit.record(session, actor=actor, action=AuditAction.IMPORT_FINISHED,
                 subject=audit.Subject("import_batch", str(batch_id)),
                 data={"status": status, **summary.as_dict()})


def import_chunk(session: Session, *, actor: str | audit.Actor, batch_id: uuid.UUID,
                 items: list[RawReferral], validator: ReferralValidator,
                 seen: InFileSeen) -> ChunkResult:
    """Validate and store one chunk of referrals read from a file."""
    verdicts = check_documents(validator, [raw.document for raw in items])
    result = ChunkResult()
    result.summary.received = len(items)
    now = clock.now()
    accepted: dict[Identity, tuple[Checked, dict[str, Any], str]] = {}
    rejected: list[tuple[RawReferral, Checked | None, list[Problem]]] = []
    for raw, verdict in zip(items, verdicts, strict=True):
        checked = verdict.checked
        problems = list(raw.problems) + [
            replace(p, location=raw.locate(p.location)) for p in
            (checked.problems if checked else [])]
        result.warnings += sum(p.severity == "warning" for p in problems)
        if (checked is None or checked.clean is None or verdict.digest is None
                or any(p.severity == "error" for p in problems)):
            rejected.append((raw, checked, problems))
            continue
        assert raw.document is not None and checked.force is not None
        identity = (checked.force.code, checked.clean.force_reference)
        earlier = seen.first.get(identity)
        if earlier is not None:
            if earlier[0] == verdict.digest:
                result.summary.unchanged += 1
            else:
                problems.append(Problem(
                    "duplicate_referral", raw.position,
                    f"This referral appears earlier in the file ({earlier[1]}) with different "
                    "content; the earlier one was used. Send one version of each referral."))
                rejected.append((raw, checked, problems))
            continue
        seen.first[identity] = (verdict.digest, raw.position)
        document = {**raw.document, "force": checked.force.code}
        accepted[identity] = (replace(checked, problems=problems), document, verdict.digest)
    versions, unchanged = _store_accepted(session, actor=actor, batch_id=batch_id, now=now,
                                          accepted=accepted, summary=result.summary)
    if versions:
        result.stored = list(session.scalars(select(ReferralVersion.referral_id).where(
            ReferralVersion.id.in_(list(versions.values())))))
    quarantine.keep_rejected(session, actor=actor, batch_id=batch_id, now=now,
                             rejected=rejected)
    quarantine.resolve_rejections(session, actor=actor, now=now, versions=versions,
                                  unchanged=unchanged)
    result.summary.rejected = len(rejected)
    result.rejections = [
        RejectionReport(raw.position, checked.force.code if checked and checked.force else
                        (checked.force_as_sent if checked else None),
                        checked.force_reference if checked else None, problems)
        for raw, checked, problems in rejected
    ]
    s = result.summary
    session.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(
        received=ImportBatch.received + s.received, accepted=ImportBatch.accepted + s.accepted,
        unchanged=ImportBatch.unchanged + s.unchanged,
        resubmitted=ImportBatch.resubmitted + s.resubmitted,
        rejected=ImportBatch.rejected + s.rejected))
    return result


def _store_accepted(session: Session, *, actor: str | audit.Actor, batch_id: uuid.UUID,
                    now: datetime, accepted: dict[Identity, tuple[Checked, dict[str, Any], str]],
                    summary: ImportSummary) -> tuple[dict[Identity, uuid.UUID], Unchanged]:
    """Write new referrals and resubmissions. Return the new version id of each identity
    written, and the referral id and current version number of each found unchanged."""
    if not accepted:
        return {}, {}
    current = {
        (row.force_code, row.force_reference): row
        for row in session.execute(
            select(Referral.id, Referral.force_code, Referral.force_reference,
                   Referral.current_version, Referral.content_hash)
            .where(quarantine.any_reference(Referral, accepted))
        )
        if (row.force_code, row.force_reference) in accepted
    }
    changed = {current[i].id: current[i].current_version for i, (_, _, digest)
               in accepted.items() if i in current and current[i].content_hash != digest}
    previous = _current_versions(session, changed)
    rows = VersionRows()
    new_referrals: list[dict[str, Any]] = []
    referral_updates: list[dict[str, Any]] = []
    collected: list[tuple[audit.Subject, dict[str, Any] | None]] = []
    resubmitted: list[tuple[audit.Subject, dict[str, Any] | None]] = []
    versions: dict[Identity, uuid.UUID] = {}
    unchanged: Unchanged = {}
    for identity, (checked, document, digest) in accepted.items():
        clean = checked.clean
        assert clean is not None
        existing = current.get(identity)
        if existing is not None and existing.content_hash == digest:
            summary.unchanged += 1
            unchanged[identity] = (existing.id, existing.current_version)
            continue
        warnings = [p.as_dict() for p in checked.warnings] or None
        if existing is None:
            referral_id, number, changes = new_id(), 1, None
        else:
            referral_id, number = existing.id, existing.current_version + 1
            changes = differences(previous[existing.id][1], document)
        version_id, version = version_rows(
            clean, referral_id=referral_id, number=number, content_hash=digest,
            batch_id=batch_id, received_at=now, document=document, changes=changes,
            warnings=warnings)
        versions[identity] = version_id
        rows.extend(version)
        facts = {"current_version": number, "content_hash": digest,
                 "involves_rape": clean.involves_rape,
                 "referred_on": clean.referred_on, "last_changed_at_utc": now,
                 "suspect_count": clean.count_role("suspect"),
                 "complainant_count": clean.count_role("complainant")}
        subject = audit.Subject("referral", str(referral_id))
        if existing is None:
            summary.accepted += 1
            new_referrals.append({"id": referral_id, "force_code": identity[0],
                                  "force_reference": identity[1],
                                  "first_received_at_utc": now,
                                  "status": states.AWAITING_SCREENING, **facts})
            collected.append((subject, {"version": 1, "import_batch": str(batch_id)}))
        else:
            summary.resubmitted += 1
            referral_updates.append({"id": referral_id, **facts})
            resubmitted.append((subject, {"version": number, "import_batch": str(batch_id),
                                          "changes": len(changes or [])}))
    insert_rows(session, Referral.__table__, new_referrals)
    if referral_updates:
        session.execute(update(Referral), referral_updates)
    tables = Base.metadata.tables
    for name in TABLES:
        insert_rows(session, tables[name], rows.tables[name])
    audit.record_many(session, actor=actor, action=AuditAction.REFERRAL_COLLECTED,
                      subjects=collected, at=now)
    audit.record_many(session, actor=actor, action=AuditAction.REFERRAL_RESUBMITTED,
                      subjects=resubmitted, at=now)
    return versions, unchanged


def _current_versions(session: Session,
                      wanted: dict[uuid.UUID, int]) -> dict[uuid.UUID, tuple[uuid.UUID, Any]]:
    """referral id -> (version id, document) of the current version of each wanted referral."""
    if not wanted:
        return {}
    return {
        row.referral_id: (row.id, row.document)
        for row in session.execute(
            select(ReferralVersion.id, ReferralVersion.referral_id, ReferralVersion.number,
                   ReferralVersion.document)
            .where(ReferralVersion.referral_id.in_(list(wanted))))
        if wanted[row.referral_id] == row.number
    }


def move_status(session: Session, referral_id: uuid.UUID, new: str) -> None:
    """Move one referral to a new status (the review's moves: allocation, withdrawal)."""
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise NotFound("There is no such referral.")
    if referral.on_hold is not None:
        raise InvalidRequest(f"This case is held, so it cannot become "
                             f"{states.STATUS_LABELS.get(new, new).lower()} until the hold is "
                             f"lifted: {referral.on_hold}")
    if not states.can_move(referral.status, new):
        raise InvalidRequest(
            f"This case is {states.STATUS_LABELS.get(referral.status, referral.status).lower()}"
            f", so it cannot become {states.STATUS_LABELS.get(new, new).lower()}.")
    referral.status = new
    session.flush()


def hold(session: Session, referral_id: uuid.UUID, reason: str) -> str:
    """Pause the case at once, whatever it was doing, and say why; returns the status it
    stood at (to return to when the hold is lifted)."""
    referral = session.scalar(select(Referral).where(Referral.id == referral_id)
                              .with_for_update())
    if referral is None:
        raise NotFound("There is no such referral.")
    before = referral.status
    if before != states.PAUSED and before not in states.HOLDABLE:
        raise InvalidRequest(f"This case is {states.STATUS_LABELS[before].lower()}: there is "
                             "nothing to pause.")
    referral.status, referral.on_hold = states.PAUSED, reason[:300]
    session.flush()
    return before


def refuse_if_held(session: Session, referral_id: uuid.UUID, doing: str) -> None:
    """Nothing moves a held case on: say so, and why it is held."""
    reason = session.scalar(select(Referral.on_hold).where(Referral.id == referral_id))
    if reason is not None:
        raise InvalidRequest(f"This case is held, so you cannot {doing} until the hold is "
                             f"lifted: {reason}")


def release(session: Session, referral_id: uuid.UUID, back_to: str) -> None:
    """Lift the hold: the case returns to where it stood (screening then says where it
    belongs now)."""
    referral = session.scalar(select(Referral).where(Referral.id == referral_id)
                              .with_for_update())
    if referral is None:
        raise NotFound("There is no such referral.")
    if referral.status == states.PAUSED and back_to in states.HOLDABLE | {states.PAUSED}:
        referral.status = back_to
    referral.on_hold = None
    session.flush()


def set_statuses(session: Session, statuses: dict[uuid.UUID, str]) -> None:
    """Move referrals to new statuses (screening's decisions), each move checked against the
    allowed transitions."""
    if not statuses:
        return
    current: dict[uuid.UUID, str] = {}
    held: set[uuid.UUID] = set()
    for rid, status, on_hold in session.connection().execute(
            select(Referral.id, Referral.status, Referral.on_hold)
            .where(Referral.id.in_(list(statuses)))):
        current[rid] = status
        if on_hold is not None:
            held.add(rid)
    moves = {rid: states.after_screening(current[rid], new, held=rid in held)
             for rid, new in statuses.items() if rid in current}
    moves = {rid: new for rid, new in moves.items() if current[rid] != new}
    for rid, new in moves.items():
        if not states.can_move(current[rid], new):
            raise ValueError(f"a referral cannot move from {current[rid]} to {new}")
    if moves:
        # Core executemany: the ORM's bulk update by primary key costs several times more.
        table = cast(Table, Referral.__table__)
        session.connection().execute(
            update(table).where(table.c.id == bindparam("rid")).values(status=bindparam("new")),
            [{"rid": rid, "new": new} for rid, new in moves.items()])
