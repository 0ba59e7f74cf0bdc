"""The blind second review: a configurable random share of reviews is drawn when first
submitted, and a second reviewer reviews the case again without seeing the first review. Where
the two disagree, a third, senior reviewer resolves each item (the first finding stands, or the
second's replaces it); the first review is signed off only once every disagreement is
resolved."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.auth.models import UserAccount
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, can
from beaconport.db import new_id
from beaconport.errors import Conflict, InvalidRequest, NotFound
from beaconport.referrals.models import Referral
from beaconport.review import allocation, instrument, states
from beaconport.review.models import (
    BlindSampleRule,
    CaseReview,
    ReviewDisagreement,
    ReviewFinding,
)

PRIMARY = "primary"
BLIND = "blind-second"
#: The share drawn until a supervisor sets one: one review in ten.
DEFAULT_PERCENT = 10
MIN_NOTE = 10
#: What two findings on an item must share to agree.
COMPARED = ("assessment", "achievable", "impact", "error_type")


@dataclass(frozen=True, slots=True)
class SampleRule:
    percent: int
    note: str
    set_at: datetime | None
    set_by: str | None


def sample_rule(session: Session) -> SampleRule:
    latest = session.scalar(select(BlindSampleRule).order_by(BlindSampleRule.set_at_utc.desc())
                            .limit(1))
    if latest is None:
        return SampleRule(DEFAULT_PERCENT, "The default: one review in ten.", None, None)
    return SampleRule(latest.percent, latest.note, latest.set_at_utc, latest.set_by)


def set_sample(session: Session, *, actor: str | audit.Actor, percent: int, note: str) -> None:
    """Change the share of reviews drawn for a blind second review (from the next submission)."""
    if not 0 <= percent <= 100:
        raise InvalidRequest("The share is a whole percentage from 0 to 100.")
    if len(note.strip()) < MIN_NOTE:
        raise InvalidRequest(f"Say why the share changes, in at least {MIN_NOTE} characters.")
    before = sample_rule(session).percent
    session.add(BlindSampleRule(id=new_id(), percent=percent, note=note.strip(),
                                set_at_utc=clock.now(), set_by=audit.name_of(actor)))
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.BLIND_SAMPLE_SET,
                 subject=audit.Subject("blind-sample", "current"),
                 data={"percent": percent, "before": before}, justification=note.strip())


def draw(session: Session) -> bool:
    """Is the review being submitted drawn for the sample? Drawn with the operating system's
    randomness, so no one can tell in advance which reviews will be checked."""
    return secrets.randbelow(100) < sample_rule(session).percent


def blinded_cases(principal: Principal) -> Select[Any]:
    """The cases whose blind second review this principal is doing now: until they submit it,
    nothing that comes from the first review (its findings, QA notes, the actions raised from
    it) is shown to them."""
    return select(CaseReview.referral_id).where(CaseReview.kind == BLIND,
                                                CaseReview.status == states.IN_PROGRESS,
                                                CaseReview.reviewer_id == principal.id)


def is_blinded(session: Session, principal: Principal, referral_id: uuid.UUID) -> bool:
    return session.scalar(blinded_cases(principal).where(
        CaseReview.referral_id == referral_id).limit(1)) is not None


def in_progress(session: Session, referral_id: uuid.UUID) -> bool:
    """Is a blind second review of this case under way?"""
    return session.scalar(select(CaseReview.id).where(
        CaseReview.referral_id == referral_id, CaseReview.kind == BLIND,
        CaseReview.status == states.IN_PROGRESS).limit(1)) is not None


def second_of(session: Session, review_id: uuid.UUID) -> CaseReview | None:
    return session.scalar(select(CaseReview).where(CaseReview.blind_of == review_id)
                          .order_by(CaseReview.started_at_utc.desc()).limit(1))


def assign(session: Session, *, actor: str | audit.Actor, review_id: uuid.UUID,
           username: str) -> uuid.UUID:
    """Give a review drawn for the sample to a second reviewer, who may review the case by the
    same rules as allocation (vetting, skills, no conflict) and is not its first reviewer."""
    first = session.get(CaseReview, review_id)
    if first is None or first.kind != PRIMARY:
        raise NotFound("There is no such review.")
    if not first.blind_sample:
        raise InvalidRequest("This review was not drawn for a blind second review.")
    if second_of(session, review_id) is not None:
        raise Conflict("This review already has its blind second review.")
    account = allocation.check_reviewer(session, first.referral_id, username.strip())
    if account.id == first.reviewer_id:
        raise InvalidRequest("The second review must be by someone else: this is the first "
                             "review's own reviewer.")
    now = clock.now()
    second = CaseReview(id=new_id(), referral_id=first.referral_id, reviewer_id=account.id,
                        instrument=first.instrument, status=states.IN_PROGRESS,
                        started_at_utc=now, updated_at_utc=now, kind=BLIND, blind_of=first.id,
                        blind_sample=False)
    session.add(second)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.BLIND_ASSIGNED,
                 subject=audit.Subject("referral", str(first.referral_id)),
                 data={"review": str(first.id), "second_review": str(second.id),
                       "second_reviewer": account.username})
    return second.id


def _as_dict(finding: ReviewFinding) -> dict[str, Any]:
    return {"assessment": finding.assessment, "basis": finding.basis, "notes": finding.notes,
            "evidence": list(finding.evidence), "achievable": finding.achievable,
            "impact": finding.impact, "error_type": finding.error_type}


def _findings(session: Session, review_id: uuid.UUID) -> dict[str, ReviewFinding]:
    return {f.item: f for f in session.scalars(select(ReviewFinding)
                                               .where(ReviewFinding.review_id == review_id))}


def compare(session: Session, *, actor: str | audit.Actor, second: CaseReview) -> list[str]:
    """Record every item on which the submitted blind review differs from the first review;
    returns those items."""
    assert second.blind_of is not None
    firsts, seconds = _findings(session, second.blind_of), _findings(session, second.id)
    differing = [item for item, theirs in sorted(seconds.items())
                 if item not in firsts
                 or any(getattr(firsts[item], f) != getattr(theirs, f) for f in COMPARED)]
    for item in differing:
        mine = firsts.get(item)
        session.add(ReviewDisagreement(
            id=new_id(), review_id=second.blind_of, second_review_id=second.id, item=item,
            first=_as_dict(mine) if mine is not None else {}, second=_as_dict(seconds[item])))
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.BLIND_COMPARED,
                 subject=audit.Subject("referral", str(second.referral_id)),
                 data={"review": str(second.blind_of), "second_review": str(second.id),
                       "items_compared": len(seconds), "disagreements": differing})
    return differing


def unresolved(session: Session, review_id: uuid.UUID) -> int:
    return session.scalar(select(func.count()).select_from(ReviewDisagreement).where(
        ReviewDisagreement.review_id == review_id,
        ReviewDisagreement.resolution.is_(None))) or 0


def sign_off_blocked(session: Session, review: CaseReview) -> str | None:
    """Why a review drawn for the sample cannot be signed off yet (None: it can)."""
    if not review.blind_sample:
        return None
    second = second_of(session, review.id)
    if second is None:
        return ("This review was drawn for a blind second review: a supervisor must give it "
                "to a second reviewer, and it is signed off once that review is done and any "
                "disagreement resolved.")
    if second.status == states.IN_PROGRESS:
        return "Its blind second review is still in progress: sign-off waits for it."
    left = unresolved(session, review.id)
    if left:
        return (f"The blind second review disagrees on {left} item"
                f"{'' if left == 1 else 's'} still to resolve: resolve "
                f"{'it' if left == 1 else 'them'} first.")
    return None


def return_blocked(session: Session, review: CaseReview) -> str | None:
    """Why a review drawn for the sample cannot go back to its reviewer yet (None: it can).
    Changed while its blind second review is under way or not yet reconciled, the first review
    would no longer be the one compared."""
    second = second_of(session, review.id) if review.blind_sample else None
    if second is None:
        return None
    if second.status == states.IN_PROGRESS:
        return ("Its blind second review is in progress: return it once that review is "
                "submitted and compared.")
    left = unresolved(session, review.id)
    if left:
        return (f"The blind second review disagrees on {left} item"
                f"{'' if left == 1 else 's'} still to resolve: resolve "
                f"{'it' if left == 1 else 'them'} before returning the review.")
    return None


def resolve(session: Session, *, principal: Principal, actor: str | audit.Actor,
            disagreement_id: uuid.UUID, resolution: str, note: str) -> None:
    """A senior reviewer who did neither review settles one disagreement: the first finding
    stands, or the second's replaces it in the first review (as a new revision)."""
    found = session.scalar(select(ReviewDisagreement)
                           .where(ReviewDisagreement.id == disagreement_id).with_for_update())
    if found is None:
        raise NotFound("There is no such disagreement.")
    first, second = session.get(CaseReview, found.review_id), session.get(
        CaseReview, found.second_review_id)
    assert first is not None and second is not None
    if not can(principal, Permission.REVIEW_SIGN_OFF):
        raise InvalidRequest("Only a senior reviewer can resolve a disagreement.")
    if principal.id in (first.reviewer_id, second.reviewer_id):
        raise InvalidRequest("A disagreement is resolved by a senior reviewer who did neither "
                             "review.")
    if found.resolution is not None:
        raise Conflict(f"{found.resolved_by} already resolved item {found.item}.")
    if resolution not in ("first", "second"):
        raise InvalidRequest("Choose which finding stands: the first review's or the "
                             "second's.")
    if len(note.strip()) < MIN_NOTE:
        raise InvalidRequest(f"Say why, in at least {MIN_NOTE} characters.")
    now, who = clock.now(), audit.name_of(actor)
    if resolution == "second":
        if first.status == states.SIGNED_OFF:
            raise Conflict("The first review is already signed off.")
        row = session.scalar(select(ReviewFinding).where(ReviewFinding.review_id == first.id,
                                                         ReviewFinding.item == found.item))
        if row is None:
            row = ReviewFinding(id=new_id(), review_id=first.id, item=found.item, revision=0)
            session.add(row)
        taken = found.second
        row.assessment, row.basis, row.notes = (taken["assessment"], taken["basis"],
                                                taken["notes"])
        row.evidence = list(taken["evidence"])
        row.achievable, row.impact = taken["achievable"], taken["impact"]
        row.error_type = taken["error_type"]
        row.revision += 1
        row.saved_at_utc, row.saved_by = now, who
        first.updated_at_utc = now
    found.resolution, found.resolution_note = resolution, note.strip()
    found.resolved_at_utc, found.resolved_by = now, who
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.BLIND_RESOLVED,
                 subject=audit.Subject("referral", str(first.referral_id)),
                 data={"review": str(first.id), "item": found.item, "stands": resolution},
                 justification=note.strip())


@dataclass(frozen=True, slots=True)
class Disagreement:
    id: uuid.UUID
    item: str
    item_title: str
    first: dict[str, Any]
    second: dict[str, Any]
    resolution: str | None
    resolution_note: str | None
    resolved_by: str | None
    resolved_at: datetime | None


@dataclass(frozen=True, slots=True)
class Comparison:
    review_id: uuid.UUID
    referral_id: uuid.UUID
    first_reviewer: str
    second_review_id: uuid.UUID | None
    second_reviewer: str | None
    second_status: str | None
    disagreements: list[Disagreement]
    #: May this principal resolve them (a senior reviewer who did neither review)?
    may_resolve: bool


def comparison(session: Session, principal: Principal, review_id: uuid.UUID) -> Comparison:
    """The first review beside its blind second review, item by item where they disagree.
    Shown only once the second review is submitted (until then it stays blind)."""
    first = session.get(CaseReview, review_id)
    if first is None or first.kind != PRIMARY or not first.blind_sample:
        raise NotFound("This review was not drawn for a blind second review.")
    second = second_of(session, review_id)
    names = dict(session.execute(select(UserAccount.id, UserAccount.display_name).where(
        UserAccount.id.in_([first.reviewer_id] + ([second.reviewer_id] if second else []))))
        .all())
    items = instrument.load(first.instrument)
    shown = second is not None and second.status != states.IN_PROGRESS
    rows = [Disagreement(d.id, d.item, (i.title if (i := items.item(d.item)) else d.item),
                         dict(d.first), dict(d.second), d.resolution, d.resolution_note,
                         d.resolved_by, d.resolved_at_utc)
            for d in session.scalars(select(ReviewDisagreement)
                                     .where(ReviewDisagreement.review_id == review_id)
                                     .order_by(ReviewDisagreement.item))] if shown else []
    return Comparison(first.id, first.referral_id, names.get(first.reviewer_id, ""),
                      second.id if second else None,
                      names.get(second.reviewer_id) if second else None,
                      second.status if second else None, rows,
                      can(principal, Permission.REVIEW_SIGN_OFF)
                      and principal.id not in {first.reviewer_id,
                                               second.reviewer_id if second else None})


@dataclass(frozen=True, slots=True)
class Drawn:
    review_id: uuid.UUID
    referral_id: uuid.UUID
    force_reference: str
    first_reviewer: str
    submitted_at: datetime | None


def waiting_for_second(session: Session) -> list[Drawn]:
    """Reviews drawn for the sample that have no second reviewer yet, the longest waiting
    first."""
    seconds = select(CaseReview.blind_of).where(CaseReview.blind_of.is_not(None))
    return [Drawn(*row) for row in session.execute(
        select(CaseReview.id, CaseReview.referral_id, Referral.force_reference,
               UserAccount.display_name, CaseReview.submitted_at_utc)
        .join(Referral, Referral.id == CaseReview.referral_id)
        .join(UserAccount, UserAccount.id == CaseReview.reviewer_id)
        .where(CaseReview.kind == PRIMARY, CaseReview.blind_sample.is_(True),
               CaseReview.id.not_in(seconds))
        .order_by(CaseReview.submitted_at_utc))]
