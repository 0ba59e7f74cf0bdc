"""A case's story on one timeline, from the referral to what became of its suspects: every
version received, each screening decision, its place in triage, allocations, the review and its
quality assurance, panel decisions, actions and outcomes. Read from each part's own records, oldest
first."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, time

from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport.auth.models import UserAccount
from beaconport.auth.policy import Principal
from beaconport.errors import NotFound
from beaconport.referrals.models import Referral, ReferralVersion
from beaconport.review import action_queries, blind, outcomes, panel
from beaconport.review import states as review_states
from beaconport.review.models import Allocation, CaseReview, OutcomeEvent, PanelDecision
from beaconport.screening.models import ScreeningDecision

ACTION_STEPS = {"raise": "raised", "allocate": "allocated", "reallocate": "reallocated",
                "complete": "completed", "result": "resulted", "check": "quality-checked",
                "return": "returned for more work", "file": "filed"}
DECISIONS = {"eligible": "eligible", "ineligible": "ineligible",
             "needs_information": "needs information"}


@dataclass(frozen=True, slots=True)
class Moment:
    at: datetime
    stage: str
    title: str
    detail: str
    by: str | None = None


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def story(session: Session, principal: Principal, referral_id: uuid.UUID) -> list[Moment]:
    """Told to the reviewer of the case's blind second review while they do it, the story leaves
    out what came from the first review (its QA notes and the actions raised from it)."""
    referral = session.get(Referral, referral_id)
    if referral is None:
        raise NotFound("There is no such case.")
    blinded = blind.is_blinded(session, principal, referral_id)
    found: list[Moment] = []
    for number, received in session.execute(
            select(ReferralVersion.number, ReferralVersion.received_at_utc)
            .where(ReferralVersion.referral_id == referral_id)):
        found.append(Moment(received, "Referral", "Referred" if number == 1 else
                            f"Version {number} received", f"Version {number} from the force"))
    for decision, version, ruleset, at, by in session.execute(
            select(ScreeningDecision.decision, ScreeningDecision.version,
                   ScreeningDecision.ruleset, ScreeningDecision.screened_at_utc,
                   ScreeningDecision.screened_by)
            .where(ScreeningDecision.referral_id == referral_id)):
        found.append(Moment(at, "Screening", f"Screened {DECISIONS.get(decision, decision)}",
                            f"Version {version}, rule set {ruleset}", by))
    allocations = list(session.scalars(select(Allocation)
                                       .where(Allocation.referral_id == referral_id)))
    reviews = list(session.scalars(select(CaseReview)
                                   .where(CaseReview.referral_id == referral_id)))
    people = {a.user_id for a in allocations} | {r.reviewer_id for r in reviews}
    names = dict(session.execute(select(UserAccount.id, UserAccount.display_name)
                                 .where(UserAccount.id.in_(people))).all()) if people else {}
    for a in allocations:
        score = f" (triage score {a.priority_score})" if a.priority_score is not None else ""
        found.append(Moment(a.allocated_at_utc, "Allocation",
                            f"Allocated to {names.get(a.user_id, '?')}", f"From the queue{score}",
                            a.allocated_by))
        if a.ended_at_utc is not None:
            found.append(Moment(a.ended_at_utc, "Allocation",
                                f"{names.get(a.user_id, '?')}'s allocation ended",
                                a.end_reason or "", a.ended_by))
    for r in reviews:
        second = r.kind == blind.BLIND
        found.append(Moment(r.started_at_utc, "Review",
                            "Blind second review started" if second else "Review started",
                            f"Instrument {r.instrument}", names.get(r.reviewer_id)))
        if r.submitted_at_utc is not None:
            found.append(Moment(r.submitted_at_utc, "Review",
                                "Blind second review submitted and compared" if second else
                                "Submitted for quality assurance",
                                "Drawn for a blind second review" if r.blind_sample else "",
                                names.get(r.reviewer_id)))
        if r.qa_at_utc is not None:
            signed = r.status == review_states.SIGNED_OFF
            found.append(Moment(r.qa_at_utc, "Quality assurance",
                                "Signed off for the panel" if signed else
                                "Returned to the reviewer", "" if blinded else r.qa_note or "",
                                r.qa_by))
    for d in session.scalars(select(PanelDecision)
                             .where(PanelDecision.referral_id == referral_id)):
        found.append(Moment(d.decided_at_utc, "Panel",
                            panel.OUTCOMES.get(d.outcome, d.outcome), d.rationale,
                            d.recorded_by))
    for number, title, step in ([] if blinded else
                                action_queries.steps_of_case(session, referral_id)):
        found.append(Moment(step.at, "Action", f"Action {number} ({title}): "
                            f"{ACTION_STEPS.get(step.step, step.step)}", step.note, step.by))
    for o in session.scalars(select(OutcomeEvent)
                             .where(OutcomeEvent.referral_id == referral_id)):
        # An outcome is dated by the day only: recorded that day, it stands where it was
        # recorded (after the day's other events); otherwise at the start of its day.
        recorded = _aware(o.recorded_at_utc)
        at = recorded if recorded.date() == o.occurred_on else datetime.combine(
            o.occurred_on, time(), UTC)
        found.append(Moment(at, "Outcome",
                            f"Suspect {o.person_ref}: "
                            f"{outcomes.EVENTS.get(o.event, o.event).lower()}", o.note,
                            o.recorded_by))
    return sorted(found, key=lambda m: _aware(m.at))
