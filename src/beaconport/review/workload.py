"""Reading for allocation: reviewers with their load, who may take a case and why not, each
reviewer's cases, and a case's allocations."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from beaconport.auth.models import RoleGrant, UserAccount
from beaconport.auth.permissions import Role
from beaconport.errors import NotFound
from beaconport.reference.queries import force_names
from beaconport.referrals.models import Referral
from beaconport.referrals.states import DECIDED
from beaconport.review import eligibility, queries
from beaconport.review.models import Allocation, ConflictDeclaration, ReviewerProfile
from beaconport.screening.models import ScreeningDecision

REVIEWING_ROLES = (Role.REVIEWER.value, Role.SENIOR_REVIEWER.value)


def reviewers(session: Session, username: str | None = None) -> list[eligibility.Reviewer]:
    """Every account that holds a reviewing role or has a reviewer profile (or just one: then
    only that account's rows are read, as allocation checks one reviewer at a time)."""
    grants, profile_rows = select(RoleGrant.user_id), select(ReviewerProfile)
    # A case counts against capacity until the panel has decided on it: after that the
    # reviewer's work on it is done, though the allocation stays as its history.
    loads = (select(Allocation.user_id, func.count())
             .join(Referral, Referral.id == Allocation.referral_id)
             .where(Allocation.current.is_(True), Referral.status.not_in(sorted(DECIDED)))
             .group_by(Allocation.user_id))
    if username is not None:
        one = select(UserAccount.id).where(UserAccount.username == username).scalar_subquery()
        grants = grants.where(RoleGrant.user_id == one)
        profile_rows = profile_rows.where(ReviewerProfile.user_id == one)
        loads = loads.where(Allocation.user_id == one)
    reviewing = set(session.scalars(grants.where(RoleGrant.role.in_(REVIEWING_ROLES))))
    profiles = {p.user_id: p for p in session.scalars(profile_rows)}
    carrying = dict(session.execute(loads).all())
    query = select(UserAccount).where(UserAccount.id.in_(reviewing | set(profiles)))
    found = []
    for account in session.scalars(query.order_by(UserAccount.display_name)):
        profile = profiles.get(account.id)
        found.append(eligibility.Reviewer(
            username=account.username, display_name=account.display_name,
            reviewing_role=account.id in reviewing, active=account.disabled_at_utc is None,
            capacity=profile.capacity if profile else 0,
            carrying=int(carrying.get(account.id, 0)),
            skills=frozenset(profile.skills) if profile else frozenset(),
            vetting=profile.vetting if profile else None,
            vetting_expires_on=profile.vetting_expires_on if profile else None,
            served_forces=frozenset(profile.served_forces) if profile else frozenset()))
    return found


def case(session: Session, referral_id: uuid.UUID, today: date) -> eligibility.Case:
    """What allocation checks about a case: its force, what its skills depend on, and who
    declared a conflict with it."""
    referral = session.get(Referral, referral_id)
    decision = session.scalar(select(ScreeningDecision.id).where(
        ScreeningDecision.referral_id == referral_id, ScreeningDecision.current.is_(True)))
    if referral is None or decision is None:
        raise NotFound("There is no such case, or it has not been screened.")
    scored = queries.to_score(session, {referral_id: (referral.force_code, decision)}, today)
    facts = scored[0].facts
    declared = frozenset(session.scalars(
        select(UserAccount.username).join(ConflictDeclaration,
                                          ConflictDeclaration.user_id == UserAccount.id)
        .where(ConflictDeclaration.referral_id == referral_id)))
    return eligibility.Case(
        force_code=referral.force_code,
        force_name=force_names(session).get(referral.force_code, referral.force_code),
        rape=facts.rape, youngest_complainant_age=facts.youngest_complainant_age,
        suspects=facts.suspects, suspects_in_other_referrals=facts.suspects_in_other_referrals,
        declared_conflicts=declared)


@dataclass(frozen=True, slots=True)
class Candidate:
    reviewer: eligibility.Reviewer
    refusals: list[str]


def candidates(session: Session, referral_id: uuid.UUID, today: date,
               *, current: str | None = None) -> tuple[eligibility.Case, list[Candidate]]:
    """Every reviewer for a case, those who may take it first (least loaded first), each other
    one with every reason they may not. ``current``: the reviewer who has it now (left out)."""
    the_case = case(session, referral_id, today)
    found = [Candidate(r, eligibility.refusals(r, the_case, today))
             for r in reviewers(session) if r.username != current]
    found.sort(key=lambda c: (bool(c.refusals), c.reviewer.carrying / max(c.reviewer.capacity, 1),
                              c.reviewer.display_name))
    return the_case, found


@dataclass(frozen=True, slots=True)
class Allocated:
    referral_id: uuid.UUID
    force_reference: str
    force_name: str
    status: str
    allocated_at: datetime
    allocated_by: str
    priority_score: int | None


@dataclass(frozen=True, slots=True)
class Load:
    reviewer: eligibility.Reviewer
    cases: list[Allocated]


def workload(session: Session) -> list[Load]:
    """Every reviewer's current cases, most loaded first, for supervisors."""
    names = force_names(session)
    cases: dict[str, list[Allocated]] = {}
    for username, rid, reference, force, status, at, by, score in session.execute(
            select(UserAccount.username, Referral.id, Referral.force_reference,
                   Referral.force_code, Referral.status, Allocation.allocated_at_utc,
                   Allocation.allocated_by, Allocation.priority_score)
            .join(Allocation, Allocation.user_id == UserAccount.id)
            .join(Referral, Referral.id == Allocation.referral_id)
            .where(Allocation.current.is_(True))
            .order_by(Allocation.allocated_at_utc)):
        cases.setdefault(username, []).append(
            Allocated(rid, reference, names.get(force, force), status, at, by, score))
    loads = [Load(r, cases.get(r.username, [])) for r in reviewers(session)]
    loads.sort(key=lambda x: (-x.reviewer.carrying / max(x.reviewer.capacity, 1),
                              x.reviewer.display_name))
    return loads


@dataclass(frozen=True, slots=True)
class AllocationEntry:
    reviewer: str
    display_name: str
    current: bool
    allocated_at: datetime
    allocated_by: str
    ended_at: datetime | None
    ended_by: str | None
    end_reason: str | None


def history(session: Session, referral_id: uuid.UUID) -> list[AllocationEntry]:
    """A case's allocations, the current one first, then the earlier ones newest first."""
    rows = session.execute(
        select(Allocation, UserAccount.username, UserAccount.display_name)
        .join(UserAccount, UserAccount.id == Allocation.user_id)
        .where(Allocation.referral_id == referral_id)
        .order_by(Allocation.current.desc(), Allocation.allocated_at_utc.desc())).all()
    return [AllocationEntry(username, name, a.current, a.allocated_at_utc, a.allocated_by,
                            a.ended_at_utc, a.ended_by, a.end_reason)
            for a, username, name in rows]
