"""Recording a complainant's support for the review, step by step through the table in
support_states. Each step says who approached them, when, through whom and what was agreed. A
change of support screens the referral again at once (and scores it again in the triage queue);
a withdrawal holds the case at once, and support given again by the same complainant lifts their
hold."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, can
from beaconport.db import new_id
from beaconport.errors import FieldProblems, InvalidRequest, NotFound
from beaconport.referrals import service as referrals
from beaconport.referrals import states as referral_states
from beaconport.referrals.models import PersonRecord
from beaconport.referrals.queries import current_version_id
from beaconport.review import prioritise
from beaconport.screening import support as screening_support
from beaconport.victims import support_states as ss
from beaconport.victims.models import CaseHold, Engagement, SupportChange

THROUGH: dict[str, str] = {"direct": "Directly, by the review's officer",
                           "isva": "Through their ISVA",
                           "intermediary": "Through an intermediary",
                           "other": "Another way"}
MIN_TEXT = 10
MAX_TEXT = 10_000
MIN_LIFT_REASON = 20


class SupportProblems(FieldProblems):
    """A step in a complainant's support that cannot be recorded."""


@dataclass(frozen=True, slots=True)
class SupportInput:
    to_state: str
    occurred_on: date | None
    approached_by: str
    through: str
    through_name: str
    agreed: str


@dataclass(frozen=True, slots=True)
class Recorded:
    support: str
    #: The case was held by this step (a withdrawal), or its hold lifted (support given again).
    held: bool
    released: bool
    #: Screening's decision after the step.
    decision: str | None


def reported(session: Session, referral_id: uuid.UUID) -> dict[str, tuple[str | None,
                                                                          str | None]]:
    """The complainants of the referral's current version: for each, the support the force
    reported and the date it was recorded."""
    return {ref: (support, on) for ref, support, on in session.execute(
        select(PersonRecord.person_ref, PersonRecord.review_support,
               PersonRecord.review_support_recorded_on)
        .where(PersonRecord.version_id == current_version_id(referral_id),
               PersonRecord.role == "complainant")
        .order_by(PersonRecord.person_ref))}


def starting_support(reported_support: str | None) -> str:
    return reported_support if reported_support in ss.LABELS else ss.NOT_YET_APPROACHED


def complainants(session: Session, referral_id: uuid.UUID) -> list[str]:
    """The person references of the complainants in the referral's current version."""
    return list(reported(session, referral_id))


def engagement_of(session: Session, referral_id: uuid.UUID, person_ref: str, *,
                  create: bool = False) -> Engagement | None:
    """The complainant's engagement record, locked for a change; made when ``create`` and the
    person is a complainant of the referral, starting from the support the force reported (a
    force that recorded the complainant's support for this review has already approached
    them)."""
    found = session.scalar(select(Engagement).where(Engagement.referral_id == referral_id,
                                                    Engagement.person_ref == person_ref)
                           .with_for_update())
    if found is not None or not create:
        return found
    forces = reported(session, referral_id)
    if person_ref not in forces:
        raise NotFound(f"The referral names no complainant {person_ref}.")
    support, on = forces[person_ref]
    start = starting_support(support)
    since = date.fromisoformat(on) if on and len(on) == 10 else clock.today()
    found = Engagement(id=new_id(), referral_id=referral_id, person_ref=person_ref,
                       support=start, support_since=since, channels=[],
                       no_contact=[], updates="key_decisions", plan_revision=0,
                       created_at_utc=clock.now())
    try:
        with session.begin_nested():  # two officers' first records of one complainant at once
            session.add(found)
    except IntegrityError:
        # The other made it first: use theirs, locked, as if it had been there all along.
        found = session.scalar(select(Engagement).where(
            Engagement.referral_id == referral_id, Engagement.person_ref == person_ref)
            .with_for_update())
    return found


def _problems(current: str, given: SupportInput) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    if given.to_state not in ss.LABELS:
        problems.append(("to_state", "Choose where their support now stands."))
    elif not ss.can_move(current, given.to_state):
        allowed = [ss.LABELS[s].lower() for s in ss.moves_from(current)]
        choices = (" or ".join([", ".join(allowed[:-1]), allowed[-1]]) if len(allowed) > 1
                   else allowed[0] if allowed else "nothing more")
        problems.append(("to_state", f"Their support stands at “{ss.LABELS[current].lower()}”: "
                         f"it can next become {choices}, not "
                         f"{ss.LABELS[given.to_state].lower()}."))
    if given.occurred_on is None:
        problems.append(("occurred_on", "Give the date of the approach as YYYY-MM-DD."))
    elif given.occurred_on > clock.today():
        problems.append(("occurred_on", "The date of the approach cannot be in the future."))
    if not given.approached_by.strip():
        problems.append(("approached_by", "Name the officer who made the approach."))
    elif len(given.approached_by.strip()) > 200:
        problems.append(("approached_by", "Keep the officer's name to 200 characters."))
    if given.through not in THROUGH:
        problems.append(("through", "Say how the approach was made: directly, through their "
                         "ISVA, through an intermediary, or another way."))
    elif given.through in ("isva", "intermediary") and not given.through_name.strip():
        problems.append(("through_name", f"Name the "
                         f"{'ISVA' if given.through == 'isva' else 'intermediary'}."))
    if len(given.through_name.strip()) > 200:
        problems.append(("through_name", "Keep the name to 200 characters."))
    if len(given.agreed.strip()) < MIN_TEXT:
        problems.append(("agreed", "Say what was agreed (or what happened), in at least "
                         f"{MIN_TEXT} characters."))
    elif len(given.agreed) > MAX_TEXT:
        problems.append(("agreed", f"Keep it to {MAX_TEXT:,} characters."))
    return problems


def record(session: Session, *, actor: str | audit.Actor, referral_id: uuid.UUID,
           person_ref: str, given: SupportInput) -> Recorded:
    """Record the next step in the complainant's support; nothing is stored if anything is
    wrong."""
    engagement = engagement_of(session, referral_id, person_ref, create=True)
    assert engagement is not None
    before = engagement.support
    problems = _problems(before, given)
    if problems:
        raise SupportProblems(problems)
    assert given.occurred_on is not None
    who = audit.name_of(actor)
    session.add(SupportChange(
        id=new_id(), engagement_id=engagement.id, from_state=before, to_state=given.to_state,
        occurred_on=given.occurred_on, approached_by=given.approached_by.strip(),
        through=given.through, through_name=given.through_name.strip() or None,
        agreed=given.agreed.strip(), recorded_at_utc=clock.now(), recorded_by=who))
    engagement.support, engagement.support_since = given.to_state, given.occurred_on
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.VICTIM_SUPPORT_RECORDED,
                 subject=audit.Subject("referral", str(referral_id)),
                 data={"complainant": person_ref, "from": before, "to": given.to_state,
                       "through": given.through})
    held = released = False
    if ss.is_withdrawal(before, given.to_state):
        held = _hold(session, actor, referral_id, person_ref,
                     f"Complainant {person_ref} withdrew support for the review on "
                     f"{given.occurred_on:%d %B %Y}.")
    elif given.to_state == ss.SUPPORTS:
        released = _lift(session, actor, referral_id,
                         f"Complainant {person_ref} supports the review again.",
                         only=person_ref)
    decision = screening_support.record(session, actor=actor, referral_id=referral_id,
                                        person_ref=person_ref, support=given.to_state,
                                        on=given.occurred_on)
    if released:
        _settle(session, referral_id, decision)
    # The queue reads where the case stands: held cases leave it, released ones return.
    prioritise.refresh(session, actor=actor, referral_ids=[referral_id])
    return Recorded(given.to_state, held, released, decision)


def _settle(session: Session, referral_id: uuid.UUID, decision: str | None) -> None:
    """Once a hold is lifted, the case stands where screening's current decision puts it (which
    may have changed while it was held, when a re-screen left the paused status alone)."""
    if decision is not None:
        referrals.set_statuses(session, {referral_id: referral_states.SCREENED_STATUS[decision]})


def _open_holds(session: Session, referral_id: uuid.UUID) -> list[CaseHold]:
    return list(session.scalars(select(CaseHold).where(CaseHold.referral_id == referral_id,
                                                       CaseHold.lifted_at_utc.is_(None))
                                .order_by(CaseHold.held_at_utc)))


def _hold(session: Session, actor: str | audit.Actor, referral_id: uuid.UUID,
          person_ref: str, reason: str) -> bool:
    """Pause the case at once; a case already held keeps the status it stood at first."""
    held = _open_holds(session, referral_id)
    try:
        before = referrals.hold(session, referral_id, reason)
    except InvalidRequest:
        return False  # ineligible: there is nothing to pause
    session.add(CaseHold(id=new_id(), referral_id=referral_id, person_ref=person_ref,
                         reason=reason, status_before=held[0].status_before if held else before,
                         held_at_utc=clock.now(), held_by=audit.name_of(actor)))
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.CASE_HELD,
                 subject=audit.Subject("referral", str(referral_id)),
                 data={"complainant": person_ref, "status_before": before},
                 justification=reason)
    return True


def _lift(session: Session, actor: str | audit.Actor, referral_id: uuid.UUID, reason: str,
          *, only: str | None = None) -> bool:
    """Lift the case's holds (or only the one a complainant's withdrawal made); the case
    returns to where it stood once none is left."""
    holds = _open_holds(session, referral_id)
    lifting = [h for h in holds if only is None or h.person_ref == only]
    if not lifting:
        return False
    now, who = clock.now(), audit.name_of(actor)
    for hold in lifting:
        hold.lifted_at_utc, hold.lifted_by, hold.lift_reason = now, who, reason
    left = [h for h in holds if h not in lifting]
    if left:
        referrals.hold(session, referral_id, left[0].reason)  # still held, for the next reason
    else:
        referrals.release(session, referral_id, holds[0].status_before)
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.CASE_HOLD_LIFTED,
                 subject=audit.Subject("referral", str(referral_id)),
                 data={"complainants": [h.person_ref for h in lifting],
                       "still_held": bool(left)}, justification=reason)
    return not left


def lift(session: Session, *, principal: Principal, actor: str | audit.Actor,
         referral_id: uuid.UUID, reason: str) -> None:
    """A supervisor lifts the case's hold with a reason (the review goes on with the support of
    its other complainants, say), and the case is screened again."""
    if not can(principal, Permission.REVIEW_ALLOCATE):
        raise InvalidRequest("Only a supervisor of the review can lift a hold.")
    if len(reason.strip()) < MIN_LIFT_REASON:
        raise SupportProblems([("reason", "Say why the case goes on, in at least "
                                f"{MIN_LIFT_REASON} characters.")])
    if not _open_holds(session, referral_id):
        raise NotFound("This case is not held.")
    if _lift(session, actor, referral_id, reason.strip()):
        _settle(session, referral_id,
                screening_support.rescreen(session, actor=actor, referral_id=referral_id))
    prioritise.refresh(session, actor=actor, referral_ids=[referral_id])
