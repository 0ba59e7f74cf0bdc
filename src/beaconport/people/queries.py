"""Reading the nominal index: a person's appearances across referrals and forces, by role.

Only appearances in referrals the principal may read are shown (a force's users see their own
force's). A complainant appearance never shows the identity: it is named by its referral, and
its record opens (after a justification) from its own page. Looking is a consultation of the
records shown, audited.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, visible
from beaconport.errors import NotFound
from beaconport.people import names
from beaconport.people.models import NominalRecord
from beaconport.referrals.models import PersonRecord, Referral

NOT_FOUND = "There is no person at this address, or none of their appearances is yours to see."
ROLES = ("suspect", "complainant", "witness")


@dataclass(frozen=True, slots=True)
class Appearance:
    #: The record in the index (what a person's decisions are about), and its referral's.
    record_id: uuid.UUID
    person_record_id: uuid.UUID
    referral_id: uuid.UUID
    force_code: str
    force_reference: str
    person_ref: str
    role: str
    identity_withheld: bool
    name: str | None
    date_of_birth: str | None


@dataclass(slots=True)
class NominalView:
    id: uuid.UUID
    #: The name most of the shown (non-complainant) records give, if any.
    name: str | None
    forces: list[str]
    by_role: dict[str, list[Appearance]] = field(default_factory=dict)

    @property
    def appearances(self) -> int:
        return sum(len(a) for a in self.by_role.values())


def nominal_of_record(session: Session, person_record_id: uuid.UUID) -> uuid.UUID | None:
    """The nominal a person record (of a referral's current version) belongs to, if indexed."""
    return session.scalar(select(NominalRecord.nominal_id).where(
        NominalRecord.person_record_id == person_record_id))


def view_nominal(session: Session, *, principal: Principal, actor: audit.Actor,
                 nominal_id: uuid.UUID) -> NominalView:
    rows = session.execute(
        select(NominalRecord, PersonRecord, Referral.force_reference)
        .join(PersonRecord, PersonRecord.id == NominalRecord.person_record_id)
        .join(Referral, Referral.id == NominalRecord.referral_id)
        .where(NominalRecord.nominal_id == nominal_id,
               visible(principal, Permission.PERSON_READ, NominalRecord.force_code))
        .order_by(Referral.force_code, Referral.force_reference, NominalRecord.person_ref)).all()
    if not rows:
        raise NotFound(NOT_FOUND)
    found = NominalView(nominal_id, None, sorted({n.force_code for n, _, _ in rows}))
    seen: dict[str, int] = {}
    for n, p, reference in rows:
        withheld = n.role == "complainant"
        name = names.display(p.forenames, p.surname)
        if name and not withheld:
            seen[name] = seen.get(name, 0) + 1
        found.by_role.setdefault(n.role, []).append(Appearance(
            n.id, p.id, n.referral_id, n.force_code, reference, n.person_ref, n.role, withheld,
            None if withheld else name, None if withheld else p.date_of_birth))
    found.by_role = {role: found.by_role[role] for role in ROLES if role in found.by_role}
    found.name = max(seen, key=lambda k: (seen[k], k)) if seen else None
    audit.record(session, actor=actor, action=AuditAction.PERSON_CONSULTED,
                 subject=audit.Subject("nominal", str(nominal_id)),
                 records=[audit.Subject("person_record", str(a.person_record_id))
                          for shown in found.by_role.values() for a in shown
                          if not a.identity_withheld],
                 data={"appearances": found.appearances})
    return found


@dataclass(frozen=True, slots=True)
class CoSuspect:
    nominal_id: uuid.UUID
    name: str | None
    #: How many referrals (that the principal may read) name both.
    together: int


def co_suspects(session: Session, principal: Principal,
                nominal_id: uuid.UUID) -> list[CoSuspect]:
    """The suspects named with this person, when they are a suspect, most often first."""
    theirs = select(NominalRecord.referral_id).where(
        NominalRecord.nominal_id == nominal_id, NominalRecord.role == "suspect")
    rows = session.execute(
        select(NominalRecord.nominal_id, NominalRecord.referral_id, PersonRecord.forenames,
               PersonRecord.surname)
        .join(PersonRecord, PersonRecord.id == NominalRecord.person_record_id)
        .where(NominalRecord.referral_id.in_(theirs), NominalRecord.role == "suspect",
               NominalRecord.nominal_id != nominal_id,
               visible(principal, Permission.PERSON_READ, NominalRecord.force_code)))
    referrals: dict[uuid.UUID, set[uuid.UUID]] = {}
    called: dict[uuid.UUID, str | None] = {}
    for other, referral, forenames, surname in rows:
        referrals.setdefault(other, set()).add(referral)
        called.setdefault(other, names.display(forenames, surname))
    return sorted((CoSuspect(n, called[n], len(r)) for n, r in referrals.items()),
                  key=lambda c: (-c.together, c.name or "", str(c.nominal_id)))
