"""The clerical review of linkage: pairs the model could not settle, decided by a person.

A decision is kept apart from the machine's score and binds every later run. It takes effect at
once: "same" merges the two records' nominals; "different" splits their nominal if they are in
one (its records joined again from the stored pairs, never across a "different"); "unsure"
records that someone looked, and leaves the pair waiting. Records can also be taken out of a
person directly (``split_off``), kept as "different" decisions against the records left. Each
decision, merge and split is audited with the records it concerns.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import or_, select, update
from sqlalchemy.orm import Session, aliased

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, can, visible
from beaconport.bulk import insert_rows
from beaconport.db import new_id
from beaconport.errors import InvalidRequest, NotFound
from beaconport.people import clusters, names
from beaconport.people.models import CandidatePair, LinkDecision, Nominal, NominalRecord
from beaconport.people.prepare import pnc_of
from beaconport.people.queries import Appearance
from beaconport.people.service import LINK_AT, decisions
from beaconport.referrals.models import PersonRecord, Referral

Decision = Literal["same", "different", "unsure"]
DECISIONS: dict[str, str] = {"same": "The same person", "different": "Different people",
                             "unsure": "Unsure"}
NOT_FOUND = "There is no pair with that id waiting for a decision that you may see."


@dataclass(frozen=True, slots=True)
class Decided:
    pair_id: uuid.UUID
    decision: str
    #: What the index did: "merged", "split", or nothing (already so, or unsure).
    change: str | None


def decide(session: Session, *, principal: Principal, actor: audit.Actor, pair_id: uuid.UUID,
           decision: str, reason: str) -> Decided:
    """Keep a person's decision about a scored pair and apply it to the index."""
    if decision not in DECISIONS:
        raise InvalidRequest("Choose whether the two records are the same person, different "
                             "people, or whether you are unsure.")
    if len(reason.strip()) < 10:
        raise InvalidRequest("Give your reason in at least 10 characters: what in the records "
                             "shows it.")
    left, right = aliased(NominalRecord), aliased(NominalRecord)
    found = session.execute(
        select(CandidatePair, left, right)
        .join(left, left.id == CandidatePair.record_a)
        .join(right, right.id == CandidatePair.record_b)
        .where(CandidatePair.id == pair_id,
               visible(principal, Permission.PERSON_LINK, left.force_code),
               visible(principal, Permission.PERSON_LINK, right.force_code))).first()
    if found is None:
        raise NotFound(NOT_FOUND)
    pair, a, b = found
    now = clock.now()
    session.add(LinkDecision(record_a=pair.record_a, record_b=pair.record_b, decision=decision,
                             reason=reason.strip(), decided_by=audit.name_of(actor),
                             decided_at_utc=now, probability=pair.probability))
    pair.status = "unsure" if decision == "unsure" else "decided"
    change = None
    if decision == "same" and a.nominal_id != b.nominal_id:
        change = "merged"
        _merge(session, actor, keep=a.nominal_id, into_it=b.nominal_id, now=now)
    elif decision == "different" and a.nominal_id == b.nominal_id:
        change = "split"
        _split(session, actor, a.nominal_id, now=now)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.LINK_DECIDED,
                 subject=audit.Subject("candidate_pair", str(pair_id)),
                 records=[audit.Subject("nominal_record", str(a.id)),
                          audit.Subject("nominal_record", str(b.id))],
                 data={"decision": decision, "probability": round(pair.probability, 4),
                       "change": change})
    return Decided(pair_id, decision, change)


def _merge(session: Session, actor: audit.Actor, *, keep: uuid.UUID, into_it: uuid.UUID,
           now: Any) -> None:
    moved = list(session.scalars(select(NominalRecord.id).where(
        NominalRecord.nominal_id == into_it)))
    session.execute(update(NominalRecord).where(NominalRecord.nominal_id == into_it)
                    .values(nominal_id=keep, linked_at_utc=now))
    session.flush()
    session.delete(session.get_one(Nominal, into_it))
    members = session.scalars(select(NominalRecord.id).where(NominalRecord.nominal_id == keep))
    audit.record(session, actor=actor, action=AuditAction.NOMINAL_CHANGED,
                 subject=audit.Subject("nominal", str(keep)),
                 data={"change": "merged", "from": sorted([str(keep), str(into_it)]),
                       "records": sorted(str(m) for m in members),
                       "moved": sorted(str(m) for m in moved)})


def _split(session: Session, actor: audit.Actor, nominal: uuid.UUID, *, now: Any) -> None:
    """Join the nominal's records again from their stored pairs, bound by every decision."""
    members = [str(m) for m in session.scalars(select(NominalRecord.id).where(
        NominalRecord.nominal_id == nominal))]
    ids = [uuid.UUID(m) for m in members]
    stored = session.execute(
        select(CandidatePair.record_a, CandidatePair.record_b, CandidatePair.probability)
        .where(CandidatePair.record_a.in_(ids), CandidatePair.record_b.in_(ids)))
    bound = {k: d for k, d in decisions(session).items() if k[0] in ids and k[1] in ids}
    groups, _ = clusters.cluster(
        members, [(str(a), str(b), p) for a, b, p in stored], threshold=LINK_AT,
        must=[(str(a), str(b)) for (a, b), d in bound.items() if d == "same"],
        cannot=[(str(a), str(b)) for (a, b), d in bound.items() if d == "different"])
    new_ids = clusters.keep_ids(groups, dict.fromkeys(members, str(nominal)),
                                lambda: str(new_id()))
    made = {n for n in new_ids.values() if n != str(nominal)}
    insert_rows(session, Nominal.__table__, [{"id": uuid.UUID(n), "created_at_utc": now,
                                              "created_by_run": None} for n in made])
    for record, target in new_ids.items():
        if target != str(nominal):
            session.execute(update(NominalRecord).where(NominalRecord.id == uuid.UUID(record))
                            .values(nominal_id=uuid.UUID(target), linked_at_utc=now))
    targets = sorted(set(new_ids.values()))
    audit.record(session, actor=actor, action=AuditAction.NOMINAL_CHANGED,
                 subject=audit.Subject("nominal", str(nominal)),
                 data={"change": "split", "into": targets,
                       "records": {t: sorted(r for r, n in new_ids.items() if n == t)
                                   for t in targets}})


def waiting(session: Session, principal: Principal, *, limit: int = 50) -> list[uuid.UUID]:
    """The pairs waiting for a decision, most likely matches first."""
    left, right = aliased(NominalRecord), aliased(NominalRecord)
    return list(session.scalars(
        select(CandidatePair.id)
        .join(left, left.id == CandidatePair.record_a)
        .join(right, right.id == CandidatePair.record_b)
        .where(or_(CandidatePair.status == "review", CandidatePair.status == "unsure"),
               visible(principal, Permission.PERSON_LINK, left.force_code),
               visible(principal, Permission.PERSON_LINK, right.force_code))
        .order_by(CandidatePair.probability.desc(), CandidatePair.id).limit(limit)))


@dataclass(frozen=True, slots=True)
class Side(Appearance):
    """One record of a pair, as the clerical queue shows it: an appearance, with what linkage
    compares. A complainant's identity is withheld here (their record opens, after a
    justification, from its own page)."""

    aliases: list[str]
    sex: str | None
    postcodes: list[str]
    pnc: str | None


@dataclass(frozen=True, slots=True)
class PairView:
    id: uuid.UUID
    probability: float
    status: str
    #: (comparison, level, match weight in bits), in the model's order
    evidence: list[tuple[str, str, float]]
    left: Side
    right: Side


_COMPARISON_NAMES = {"name": "Name", "date_of_birth": "Date of birth", "address": "Address",
                     "nickname": "Nicknames and street names", "pnc": "PNC ID", "sex": "Sex",
                     "name_frequency": "How common the name is",
                     "relational": "Who else the referrals name"}


def queue(session: Session, principal: Principal, actor: audit.Actor, *,
          limit: int = 20) -> list[PairView]:
    """The pairs waiting, each with both records side by side and the evidence; showing them is
    a consultation of the records shown, and is audited as one."""
    ids = waiting(session, principal, limit=limit)
    if not ids:
        return []
    pairs = {p.id: p for p in session.scalars(select(CandidatePair).where(
        CandidatePair.id.in_(ids)))}
    record_ids = {r for p in pairs.values() for r in (p.record_a, p.record_b)}
    rows = session.execute(
        select(NominalRecord, PersonRecord, Referral.force_reference)
        .join(PersonRecord, PersonRecord.id == NominalRecord.person_record_id)
        .join(Referral, Referral.id == NominalRecord.referral_id)
        .where(NominalRecord.id.in_(record_ids)))
    sides = {n.id: _side(n, p, reference) for n, p, reference in rows}
    shown = []
    for pair_id in ids:
        p = pairs[pair_id]
        evidence = [(_COMPARISON_NAMES.get(k, k), str(v[0]), float(v[1]))
                    for k, v in p.evidence.items()]
        shown.append(PairView(p.id, p.probability, p.status, evidence, sides[p.record_a],
                              sides[p.record_b]))
    audit.record(session, actor=actor, action=AuditAction.PERSON_CONSULTED,
                 subject=audit.Subject("clerical_queue", "people-review"),
                 records=[audit.Subject("person_record", str(s.person_record_id))
                          for s in sides.values() if not s.identity_withheld],
                 data={"pairs": len(shown)})
    return shown


def _side(n: NominalRecord, p: PersonRecord, reference: str) -> Side:
    withheld = n.role == "complainant"
    name = names.display(p.forenames, p.surname)
    aliases = [" ".join(str(a[k]) for k in ("forenames", "surname", "nickname") if a.get(k))
               for a in p.aliases or [] if isinstance(a, dict)]
    postcodes = [str(a["postcode"]) for a in p.addresses or []
                 if isinstance(a, dict) and a.get("postcode")]
    pnc = pnc_of(p.identifiers)
    return Side(n.id, p.id, n.referral_id, n.force_code, reference, n.person_ref, n.role,
                withheld, None if withheld else name, None if withheld else p.date_of_birth,
                [] if withheld else aliases, p.sex, [] if withheld else postcodes,
                None if withheld else pnc)


def split_off(session: Session, *, principal: Principal, actor: audit.Actor,
              nominal_id: uuid.UUID, record_ids: Sequence[uuid.UUID], reason: str) -> uuid.UUID:
    """Take these records out of a person into a person of their own: kept as "different
    people" decisions between each of them and each record left (so no later run joins them
    again), then applied as any such decision is. Returns the new person's id."""
    if len(reason.strip()) < 10:
        raise InvalidRequest("Give your reason in at least 10 characters: what in the records "
                             "shows they are someone else.")
    members = {r.id: r for r in session.scalars(select(NominalRecord).where(
        NominalRecord.nominal_id == nominal_id))}
    if not members or not all(can(principal, Permission.PERSON_LINK, force_code=r.force_code)
                              for r in members.values()):
        raise NotFound("There is no person at this address that you may split.")
    chosen = set(record_ids)
    if not chosen or not chosen < set(members):
        raise InvalidRequest("Choose one or more of this person's records to take out, and "
                             "leave at least one.")
    now = clock.now()
    for moved in sorted(chosen):
        for kept in sorted(set(members) - chosen):
            a, b = min(moved, kept), max(moved, kept)
            session.add(LinkDecision(record_a=a, record_b=b, decision="different",
                                     reason=reason.strip(), decided_by=audit.name_of(actor),
                                     decided_at_utc=now, probability=None))
    # The records taken out stay together: "same" between each and the first of them.
    first = min(chosen)
    for other in sorted(chosen - {first}):
        session.add(LinkDecision(record_a=min(first, other), record_b=max(first, other),
                                 decision="same", reason=reason.strip(),
                                 decided_by=audit.name_of(actor), decided_at_utc=now,
                                 probability=None))
    session.flush()
    _split(session, actor, nominal_id, now=now)
    audit.record(session, actor=actor, action=AuditAction.LINK_DECIDED,
                 subject=audit.Subject("nominal", str(nominal_id)),
                 records=[audit.Subject("nominal_record", str(r)) for r in sorted(chosen)],
                 data={"decision": "split off", "records": len(chosen)})
    moved_to = session.scalar(select(NominalRecord.nominal_id).where(NominalRecord.id == first))
    assert moved_to is not None
    return moved_to
