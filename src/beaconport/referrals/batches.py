"""Reads of import batches and the referrals held in quarantine, for the pages and the API."""

from __future__ import annotations

import re
import uuid
from datetime import datetime
from typing import Any

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, scope, visible
from beaconport.errors import NotFound
from beaconport.reference.queries import force_names
from beaconport.referrals.models import ImportBatch, RejectedReferral

BATCH_NOT_FOUND = "There is no import at this address, or you do not have access to it."
REJECTED_NOT_FOUND = ("There is no referral held in quarantine at this address, or you do not "
                      "have access to it.")


class RejectedRead(BaseModel):
    id: uuid.UUID
    status: str
    force: str | None
    force_reference: str | None
    position: str
    received_at: datetime
    problems: list[dict[str, Any]]
    close_reason: str | None = None


class BatchRead(BaseModel):
    id: uuid.UUID
    source_name: str
    carrier: str
    actor: str
    status: str
    started_at: datetime
    finished_at: datetime | None
    received: int
    accepted: int
    unchanged: int
    resubmitted: int
    rejected: int
    error_message: str | None
    rejections: list[RejectedRead]


def _in_file_order(position: str) -> tuple[tuple[int, str], ...]:
    """'line 10' after 'line 9'; 'Referrals row 12' after 'Referrals row 3'."""
    return tuple((int(part), "") if part.isdigit() else (0, part)
                 for part in re.split(r"(\d+)", position))


def _rejected(r: RejectedReferral, names: dict[str, str]) -> RejectedRead:
    force = names.get(r.force_code, r.force_code) if r.force_code else r.force_as_sent
    return RejectedRead(id=r.id, status=r.status, force=force,
                        force_reference=r.force_reference, position=r.position,
                        received_at=r.received_at_utc, problems=list(r.problems),
                        close_reason=r.close_reason)


def import_batch(session: Session, principal: Principal, batch_id: uuid.UUID) -> BatchRead:
    """An import the principal ran, or any import for those who may read the whole quarantine."""
    batch = session.get(ImportBatch, batch_id)
    national = scope(principal, Permission.REJECTED_READ).everywhere
    if batch is None or not (batch.actor == principal.actor or national):
        raise NotFound(BATCH_NOT_FOUND)
    rejections = sorted(
        session.scalars(select(RejectedReferral).where(
            RejectedReferral.import_batch_id == batch.id)),
        key=lambda r: _in_file_order(r.position))
    names = force_names(session)
    return BatchRead(
        id=batch.id, source_name=batch.source_name, carrier=batch.carrier, actor=batch.actor,
        status=batch.status, started_at=batch.started_at_utc, finished_at=batch.finished_at_utc,
        received=batch.received, accepted=batch.accepted, unchanged=batch.unchanged,
        resubmitted=batch.resubmitted, rejected=batch.rejected,
        error_message=batch.error_message,
        rejections=[_rejected(r, names) for r in rejections])


def list_open_rejected(session: Session, principal: Principal, *,
                       limit: int = 500) -> list[RejectedRead]:
    rows = session.scalars(
        select(RejectedReferral)
        .where(RejectedReferral.status == "open",
               visible(principal, Permission.REJECTED_READ, RejectedReferral.force_code))
        .order_by(RejectedReferral.received_at_utc.desc(), RejectedReferral.id).limit(limit))
    names = force_names(session)
    return [_rejected(r, names) for r in rows]


def rejected_referral(session: Session, principal: Principal,
                      rejected_id: uuid.UUID) -> tuple[RejectedRead, str, dict[str, Any] | None]:
    """A quarantined referral, its problems, its content as sent, and the object the carrier
    built from it (where it could)."""
    row = session.scalar(select(RejectedReferral).where(
        RejectedReferral.id == rejected_id,
        visible(principal, Permission.REJECTED_READ, RejectedReferral.force_code)))
    if row is None:
        raise NotFound(REJECTED_NOT_FOUND)
    return _rejected(row, force_names(session)), row.raw_text, row.document
