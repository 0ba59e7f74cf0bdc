"""Information requests: a referral that needs information gets one open request to its force,
listing exactly the missing facts; it follows screening (its list updated when screening finds a
different gap) and closes when the referral is decided. Forces see their open requests on the
web and through the API; they answer by sending the referral again with the facts."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, visible
from beaconport.bulk import insert_rows
from beaconport.db import new_id
from beaconport.reference.queries import force_names
from beaconport.referrals.models import Referral
from beaconport.screening.models import InformationRequest


class RequestRead(BaseModel):
    id: uuid.UUID
    referral_id: uuid.UUID
    force_code: str
    force_name: str
    force_reference: str
    items: list[str]
    opened_at: datetime
    updated_at: datetime


def follow_screening(session: Session, *, actor: str | audit.Actor, now: datetime,
                     missing: dict[uuid.UUID, tuple[str, list[str]]]) -> None:
    """Bring requests in line with screening for these referrals: ``missing`` maps each
    screened referral to (its force, the facts still missing: empty when it was decided)."""
    open_ = {r.referral_id: r for r in session.scalars(select(InformationRequest).where(
        InformationRequest.referral_id.in_(list(missing)),
        InformationRequest.status == "open"))}
    events: list[tuple[audit.Subject, dict[str, Any] | None]] = []
    opened: list[dict[str, Any]] = []
    for referral_id, (force, items) in missing.items():
        current = open_.get(referral_id)
        if items and current is None:
            opened.append({"id": new_id(), "referral_id": referral_id, "force_code": force,
                           "items": items, "status": "open", "opened_at_utc": now,
                           "updated_at_utc": now, "closed_at_utc": None,
                           "closed_reason": None})
            events.append((audit.Subject("referral", str(referral_id)),
                           {"request": "opened", "items": len(items)}))
        elif items and current is not None and list(current.items) != items:
            current.items, current.updated_at_utc = items, now
            events.append((audit.Subject("referral", str(referral_id)),
                           {"request": "updated", "items": len(items)}))
        elif not items and current is not None:
            current.status, current.closed_at_utc = "closed", now
            current.closed_reason = "answered: the referral was decided"
            events.append((audit.Subject("referral", str(referral_id)), {"request": "closed"}))
    session.flush()
    # In bulk: a first screening of 100,000 referrals opens tens of thousands at once.
    insert_rows(session, InformationRequest.__table__, opened)
    if events:
        audit.record_many(session, actor=actor, action=AuditAction.INFORMATION_REQUESTED,
                          subjects=events, at=now)


def open_requests(session: Session, principal: Principal, *,
                  limit: int = 500) -> list[RequestRead]:
    """The open requests to the forces whose referrals the principal may list."""
    names = force_names(session)
    rows = session.execute(
        select(InformationRequest, Referral.force_reference)
        .join(Referral, Referral.id == InformationRequest.referral_id)
        .where(InformationRequest.status == "open",
               visible(principal, Permission.REFERRAL_LIST, InformationRequest.force_code))
        .order_by(InformationRequest.opened_at_utc, InformationRequest.id).limit(limit))
    return [RequestRead(id=r.id, referral_id=r.referral_id, force_code=r.force_code,
                        force_name=names.get(r.force_code, r.force_code),
                        force_reference=reference, items=list(r.items),
                        opened_at=r.opened_at_utc, updated_at=r.updated_at_utc)
            for r, reference in rows]
