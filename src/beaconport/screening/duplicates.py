"""Possible duplicates: listed for a person, decided by a person, never merged by the system."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel
from sqlalchemy import select
from sqlalchemy.orm import Session, aliased

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, visible
from beaconport.errors import InvalidRequest, NotFound
from beaconport.referrals.models import Referral
from beaconport.screening.models import PossibleDuplicate

Decision = Literal["same_case", "different_cases"]
NOT_FOUND = "There is no possible duplicate at this address, or you do not have access to it."


class DuplicateRead(BaseModel):
    id: uuid.UUID
    a_id: uuid.UUID
    a_force: str
    a_reference: str
    b_id: uuid.UUID
    b_force: str
    b_reference: str
    basis: str
    detail: str
    found_at: datetime
    decision: str | None
    decided_by: str | None
    reason: str | None


def _pairs(principal: Principal, permission: Permission):  # type: ignore[no-untyped-def]
    a, b = aliased(Referral), aliased(Referral)
    return (select(PossibleDuplicate, a.force_code, a.force_reference, b.force_code,
                   b.force_reference)
            .join(a, a.id == PossibleDuplicate.referral_a)
            .join(b, b.id == PossibleDuplicate.referral_b)
            .where(visible(principal, permission, a.force_code),
                   visible(principal, permission, b.force_code)))


def list_duplicates(session: Session, principal: Principal, *, undecided: bool = True,
                    limit: int = 200) -> list[DuplicateRead]:
    """Pairs the principal may see both sides of; undecided first, oldest found first."""
    stmt = _pairs(principal, Permission.REFERRAL_READ)
    if undecided:
        stmt = stmt.where(PossibleDuplicate.decision.is_(None))
    rows = session.execute(stmt.order_by(PossibleDuplicate.found_at_utc,
                                         PossibleDuplicate.id).limit(limit))
    return [DuplicateRead(id=d.id, a_id=d.referral_a, a_force=af, a_reference=ar,
                          b_id=d.referral_b, b_force=bf, b_reference=br, basis=d.basis,
                          detail=d.detail, found_at=d.found_at_utc, decision=d.decision,
                          decided_by=d.decided_by, reason=d.reason)
            for d, af, ar, bf, br in rows]


def decide_duplicate(session: Session, *, principal: Principal, actor: str | audit.Actor,
                     pair_id: uuid.UUID, decision: str, reason: str) -> None:
    """Record a person's decision about a pair: the same case, or different cases. Nothing is
    merged; the decision is for the reviewers to act on, and can be made again."""
    if decision not in ("same_case", "different_cases"):
        raise InvalidRequest("Choose whether the two referrals are the same case.")
    if len(reason.strip()) < 10:
        raise InvalidRequest("Say in at least 10 characters why.")
    found = session.execute(_pairs(principal, Permission.DUPLICATE_DECIDE)
                            .where(PossibleDuplicate.id == pair_id)).first()
    if found is None:
        raise NotFound(NOT_FOUND)
    pair = found[0]
    previous = pair.decision
    pair.decision, pair.reason = decision, reason.strip()
    pair.decided_by, pair.decided_at_utc = audit.name_of(actor), clock.now()
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.DUPLICATE_DECIDED,
                 subject=audit.Subject("possible_duplicate", str(pair_id)),
                 records=[audit.Subject("referral", str(pair.referral_a)),
                          audit.Subject("referral", str(pair.referral_b))],
                 data={"decision": decision, "previous": previous, "basis": pair.basis},
                 justification=reason.strip())
