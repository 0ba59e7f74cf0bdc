"""The quarantine: rejected referrals kept verbatim until corrected, superseded or discarded."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, visible
from beaconport.bulk import insert_rows
from beaconport.db import new_id
from beaconport.errors import Conflict, InvalidRequest, NotFound
from beaconport.referrals.carriers.base import RawReferral
from beaconport.referrals.models import Referral, ReferralVersion, RejectedReferral
from beaconport.referrals.problems import Problem
from beaconport.referrals.validation import Checked

#: A referral as forces identify it: (force code, force reference).
Identity = tuple[str, str]


def keep_rejected(session: Session, *, actor: str | audit.Actor, batch_id: uuid.UUID, now: datetime,
                rejected: list[tuple[RawReferral, Checked | None, list[Problem]]]) -> None:
    """Keep every rejected referral verbatim. The same rejected content is kept once; a new
    rejected submission of a referral supersedes its earlier open entry, so each referral has at
    most one entry waiting for correction."""
    if not rejected:
        return
    digests = [hashlib.sha256(raw.raw_text.encode("utf-8", "surrogatepass")).hexdigest()
               for raw, _, _ in rejected]
    already = set(session.scalars(
        select(RejectedReferral.raw_sha256).where(
            RejectedReferral.status == "open", RejectedReferral.raw_sha256.in_(set(digests)))))
    rows: list[dict[str, Any]] = []
    for (raw, checked, problems), digest in zip(rejected, digests, strict=True):
        if digest in already:
            continue
        already.add(digest)
        force = checked.force if checked else None
        rows.append({
            "id": new_id(), "import_batch_id": batch_id,
            "force_code": force.code if force else None,
            "force_as_sent": checked.force_as_sent if checked else None,
            "force_reference": (checked.force_reference if checked else None),
            "position": raw.position[:200], "raw_text": raw.raw_text, "raw_sha256": digest,
            "document": raw.document if isinstance(raw.document, dict) else None,
            "problems": [p.as_dict() for p in problems], "status": "open",
            "received_at_utc": now,
        })
    identities = {(r["force_code"], r["force_reference"]) for r in rows
                  if r["force_code"] and r["force_reference"]}
    _close(session, _open_entries(session, identities), actor=actor, now=now,
           status="superseded", reason="A later submission of this referral was also rejected.")
    insert_rows(session, RejectedReferral.__table__, rows)
    audit.record_many(
        session, actor=actor, action=AuditAction.REJECTED_COLLECTED, at=now,
        subjects=[(audit.Subject("rejected_referral", str(r["id"])),
                   {"import_batch": str(batch_id), "errors": len(r["problems"])}) for r in rows])


def _open_entries(session: Session, identities: set[Identity]) -> list[Any]:
    if not identities:
        return []
    return [
        row for row in session.execute(
            select(RejectedReferral.id, RejectedReferral.force_code,
                   RejectedReferral.force_reference)
            .where(RejectedReferral.status == "open", any_reference(RejectedReferral, identities)))
        if (row.force_code, row.force_reference) in identities
    ]


def _close(session: Session, entries: list[Any], *, actor: str | audit.Actor,
           now: datetime, status: str, reason: str,
           versions: dict[Identity, uuid.UUID] | None = None) -> None:
    if entries:
        session.execute(update(RejectedReferral), [
            {"id": row.id, "status": status, "closed_at_utc": now,
             "closed_by": audit.name_of(actor), "close_reason": reason,
             "resolved_by_version_id": (versions or {}).get(
                 (row.force_code, row.force_reference))}
            for row in entries
        ])


def resolve_rejections(session: Session, *, actor: str | audit.Actor, now: datetime,
                       versions: dict[Identity, uuid.UUID],
                       unchanged: dict[Identity, tuple[uuid.UUID, int]]) -> None:
    """A referral once rejected and now accepted closes its open quarantine entries: a new
    version, or content already stored (then its current version is named)."""
    entries = _open_entries(session, set(versions) | set(unchanged))
    waiting = {(row.force_code, row.force_reference) for row in entries} & set(unchanged)
    if waiting:
        numbers = {unchanged[i][0]: unchanged[i][1] for i in waiting}
        current = {
            row.referral_id: row.id for row in session.execute(
                select(ReferralVersion.id, ReferralVersion.referral_id, ReferralVersion.number)
                .where(ReferralVersion.referral_id.in_(list(numbers))))
            if numbers[row.referral_id] == row.number
        }
        versions = {**versions, **{i: current[unchanged[i][0]] for i in waiting}}
    _close(session, entries, actor=actor, now=now, status="resolved",
           reason="A corrected version of this referral was accepted.", versions=versions)


def any_reference(model: type[Referral] | type[RejectedReferral],
                   identities: Iterable[Identity]) -> ColumnElement[bool]:
    """Rows whose reference is among those of ``identities`` (a superset: callers keep only the
    exact pairs). One plain IN list on an indexed column is answered from the index by both
    engines; a row-value IN made SQLite scan the table, and two IN lists made PostgreSQL scan
    the versions, once per chunk."""
    return model.force_reference.in_({reference for _, reference in identities})


def discard_rejected(session: Session, *, actor: str | audit.Actor, rejected_id: uuid.UUID,
                     reason: str) -> None:
    """Close a quarantined referral deliberately; it stays in the database, marked discarded."""
    row = session.get(RejectedReferral, rejected_id)
    if row is None:
        raise NotFound(f"No rejected referral has id {rejected_id}.")
    if row.status != "open":
        raise Conflict(f"That rejected referral is already {row.status}.")
    if not reason.strip():
        raise InvalidRequest("Say why the rejected referral is being discarded.")
    row.status, row.closed_at_utc, row.closed_by = "discarded", clock.now(), audit.name_of(actor)
    row.close_reason = reason.strip()
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.REJECTED_DISCARDED,
                 subject=audit.Subject("rejected_referral", str(rejected_id)),
                 justification=reason.strip())


def record_rejected_export(session: Session, *, actor: str | audit.Actor, ids: list[uuid.UUID],
                           destination: str, justification: str, recipient: str) -> None:
    """Writing rejected referrals to a file is a disclosure (s62(3)): recorded with why, and to
    whom."""
    audit.record(session, actor=actor, action=AuditAction.REJECTED_EXPORTED,
                 subject=audit.Subject("rejected_referral", "many"),
                 records=[audit.Subject("rejected_referral", str(i)) for i in ids],
                 data={"count": len(ids), "file": destination},
                 justification=justification, recipient=recipient)


def discard_visible(session: Session, *, principal: Principal, actor: str | audit.Actor,
                    rejected_id: uuid.UUID, reason: str) -> None:
    """Discard, from the web: only a quarantined referral the person may discard (their force's,
    or any for the national team); any other is not found."""
    found = session.scalar(select(RejectedReferral.id).where(
        RejectedReferral.id == rejected_id,
        visible(principal, Permission.REJECTED_DISCARD, RejectedReferral.force_code)))
    if found is None:
        raise NotFound("There is no referral held in quarantine at this address, or you do not "
                       "have access to it.")
    discard_rejected(session, actor=actor, rejected_id=rejected_id, reason=reason)
