"""Raising and resolving safeguarding flags. A flag can be raised at any stage (screening,
linkage, the review, an action's result) on any suspect of a referral; it holds the person's
current access to children, the other referrals they appear in, how recent the alleged
offending is, a severity and an urgency, and what the records show kept apart from the
assessment. It stays open until someone resolves it with a reason; both are audited."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.db import new_id
from beaconport.errors import Conflict, FieldProblems, NotFound
from beaconport.people.models import NominalRecord
from beaconport.referrals.models import PersonRecord, Referral
from beaconport.referrals.queries import current_version_id
from beaconport.safeguarding.models import SafeguardingFlag

STAGES: dict[str, str] = {"screening": "Screening", "linkage": "The nominal index",
                          "review": "The review", "action": "An action's result",
                          "other": "Other"}
ACCESS: dict[str, str] = {
    "employment": "Employment (paid work with or near children)",
    "volunteering": "Volunteering with children",
    "licence": "A licence (taxi or private hire, childminding ...)",
    "household": "Children in the household",
    "other": "Other contact with children",
}
SEVERITIES: dict[str, str] = {"high": "High", "medium": "Medium", "low": "Low"}
URGENCIES: dict[str, str] = {"immediate": "Immediate: today",
                             "one_working_day": "Within one working day",
                             "five_working_days": "Within five working days"}
OPEN, RESOLVED = "open", "resolved"
MIN_TEXT = 20
MAX_TEXT = 10_000


class FlagProblems(FieldProblems):
    """A flag, or its resolution, that cannot be stored."""


@dataclass(frozen=True, slots=True)
class Access:
    kind: str
    detail: str


@dataclass(frozen=True, slots=True)
class FlagInput:
    person_ref: str
    stage: str
    access: tuple[Access, ...]
    last_alleged_on: date | None
    severity: str
    urgency: str
    facts: str
    assessment: str


def suspects(session: Session, referral_id: uuid.UUID) -> list[str]:
    """The person references of the suspects in the referral's current version."""
    return list(session.scalars(
        select(PersonRecord.person_ref)
        .where(PersonRecord.version_id == current_version_id(referral_id),
               PersonRecord.role == "suspect")
        .order_by(PersonRecord.person_ref)))


def other_referrals(session: Session, referral_id: uuid.UUID, person_ref: str) -> int:
    """Other referrals in which the nominal index finds the same person."""
    mine, other = aliased(NominalRecord), aliased(NominalRecord)
    return session.scalar(
        select(func.count(func.distinct(other.referral_id)))
        .join(mine, mine.nominal_id == other.nominal_id)
        .where(mine.referral_id == referral_id, mine.person_ref == person_ref,
               other.referral_id != referral_id)) or 0


def problems_with(session: Session, referral_id: uuid.UUID,
              given: FlagInput) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if given.person_ref not in suspects(session, referral_id):
        problems.append(("person_ref", "Choose one of the referral's suspects."))
    if given.stage not in STAGES:
        problems.append(("stage", "Choose where the concern arose."))
    if not given.access:
        problems.append(("access", "Record the person's current access to children (choose "
                         "'Other' and say so if there is none known)."))
    for n, access in enumerate(given.access, start=1):
        if access.kind not in ACCESS:
            problems.append((f"access-{n}", f"Access {n}: choose its kind."))
        elif not 3 <= len(access.detail.strip()) <= 500:
            problems.append((f"access-{n}", f"Access {n}: say what it is (the employer, the "
                             "licence and who issued it, the household), in 3 to 500 "
                             "characters."))
    if given.last_alleged_on is not None and given.last_alleged_on > clock.today():
        problems.append(("last_alleged_on", "The latest alleged offending cannot be in the "
                         "future."))
    if given.severity not in SEVERITIES:
        problems.append(("severity", "Choose the severity: high, medium or low."))
    if given.urgency not in URGENCIES:
        problems.append(("urgency", "Choose how urgently the authorities must hear of it."))
    for field, text, label in (("facts", given.facts, "what the records show (facts only)"),
                               ("assessment", given.assessment, "your assessment of the "
                                "risk, and who is at risk")):
        if not MIN_TEXT <= len(text.strip()) <= MAX_TEXT:
            problems.append((field, f"Give {label}, in {MIN_TEXT} to {MAX_TEXT:,} "
                             "characters."))
    return problems


def raise_flag(session: Session, *, actor: str | audit.Actor, referral_id: uuid.UUID,
               given: FlagInput) -> uuid.UUID:
    """Raise a flag on a suspect; ``FlagProblems`` names every problem, and nothing is
    stored."""
    if session.get(Referral, referral_id) is None:
        raise NotFound("There is no such referral.")
    problems = problems_with(session, referral_id, given)
    if problems:
        raise FlagProblems(problems)
    flag = SafeguardingFlag(
        id=new_id(), referral_id=referral_id, person_ref=given.person_ref, stage=given.stage,
        access=[{"kind": a.kind, "detail": a.detail.strip()} for a in given.access],
        linked_referrals=other_referrals(session, referral_id, given.person_ref),
        last_alleged_on=given.last_alleged_on, severity=given.severity,
        urgency=given.urgency, facts=given.facts.strip(), assessment=given.assessment.strip(),
        status=OPEN, raised_at_utc=clock.now(), raised_by=audit.name_of(actor))
    session.add(flag)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.SAFEGUARDING_FLAG_RAISED,
                 subject=audit.Subject("referral", str(referral_id)),
                 data={"flag": str(flag.id), "suspect": given.person_ref,
                       "stage": given.stage, "severity": given.severity,
                       "urgency": given.urgency,
                       "access": sorted({a.kind for a in given.access}),
                       "linked_referrals": flag.linked_referrals})
    return flag.id


def resolve_flag(session: Session, *, actor: str | audit.Actor, flag_id: uuid.UUID,
                 reason: str) -> uuid.UUID:
    """Resolve an open flag, with the reason kept and audited (returns its referral)."""
    flag = session.scalar(select(SafeguardingFlag).where(SafeguardingFlag.id == flag_id)
                          .with_for_update())
    if flag is None:
        raise NotFound("There is no such safeguarding flag.")
    if flag.status != OPEN:
        raise Conflict(f"{flag.resolved_by} already resolved this flag.")
    if not MIN_TEXT <= len(reason.strip()) <= MAX_TEXT:
        raise FlagProblems([("reason", f"Say why the flag is resolved (what was done, or why "
                             f"the concern no longer stands), in {MIN_TEXT} to {MAX_TEXT:,} "
                             "characters.")])
    flag.status, flag.resolution = RESOLVED, reason.strip()
    flag.resolved_at_utc, flag.resolved_by = clock.now(), audit.name_of(actor)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.SAFEGUARDING_FLAG_RESOLVED,
                 subject=audit.Subject("referral", str(flag.referral_id)),
                 data={"flag": str(flag.id), "suspect": flag.person_ref},
                 justification=reason.strip())
    return flag.referral_id


def open_flags(session: Session, referral_ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    """For each referral, the open flags on its suspects: raised on it, or on the same person
    (by the nominal index) in another referral. What triage counts."""
    if not referral_ids:
        return {}
    direct = {rid: int(n) for rid, n in session.execute(
        select(SafeguardingFlag.referral_id, func.count())
        .where(SafeguardingFlag.referral_id.in_(referral_ids),
               SafeguardingFlag.status == OPEN)
        .group_by(SafeguardingFlag.referral_id))}
    mine, flagged = aliased(NominalRecord), aliased(NominalRecord)
    elsewhere = {rid: int(n) for rid, n in session.execute(
        select(mine.referral_id, func.count(func.distinct(SafeguardingFlag.id)))
        .join(flagged, flagged.nominal_id == mine.nominal_id)
        .join(SafeguardingFlag, (SafeguardingFlag.referral_id == flagged.referral_id)
              & (SafeguardingFlag.person_ref == flagged.person_ref))
        .where(mine.referral_id.in_(referral_ids), mine.role == "suspect",
               flagged.referral_id != mine.referral_id, SafeguardingFlag.status == OPEN)
        .group_by(mine.referral_id))}
    return {rid: direct.get(rid, 0) + elsewhere.get(rid, 0) for rid in referral_ids
            if direct.get(rid, 0) + elsewhere.get(rid, 0)}
