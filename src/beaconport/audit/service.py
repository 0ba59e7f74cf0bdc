"""Write audit events in the caller's transaction, so a change and its record stand or fall
together."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit.actions import AuditAction
from beaconport.audit.models import AuditEvent
from beaconport.bulk import insert_rows
from beaconport.db import new_id


@dataclass(frozen=True, slots=True)
class Subject:
    type: str
    id: str


def record(
    session: Session,
    *,
    actor: str,
    action: AuditAction,
    subject: Subject,
    data: dict[str, Any] | None = None,
    justification: str | None = None,
    recipient: str | None = None,
) -> None:
    session.add(
        AuditEvent(
            at_utc=clock.now(),
            actor=actor,
            action=action.value,
            subject_type=subject.type,
            subject_id=subject.id,
            data=data,
            justification=justification,
            recipient=recipient,
        )
    )
    session.flush()


def record_many(
    session: Session,
    *,
    actor: str,
    action: AuditAction,
    subjects: Sequence[tuple[Subject, dict[str, Any] | None]],
    at: datetime | None = None,
) -> None:
    """One event per subject, written in bulk: an import collects thousands of referrals."""
    moment = at or clock.now()
    insert_rows(
        session,
        AuditEvent.__table__,
        [
            {
                "id": new_id(),
                "at_utc": moment,
                "actor": actor,
                "action": action.value,
                "subject_type": subject.type,
                "subject_id": subject.id,
                "data": data,
            }
            for subject, data in subjects
        ],
    )
