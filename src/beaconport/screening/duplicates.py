"""Possible duplicates: listed for a person, decided by a person, never merged by the system."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
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
from beaconport.bulk import insert_rows
from beaconport.db import new_id
from beaconport.errors import InvalidRequest, NotFound
from beaconport.people.models import NominalRecord
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


#: The basis of a pair found through the nominal index, and what its detail says.
SHARED_PEOPLE = "shared_people"


def note_shared_people(session: Session,
                       referral_ids: Sequence[uuid.UUID] | None = None) -> int:
    """List as possible duplicates every two referrals that name the same complainant and at
    least one of the same suspects (as the nominal index links them): each pair once, with the
    nominals it shares; only pairs with one of ``referral_ids``, when given (a new import).
    Returns how many pairs were new."""
    c1, c2 = aliased(NominalRecord), aliased(NominalRecord)
    s1, s2 = aliased(NominalRecord), aliased(NominalRecord)
    query = (
        select(c1.referral_id, c2.referral_id, c1.nominal_id, s1.nominal_id)
        .join(c2, (c2.nominal_id == c1.nominal_id) & (c2.referral_id != c1.referral_id))
        .join(s1, s1.referral_id == c1.referral_id)
        .join(s2, (s2.referral_id == c2.referral_id) & (s2.nominal_id == s1.nominal_id))
        .where(c1.role == "complainant", c2.role == "complainant", s1.role == "suspect",
               s2.role == "suspect"))
    if referral_ids is not None:
        query = query.where(c1.referral_id.in_(list(referral_ids)))
    found = session.execute(query).all()
    shared: dict[tuple[uuid.UUID, uuid.UUID], tuple[set[str], set[str]]] = {}
    for one, other, complainant, suspect in found:
        people = shared.setdefault((min(one, other), max(one, other)), (set(), set()))
        people[0].add(str(complainant))
        people[1].add(str(suspect))
    known = {(a, b) for a, b in session.execute(
        select(PossibleDuplicate.referral_a, PossibleDuplicate.referral_b)
        .where(PossibleDuplicate.basis == SHARED_PEOPLE))}
    now = clock.now()
    new = [{"id": new_id(), "referral_a": a, "referral_b": b, "basis": SHARED_PEOPLE,
            # The detail names no one: the nominals' ids lead to them for those allowed.
            "detail": f"{len(complainants)} complainant(s) and {len(suspects)} suspect(s) "
                      "in common",
            "found_at_utc": now, "decision": None, "decided_by": None,
            "decided_at_utc": None, "reason": None}
           for (a, b), (complainants, suspects) in sorted(shared.items(), key=str)
           if (a, b) not in known]
    insert_rows(session, PossibleDuplicate.__table__, new)
    return len(new)
