"""Conducting the structured review: the allocated reviewer starts it, then saves findings item
by item (by hand or by the page's autosave). A save names the revision it was made from; a
stale one is refused with what the other person saved, and the caller keeps what was typed."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.auth.models import UserAccount
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, can
from beaconport.db import new_id
from beaconport.errors import Conflict, FieldProblems, InvalidRequest, NotFound
from beaconport.referrals.models import Referral
from beaconport.referrals.service import refuse_if_held
from beaconport.review import blind, instrument, states
from beaconport.review.models import Allocation, CaseReview, ReviewFinding
from beaconport.review.states import IN_PROGRESS


class FindingProblems(FieldProblems):
    """A finding that cannot be saved."""


@dataclass(frozen=True, slots=True)
class Saved:
    item: str
    revision: int
    saved_at: datetime
    saved_by: str


class StaleFinding(Conflict):
    """Someone else saved this item since the page was opened."""

    def __init__(self, saved: Saved) -> None:
        super().__init__(f"{saved.saved_by} saved item {saved.item} at "
                         f"{saved.saved_at:%H:%M:%S} since you opened it. Your text is kept "
                         "below: compare the two, then save again.")
        self.saved = saved


def start(session: Session, *, principal: Principal, actor: str | audit.Actor,
          referral_id: uuid.UUID) -> uuid.UUID:
    """The allocated reviewer starts the case's review (or gets the one already started)."""
    allocated = session.scalar(select(Allocation.user_id).where(
        Allocation.referral_id == referral_id, Allocation.current.is_(True)))
    if allocated is None:
        raise InvalidRequest("This case is not allocated: a review starts once it is.")
    if allocated != principal.id:
        raise InvalidRequest("Only the reviewer this case is allocated to can start its "
                             "review.")
    existing = session.scalar(select(CaseReview.id).where(CaseReview.referral_id == referral_id,
                                                          CaseReview.reviewer_id == allocated,
                                                          CaseReview.kind == blind.PRIMARY))
    if existing is not None:
        return existing
    now = clock.now()
    review = CaseReview(id=new_id(), referral_id=referral_id, reviewer_id=allocated,
                        instrument=instrument.CURRENT, status=IN_PROGRESS, started_at_utc=now,
                        updated_at_utc=now)
    session.add(review)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.REVIEW_STARTED,
                 subject=audit.Subject("referral", str(referral_id)),
                 data={"review": str(review.id), "instrument": instrument.CURRENT})
    return review.id


def may_edit(session: Session, principal: Principal, review: CaseReview) -> bool:
    """The reviewer who holds the case, or a senior reviewer who supervises it; a blind second
    review, only its own reviewer."""
    if review.kind == blind.BLIND:
        return principal.id == review.reviewer_id
    holder = session.scalar(select(Allocation.user_id).where(
        Allocation.referral_id == review.referral_id, Allocation.current.is_(True)))
    return principal.id == holder or can(principal, Permission.REVIEW_ALLOCATE)


def may_read(session: Session, principal: Principal, review: CaseReview) -> bool:
    """Everyone who may read reviews, except where that would unblind a blind second review:
    until it is submitted, only its reviewer and supervisors see it, and its reviewer does not
    see the first review."""
    supervisor = can(principal, Permission.REVIEW_ALLOCATE)
    if review.kind == blind.BLIND:
        if review.status != IN_PROGRESS or principal.id == review.reviewer_id:
            return True
        # A supervisor may follow it, unless they wrote the first review it is blind to.
        first = session.get(CaseReview, review.blind_of) if review.blind_of else None
        return supervisor and (first is None or principal.id != first.reviewer_id)
    second = blind.second_of(session, review.id) if review.blind_sample else None
    return not (second is not None and second.status == IN_PROGRESS
                and principal.id == second.reviewer_id)


def save_finding(session: Session, *, principal: Principal, actor: str | audit.Actor,
                 review_id: uuid.UUID, item: str, revision: int,
                 finding: instrument.FindingInput) -> Saved:
    """Save the finding on one item, made from ``revision`` (0: a new finding)."""
    review = session.get(CaseReview, review_id)
    if review is None:
        raise NotFound("There is no such review.")
    if not may_edit(session, principal, review):
        raise InvalidRequest("Only the reviewer who holds this case, or a supervisor, can "
                             "change its review.")
    if review.status != IN_PROGRESS:
        raise Conflict(f"This review is {states.LABELS[review.status].lower()}: its findings "
                       "can no longer be changed.")
    if instrument.load(review.instrument).item(item) is None:
        raise NotFound(f"The review instrument has no item {item!r}.")
    problems = instrument.check_finding(finding)
    if problems:
        raise FindingProblems(problems)
    row = session.scalar(select(ReviewFinding).where(ReviewFinding.review_id == review_id,
                                                     ReviewFinding.item == item)
                         .with_for_update())
    now, who = clock.now(), audit.name_of(actor)
    if row is None:
        if revision != 0:
            raise InvalidRequest("That finding does not exist yet: reload the review.")
        row = ReviewFinding(id=new_id(), review_id=review_id, item=item, revision=0)
        session.add(row)
    elif row.revision != revision:
        raise StaleFinding(Saved(item, row.revision, row.saved_at_utc, row.saved_by))
    row.assessment, row.basis, row.notes = finding.assessment, finding.basis, finding.notes
    row.evidence = list(finding.evidence)
    row.achievable, row.impact = finding.achievable, finding.impact
    row.error_type = finding.error_type
    row.revision += 1
    row.saved_at_utc, row.saved_by = now, who
    review.updated_at_utc = now
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.FINDING_SAVED,
                 subject=audit.Subject("referral", str(review.referral_id)),
                 data={"review": str(review_id), "item": item, "revision": row.revision,
                       "assessment": finding.assessment, "basis": finding.basis})
    return Saved(item, row.revision, now, who)


@dataclass(frozen=True, slots=True)
class FindingView:
    item: str
    assessment: str
    basis: str
    notes: str
    evidence: list[str]
    achievable: str | None
    impact: str | None
    error_type: str | None
    revision: int
    saved_at: datetime
    saved_by: str


@dataclass(frozen=True, slots=True)
class ReviewSheet:
    id: uuid.UUID
    referral_id: uuid.UUID
    reviewer: str
    status: str
    started_at: datetime
    instrument: instrument.Instrument
    findings: dict[str, FindingView]
    editable: bool
    #: What this principal may do to the review now (submit, sign-off, return).
    actions: list[str]
    qa_by: str | None
    qa_at: datetime | None
    qa_note: str | None
    kind: str
    #: A blind second review: the first review it checks.
    blind_of: uuid.UUID | None
    #: A first review drawn for the blind second-review sample.
    blind_sample: bool

    @property
    def done(self) -> int:
        return len(self.findings)

    @property
    def status_label(self) -> str:
        return states.LABELS.get(self.status, self.status)


def sheet(session: Session, principal: Principal, review_id: uuid.UUID) -> ReviewSheet:
    """A review with its instrument and findings, for the page."""
    review = session.get(CaseReview, review_id)
    if review is None or not may_read(session, principal, review):
        raise NotFound("There is no such review, or it is a blind review you cannot see yet.")
    reviewer = session.scalar(select(UserAccount.display_name)
                              .where(UserAccount.id == review.reviewer_id))
    findings = {f.item: FindingView(f.item, f.assessment, f.basis, f.notes, list(f.evidence),
                                    f.achievable, f.impact, f.error_type, f.revision,
                                    f.saved_at_utc, f.saved_by)
                for f in session.scalars(select(ReviewFinding)
                                         .where(ReviewFinding.review_id == review_id))}
    actions = [a for a in states.allowed(review.status)
               if (a == "submit" and principal.id == review.reviewer_id)
               or (a != "submit" and review.kind == blind.PRIMARY
                   and principal.id != review.reviewer_id
                   and can(principal, Permission.REVIEW_SIGN_OFF))]
    return ReviewSheet(review.id, review.referral_id, reviewer or "", review.status,
                       review.started_at_utc, instrument.load(review.instrument), findings,
                       review.status == IN_PROGRESS and may_edit(session, principal, review),
                       actions, review.qa_by, review.qa_at_utc, review.qa_note, review.kind,
                       review.blind_of, review.blind_sample)


MIN_NOTE = 10


def _review(session: Session, review_id: uuid.UUID) -> CaseReview:
    review = session.get(CaseReview, review_id)
    if review is None:
        raise NotFound("There is no such review.")
    return review


def submit(session: Session, *, principal: Principal, actor: str | audit.Actor,
           review_id: uuid.UUID) -> None:
    """The reviewer submits the review for quality assurance, once every item has a finding."""
    review = _review(session, review_id)
    if principal.id != review.reviewer_id:
        raise InvalidRequest("Only the reviewer whose review it is can submit it.")
    refuse_if_held(session, review.referral_id, "submit its review")
    new = states.after(review.status, "submit")
    items = instrument.load(review.instrument)
    done = set(session.scalars(select(ReviewFinding.item)
                               .where(ReviewFinding.review_id == review_id)))
    missing = [i.code for c in items.categories for i in c.items if i.code not in done]
    if missing:
        raise InvalidRequest(f"Every check item needs a finding before the review is "
                             f"submitted (not applicable is a finding): {len(missing)} "
                             f"still have none ({', '.join(missing[:8])}"
                             f"{', …' if len(missing) > 8 else ''}).")
    # Drawn once, on the first submission: a review returned and submitted again keeps it.
    drawn = (review.kind == blind.PRIMARY and review.submitted_at_utc is None
             and blind.draw(session))
    review.blind_sample = review.blind_sample or drawn
    review.status, review.submitted_at_utc = new, clock.now()
    review.updated_at_utc = review.submitted_at_utc
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.REVIEW_SUBMITTED,
                 subject=audit.Subject("referral", str(review.referral_id)),
                 data={"review": str(review_id), "kind": review.kind,
                       "blind_sample": review.blind_sample})
    if review.kind == blind.BLIND:
        blind.compare(session, actor=actor, second=review)


def quality_assure(session: Session, *, principal: Principal, actor: str | audit.Actor,
                   review_id: uuid.UUID, sign_off: bool, note: str) -> None:
    """A second, different senior reviewer signs the review off for the panel, or returns it
    to the reviewer with reasons. Never the reviewer themselves (four eyes)."""
    review = _review(session, review_id)
    if not can(principal, Permission.REVIEW_SIGN_OFF):
        raise InvalidRequest("Only a senior reviewer can sign off a review.")
    if principal.id == review.reviewer_id:
        raise InvalidRequest("A second, different senior reviewer must sign off this review: "
                             "it is your own.")
    if review.kind == blind.BLIND:
        raise InvalidRequest("A blind second review is not signed off: where it differs from "
                             "the first review, each item is resolved on the comparison.")
    new = states.after(review.status, "sign-off" if sign_off else "return")
    if sign_off:
        refuse_if_held(session, review.referral_id, "sign its review off")
    blocked = (blind.sign_off_blocked(session, review) if sign_off
               else blind.return_blocked(session, review))
    if blocked:
        raise InvalidRequest(blocked)
    if len(note.strip()) < MIN_NOTE:
        raise InvalidRequest(f"Say in at least {MIN_NOTE} characters why you "
                             f"{'sign it off' if sign_off else 'return it'}.")
    review.status = new
    review.qa_by, review.qa_at_utc, review.qa_note = (audit.name_of(actor), clock.now(),
                                                      note.strip())
    review.updated_at_utc = review.qa_at_utc
    session.flush()
    audit.record(session, actor=actor,
                 action=AuditAction.REVIEW_SIGNED_OFF if sign_off else AuditAction.REVIEW_RETURNED,
                 subject=audit.Subject("referral", str(review.referral_id)),
                 data={"review": str(review_id)}, justification=note.strip())


def review_of(session: Session, referral_id: uuid.UUID) -> uuid.UUID | None:
    """The case's latest (first, not blind second) review, if one has started."""
    return session.scalar(select(CaseReview.id).where(CaseReview.referral_id == referral_id,
                                                      CaseReview.kind == blind.PRIMARY)
                          .order_by(CaseReview.started_at_utc.desc()).limit(1))


@dataclass(frozen=True, slots=True)
class ReviewListed:
    id: uuid.UUID
    referral_id: uuid.UUID
    force_reference: str
    force_code: str
    reviewer: str
    status: str
    updated_at: datetime
    kind: str
    blind_sample: bool

    @property
    def status_label(self) -> str:
        if self.kind == blind.BLIND:
            return ("Blind second review: in progress" if self.status == states.IN_PROGRESS
                    else "Blind second review: submitted")
        return states.LABELS.get(self.status, self.status)


def listed(session: Session, *, status: str | None = None,
           reviewer_id: uuid.UUID | None = None, kind: str | None = None,
           blind_sample: bool | None = None) -> list[ReviewListed]:
    """Reviews by stand, reviewer and kind, the longest untouched first."""
    query = (select(CaseReview.id, CaseReview.referral_id, Referral.force_reference,
                    Referral.force_code, UserAccount.display_name, CaseReview.status,
                    CaseReview.updated_at_utc, CaseReview.kind, CaseReview.blind_sample)
             .join(Referral, Referral.id == CaseReview.referral_id)
             .join(UserAccount, UserAccount.id == CaseReview.reviewer_id)
             .order_by(CaseReview.updated_at_utc))
    if status is not None:
        query = query.where(CaseReview.status == status)
    if reviewer_id is not None:
        query = query.where(CaseReview.reviewer_id == reviewer_id)
    if kind is not None:
        query = query.where(CaseReview.kind == kind)
    if blind_sample is not None:
        query = query.where(CaseReview.blind_sample.is_(blind_sample))
    return [ReviewListed(*row) for row in session.execute(query)]
