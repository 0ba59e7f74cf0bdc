"""The specialist panel's decisions: once a case's review is signed off, the panel decides what
happens to it, with the options it weighed and its rationale, in a decision log that is never
changed (a later decision supersedes an earlier one; both stay)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.auth.accounts import find_account
from beaconport.db import new_id
from beaconport.errors import FieldProblems, InvalidRequest
from beaconport.referrals import states as referral_states
from beaconport.referrals.models import Referral
from beaconport.referrals.service import move_status, refuse_if_held
from beaconport.review import conduct, states
from beaconport.review.models import CaseReview, PanelDecision

#: The outcomes a panel can reach (domain brief §8.3).
OUTCOMES: dict[str, str] = {
    "nfa_upheld": "No further action upheld",
    "reinvestigate_local_force": "Reinvestigate: the local force, under the review's supervision",
    "reinvestigate_national": "Reinvestigate: the national team",
    "refer_to_cps": "Refer to the CPS for reconsideration",
    "safeguarding_only": "Safeguarding action only",
    "learning_only": "Organisational learning only",
    "paused_victim_declined": "Paused: the victim declined",
    "out_of_scope": "Out of scope",
}
MIN_RATIONALE = 30
#: The referral's status after each decision: pursued, closed by the review, or paused.
STATUS_AFTER: dict[str, str] = {
    "nfa_upheld": referral_states.REVIEWED,
    "reinvestigate_local_force": referral_states.REINVESTIGATION,
    "reinvestigate_national": referral_states.REINVESTIGATION,
    "refer_to_cps": referral_states.REINVESTIGATION,
    "safeguarding_only": referral_states.REVIEWED,
    "learning_only": referral_states.REVIEWED,
    "paused_victim_declined": referral_states.PAUSED,
    "out_of_scope": referral_states.REVIEWED,
}


class PanelProblems(FieldProblems):
    """A panel decision that cannot be recorded."""


def decide(session: Session, *, actor: str | audit.Actor, referral_id: uuid.UUID,
           outcome: str, options_considered: Sequence[str], rationale: str,
           members: Sequence[str]) -> uuid.UUID:
    """Record the panel's decision on a case whose latest review is signed off."""
    review_id = conduct.review_of(session, referral_id)
    review = session.get(CaseReview, review_id) if review_id is not None else None
    if review is None:
        raise InvalidRequest("This case has no review, so the panel cannot decide on it yet.")
    if STATUS_AFTER.get(outcome) != referral_states.PAUSED:
        refuse_if_held(session, referral_id, "decide anything but to pause it")
    if review.status != states.SIGNED_OFF:
        raise InvalidRequest("The panel decides once the case's review is signed off; it is "
                             f"{states.LABELS[review.status].lower()}.")
    recorder = audit.name_of(actor)
    # Members are usernames; on the pages the recorder acts as "user:<username>".
    chair = recorder.removeprefix("user:")
    sitting = [chair, *sorted({m.strip() for m in members if m.strip()} - {chair})]
    known = set(OUTCOMES)
    considered = [o for o in OUTCOMES if o in set(options_considered) | {outcome}]
    problems: list[tuple[str, str]] = []
    if outcome not in known:
        problems.append(("outcome", "Choose the panel's decision."))
    if not set(options_considered) <= known:
        problems.append(("options_considered", "Choose the options considered from the list."))
    elif len(considered) < 2:
        problems.append(("options_considered", "Record at least one other option the panel "
                         "weighed besides its decision."))
    if len(rationale.strip()) < MIN_RATIONALE:
        problems.append(("rationale", f"Give the rationale in at least {MIN_RATIONALE} "
                         "characters: it is what the decision log keeps."))
    strangers = [m for m in sitting[1:] if find_account(session, m) is None]
    if len(sitting) < 2:
        problems.append(("members", "Name the other members who sat (a panel is at least "
                         "two people)."))
    elif strangers:
        problems.append(("members", f"No account is called {', '.join(strangers)}: give the "
                         "members' usernames."))
    if problems:
        raise PanelProblems(problems)
    session.execute(update(PanelDecision).where(PanelDecision.referral_id == referral_id)
                    .values(current=False))
    decision = PanelDecision(id=new_id(), referral_id=referral_id, review_id=review.id,
                             outcome=outcome, options_considered=considered,
                             rationale=rationale.strip(), members=sitting, current=True,
                             decided_at_utc=clock.now(), recorded_by=recorder)
    session.add(decision)
    session.flush()
    # A case screening has since found ineligible, or lacking information, keeps that status.
    referral = session.get(Referral, referral_id)
    if referral is not None and referral.status != STATUS_AFTER[outcome] and (
            referral.status == referral_states.UNDER_REVIEW
            or referral.status in referral_states.DECIDED):
        move_status(session, referral_id, STATUS_AFTER[outcome])
    audit.record(session, actor=actor, action=AuditAction.PANEL_DECIDED,
                 subject=audit.Subject("referral", str(referral_id)),
                 data={"decision": str(decision.id), "outcome": outcome,
                       "options_considered": considered, "members": sitting},
                 justification=rationale.strip())
    return decision.id


@dataclass(frozen=True, slots=True)
class LogEntry:
    outcome: str
    options_considered: list[str]
    rationale: str
    members: list[str]
    current: bool
    decided_at: datetime
    recorded_by: str

    @property
    def outcome_label(self) -> str:
        return OUTCOMES.get(self.outcome, self.outcome)


def decision_log(session: Session, referral_id: uuid.UUID) -> list[LogEntry]:
    """The case's panel decisions, newest first."""
    return [LogEntry(d.outcome, list(d.options_considered), d.rationale, list(d.members),
                     d.current, d.decided_at_utc, d.recorded_by)
            for d in session.scalars(select(PanelDecision)
                                     .where(PanelDecision.referral_id == referral_id)
                                     .order_by(PanelDecision.decided_at_utc.desc()))]
