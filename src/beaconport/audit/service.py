"""Write audit events in the caller's transaction, so a change and its record stand or fall
together, each event chained to the one before (beaconport.audit.chain).

Writers first move the chain head forward with an UPDATE, which takes its row lock (on SQLite,
the database's write lock) until the transaction ends: concurrent writers queue there, so the
chain has no forks and no gaps.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit.actions import S62_CATEGORY, AuditAction
from beaconport.audit.chain import BulkCanonical, bulk_entry_hash, entry_hash
from beaconport.audit.models import AuditChainHead, AuditEvent
from beaconport.bulk import JsonText, insert_rows
from beaconport.db import new_id


@dataclass(frozen=True, slots=True)
class Subject:
    type: str
    id: str


@dataclass(frozen=True, slots=True)
class Actor:
    """Who acted, with what roles, from where. Commands that know only a name pass a string."""

    name: str
    roles: str | None = None
    client: str | None = None

    def __str__(self) -> str:
        return self.name


def name_of(actor: str | Actor) -> str:
    return actor.name if isinstance(actor, Actor) else actor


def _as_actor(actor: str | Actor) -> Actor:
    return actor if isinstance(actor, Actor) else Actor(actor)


def _reserve(session: Session, count: int) -> tuple[int, str]:
    """Move the head forward by ``count``; return the first new sequence number and the hash
    to chain from."""
    row = session.execute(
        update(AuditChainHead).where(AuditChainHead.id == 1)
        .values(seq=AuditChainHead.seq + count)
        .returning(AuditChainHead.seq, AuditChainHead.last_hash)
    ).one()
    return int(row.seq) - count + 1, str(row.last_hash)


def _chain(session: Session, events: list[dict[str, Any]]) -> None:
    if not events:
        return
    first, prev = _reserve(session, len(events))
    for offset, event in enumerate(events):
        event["seq"] = first + offset
        event["prev_hash"] = prev
        event["entry_hash"] = prev = entry_hash(event, prev)
    session.execute(update(AuditChainHead).where(AuditChainHead.id == 1)
                    .values(last_hash=prev))
    insert_rows(session, AuditEvent.__table__, events)


def _event(actor: Actor, action: AuditAction, subject: Subject, at: datetime,
           data: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    return {
        "id": new_id(), "at_utc": at, "actor": actor.name, "actor_roles": actor.roles,
        "action": action.value, "category": S62_CATEGORY[action],
        "subject_type": subject.type, "subject_id": subject.id, "data": data,
        "records": None, "justification": None, "recipient": None, "client": actor.client,
        **extra,
    }


def record(
    session: Session,
    *,
    actor: str | Actor,
    action: AuditAction,
    subject: Subject,
    data: dict[str, Any] | None = None,
    records: Sequence[Subject] = (),
    justification: str | None = None,
    recipient: str | None = None,
) -> None:
    """One event. ``records`` names further records involved (the people a page showed)."""
    session.flush()
    _chain(session, [_event(
        _as_actor(actor), action, subject, clock.now(), data,
        records=[{"type": r.type, "id": r.id} for r in records] or None,
        justification=justification, recipient=recipient,
    )])


def record_many(
    session: Session,
    *,
    actor: str | Actor,
    action: AuditAction,
    subjects: Sequence[tuple[Subject, dict[str, Any] | None]],
    at: datetime | None = None,
) -> None:
    """One event per subject, written in bulk: an import collects thousands of referrals."""
    who = _as_actor(actor)
    moment = at or clock.now()
    events = [_event(who, action, subject, moment, data) for subject, data in subjects]
    if not events:
        return
    # The fields every event shares are rendered once for the hash; each event's data is
    # encoded once, for the hash and to be stored.
    shape = BulkCanonical(events[0])
    first, prev = _reserve(session, len(events))
    for offset, event in enumerate(events):
        text = shape.data(event["data"])
        event["seq"], event["prev_hash"] = first + offset, prev
        event["entry_hash"] = prev = bulk_entry_hash(prev, shape.render(
            seq=event["seq"], event_id=event["id"], subject_type=event["subject_type"],
            subject_id=event["subject_id"], data_text=text))
        if event["data"] is not None:
            event["data"] = JsonText(text)
    session.execute(update(AuditChainHead).where(AuditChainHead.id == 1)
                    .values(last_hash=prev))
    insert_rows(session, AuditEvent.__table__, events)


def record_audit_export(
    session: Session,
    *,
    actor: str | Actor,
    first_seq: int | None,
    last_seq: int | None,
    count: int,
    period: tuple[str, str],
    destination: str,
    sha256: str,
    justification: str,
    recipient: str,
) -> None:
    """Handing part of the audit log to someone is itself a disclosure, so it is recorded with
    why and for whom, and with the file's digest so the copy handed over can be recognised."""
    record(session, actor=actor, action=AuditAction.AUDIT_EXPORTED,
           subject=Subject("audit_log", f"{first_seq}-{last_seq}" if count else "none"),
           data={"from": period[0], "to": period[1], "events": count, "first_seq": first_seq,
                 "last_seq": last_seq, "file": destination, "sha256": sha256},
           justification=justification, recipient=recipient)
