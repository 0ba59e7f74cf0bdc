"""The audit trail of one record and the records under it, newest first, for people to read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from beaconport.audit.models import AuditEvent

TRAIL_LIMIT = 500


@dataclass(frozen=True, slots=True)
class TrailEntry:
    seq: int
    at: datetime
    actor: str
    actor_roles: str | None
    action: str
    category: str
    subject_type: str
    subject_id: str
    justification: str | None
    recipient: str | None
    data: dict[str, Any] | None


def trail(session: Session, subjects: Sequence[tuple[str, Sequence[str]]],
          *, limit: int = TRAIL_LIMIT) -> list[TrailEntry]:
    """Events about any of ``subjects``: (subject type, ids of that type)."""
    clauses = [and_(AuditEvent.subject_type == kind, AuditEvent.subject_id.in_(list(ids)))
               for kind, ids in subjects if ids]
    if not clauses:
        return []
    rows = session.scalars(select(AuditEvent).where(or_(*clauses))
                           .order_by(AuditEvent.seq.desc()).limit(limit))
    return [TrailEntry(e.seq, e.at_utc, e.actor, e.actor_roles, e.action, e.category,
                       e.subject_type, e.subject_id, e.justification, e.recipient, e.data)
            for e in rows]
