"""Allocation commands: keep reviewers' profiles and declared conflicts, allocate a case from
the triage queue, reallocate it with a reason, or return it to the queue. Every command checks
the rules in review/eligibility.py and is audited in the same transaction."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.auth.accounts import find_account
from beaconport.auth.models import UserAccount
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, can
from beaconport.db import new_id
from beaconport.errors import Conflict, FieldProblems, InvalidRequest, NotFound
from beaconport.reference.queries import force_names
from beaconport.referrals import states
from beaconport.referrals.models import Referral
from beaconport.referrals.service import move_status, refuse_if_held
from beaconport.review import eligibility, prioritise, workload
from beaconport.review.models import (
    Allocation,
    ConflictDeclaration,
    ReviewerProfile,
    TriagePriority,
)

CONFLICT_KINDS: dict[str, str] = {
    "original-investigation": "Worked on the original investigation",
    "knows-someone": "Knows someone named in the case",
    "other": "Another conflict of interest",
}
MIN_REASON = 10


class ProfileProblems(FieldProblems):
    """A reviewer's profile that cannot be stored."""


def _account(session: Session, username: str) -> UserAccount:
    account = find_account(session, username)
    if account is None:
        raise NotFound(f"There is no account {username!r}.")
    return account


def set_profile(session: Session, *, actor: str | audit.Actor, username: str, capacity: int,
                skills: Sequence[str], vetting: str, vetting_expires_on: date | None,
                served_forces: Sequence[str]) -> None:
    """Record (or replace) a reviewer's profile; ``ProfileProblems`` names every problem."""
    account = _account(session, username)
    problems: list[tuple[str, str]] = []
    if not 1 <= capacity <= 100:
        problems.append(("capacity", "Capacity is the number of cases they can carry at once: "
                         "a whole number from 1 to 100."))
    unknown = [s for s in skills if s not in eligibility.SKILLS]
    if unknown:
        problems.append(("skills", f"Unknown skill {', '.join(unknown)}: the skills are "
                         f"{', '.join(eligibility.SKILLS)}."))
    if vetting not in eligibility.VETTING_LEVELS:
        problems.append(("vetting", "Choose their vetting level: "
                         f"{', '.join(eligibility.VETTING_LEVELS)}."))
    if vetting_expires_on is None:
        problems.append(("vetting_expires_on", "Give the date their vetting expires."))
    forces = force_names(session)
    codes = sorted({f.strip() for f in served_forces if f.strip()})
    wrong = [f for f in codes if f not in forces]
    if wrong:
        problems.append(("served_forces", f"Not a force code: {', '.join(wrong)}."))
    if problems:
        raise ProfileProblems(problems)
    assert vetting_expires_on is not None
    profile = session.get(ReviewerProfile, account.id)
    if profile is None:
        profile = ReviewerProfile(user_id=account.id)
        session.add(profile)
    profile.capacity, profile.skills, profile.vetting = capacity, sorted(set(skills)), vetting
    profile.vetting_expires_on, profile.served_forces = vetting_expires_on, codes
    profile.updated_at_utc, profile.updated_by = clock.now(), audit.name_of(actor)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.REVIEWER_PROFILE_SET,
                 subject=audit.Subject("user", account.username),
                 data={"capacity": capacity, "skills": sorted(set(skills)), "vetting": vetting,
                       "vetting_expires_on": vetting_expires_on.isoformat(),
                       "served_forces": codes})


def declare_conflict(session: Session, *, principal: Principal, actor: str | audit.Actor,
                     username: str, referral_id: uuid.UUID, kind: str, detail: str) -> None:
    """A reviewer declares a conflict with a case (or a supervisor records one for them): they
    are never allocated it, and a current allocation of it to them must be changed."""
    if username != principal.name and not can(principal, Permission.REVIEWER_MANAGE):
        raise InvalidRequest("You may declare only your own conflicts of interest.")
    account = _account(session, username)
    if session.get(Referral, referral_id) is None:
        raise NotFound("There is no such case.")
    if kind not in CONFLICT_KINDS:
        raise InvalidRequest("Say what kind of conflict it is.")
    if len(detail.strip()) < MIN_REASON:
        raise InvalidRequest(f"Describe the conflict in at least {MIN_REASON} characters.")
    session.add(ConflictDeclaration(
        id=new_id(), referral_id=referral_id, user_id=account.id, kind=kind,
        detail=detail.strip(), declared_at_utc=clock.now(), declared_by=audit.name_of(actor)))
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.CONFLICT_DECLARED,
                 subject=audit.Subject("referral", str(referral_id)),
                 data={"reviewer": account.username, "kind": kind})


def _current(session: Session, referral_id: uuid.UUID) -> Allocation | None:
    return session.scalar(select(Allocation).where(Allocation.referral_id == referral_id,
                                                   Allocation.current.is_(True)))


def current_holder(session: Session, referral_id: uuid.UUID) -> uuid.UUID | None:
    """The reviewer the case is allocated to now, if any."""
    current = _current(session, referral_id)
    return current.user_id if current is not None else None


def check_reviewer(session: Session, referral_id: uuid.UUID, username: str,
           current: str | None = None) -> UserAccount:
    today = clock.today()
    the_case = workload.case(session, referral_id, today)
    found = workload.reviewers(session, username)
    if not found:
        raise InvalidRequest(f"{username} is not a reviewer: they hold no reviewing role and "
                             "have no reviewer profile.")
    reviewer = found[0]
    if current == username:
        raise InvalidRequest(f"{reviewer.display_name} already has this case.")
    refused = eligibility.refusals(reviewer, the_case, today)
    if refused:
        raise InvalidRequest(f"{reviewer.display_name} cannot be allocated this case. "
                             + " ".join(refused))
    return _account(session, username)


def allocate(session: Session, *, actor: str | audit.Actor, referral_id: uuid.UUID,
             username: str) -> None:
    """Give an eligible case waiting in the triage queue to a reviewer who may take it."""
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise NotFound("There is no such case.")
    refuse_if_held(session, referral_id, "allocate it")
    if _current(session, referral_id) is not None or referral.status == states.UNDER_REVIEW:
        raise Conflict("This case is already allocated: reallocate it instead, with a reason.")
    if referral.status != states.ELIGIBLE:
        raise InvalidRequest("Only an eligible case waiting in the triage queue can be "
                             "allocated.")
    account = check_reviewer(session, referral_id, username)
    score = session.scalar(select(TriagePriority.score)
                           .where(TriagePriority.referral_id == referral_id))
    session.add(Allocation(id=new_id(), referral_id=referral_id, user_id=account.id,
                           current=True, allocated_at_utc=clock.now(),
                           allocated_by=audit.name_of(actor), priority_score=score))
    move_status(session, referral_id, states.UNDER_REVIEW)
    session.execute(delete(TriagePriority).where(TriagePriority.referral_id == referral_id))
    audit.record(session, actor=actor, action=AuditAction.CASE_ALLOCATED,
                 subject=audit.Subject("referral", str(referral_id)),
                 data={"reviewer": account.username, "priority_score": score})


def _end(session: Session, allocation: Allocation, *, actor: str | audit.Actor,
         reason: str) -> None:
    if len(reason.strip()) < MIN_REASON:
        raise InvalidRequest(f"Give the reason in at least {MIN_REASON} characters: it is kept "
                             "with the case's history.")
    allocation.current = False
    allocation.ended_at_utc, allocation.ended_by = clock.now(), audit.name_of(actor)
    allocation.end_reason = reason.strip()
    session.flush()


def reallocate(session: Session, *, actor: str | audit.Actor, referral_id: uuid.UUID,
               username: str, reason: str) -> None:
    """Move a case to another reviewer who may take it, with the reason kept."""
    allocation = _current(session, referral_id)
    if allocation is None:
        raise InvalidRequest("This case is not allocated: allocate it from the triage queue.")
    before = session.get(UserAccount, allocation.user_id)
    assert before is not None
    account = check_reviewer(session, referral_id, username, current=before.username)
    _end(session, allocation, actor=actor, reason=reason)
    session.add(Allocation(id=new_id(), referral_id=referral_id, user_id=account.id,
                           current=True, allocated_at_utc=clock.now(),
                           allocated_by=audit.name_of(actor),
                           priority_score=allocation.priority_score))
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.CASE_REALLOCATED,
                 subject=audit.Subject("referral", str(referral_id)),
                 data={"from": before.username, "to": account.username},
                 justification=reason.strip())


def return_to_queue(session: Session, *, actor: str | audit.Actor, referral_id: uuid.UUID,
                    reason: str) -> None:
    """End a case's allocation and put it back in the triage queue, scored afresh. Not while
    the case is held: lifting the hold returns it to where it stood (under review, with its
    reviewer); reallocate it to another reviewer meanwhile if need be."""
    allocation = _current(session, referral_id)
    if allocation is None:
        raise InvalidRequest("This case is not allocated.")
    refuse_if_held(session, referral_id, "return it to the triage queue (reallocate it instead)")
    before = session.get(UserAccount, allocation.user_id)
    assert before is not None
    _end(session, allocation, actor=actor, reason=reason)
    referral = session.get(Referral, referral_id)
    assert referral is not None
    if referral.status == states.UNDER_REVIEW:
        move_status(session, referral_id, states.ELIGIBLE)
    audit.record(session, actor=actor, action=AuditAction.CASE_RETURNED,
                 subject=audit.Subject("referral", str(referral_id)),
                 data={"from": before.username}, justification=reason.strip())
    prioritise.refresh(session, actor=actor, referral_ids=[referral_id])
