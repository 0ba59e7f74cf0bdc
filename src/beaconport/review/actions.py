"""Actions: the lines of inquiry a review raises, worked across forces in the manner of a major
incident room. Reviewers raise them from a case's findings; once the panel has decided the case
should be pursued, the national team allocates each to a force (or to itself) with a due date;
whoever holds it completes the work and records the result (including what became of the
suspects, which goes into the outcomes ledger); the national team quality-checks the result and
files it. A force sees and works only the actions allocated to it."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.auth.accounts import in_scope_force
from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, can, scope, visible
from beaconport.db import new_id
from beaconport.errors import FieldProblems, InvalidRequest, NotFound
from beaconport.referrals.models import Referral
from beaconport.referrals.service import refuse_if_held
from beaconport.review import action_states as st
from beaconport.review import blind, conduct, outcomes
from beaconport.review.models import (
    PanelDecision,
    ReviewAction,
    ReviewActionStep,
    ReviewFinding,
)
from beaconport.review.panel import OUTCOMES

NATIONAL = "national"
PRIORITIES: dict[str, str] = {"high": "High", "medium": "Medium", "low": "Low"}
#: Panel outcomes under which a case's actions are pursued (the others close it, or pause it).
PURSUED: frozenset[str] = frozenset({"reinvestigate_local_force", "reinvestigate_national",
                                     "refer_to_cps", "safeguarding_only"})
MAX_TITLE = 200
MAX_TEXT = 10_000


class ActionProblems(FieldProblems):
    """What was sent for an action that cannot be used."""


@dataclass(frozen=True, slots=True)
class OutcomeInput:
    """A step in a suspect's outcome, sent with an action's result."""

    person_ref: str
    event: str
    occurred_on: date | None
    note: str = ""


def _step(session: Session, action: ReviewAction, step: str, note: str, who: str) -> None:
    session.add(ReviewActionStep(id=new_id(), action_id=action.id, step=step,
                                 status=action.status, note=note, at_utc=action.updated_at_utc,
                                 by=who))


def _audit(session: Session, actor: str | audit.Actor, action: ReviewAction, step: str,
           note: str, **data: object) -> None:
    audit.record(session, actor=actor, action=AuditAction.ACTION_MOVED,
                 subject=audit.Subject("referral", str(action.referral_id)),
                 data={"action": str(action.id), "number": action.number, "step": step,
                       "status": action.status, **data},
                 justification=note or None)


def raise_action(session: Session, *, actor: str | audit.Actor, referral_id: uuid.UUID,
                 title: str, detail: str, priority: str,
                 finding_item: str | None) -> uuid.UUID:
    """Raise an action on a case that has a review, from one of its findings (or from the
    panel's decision when ``finding_item`` is None)."""
    review_id = conduct.review_of(session, referral_id)
    if review_id is None:
        raise NotFound("This case has no review yet: actions are raised from a review's "
                       "findings.")
    if blind.in_progress(session, referral_id):
        raise InvalidRequest("A blind second review of this case is in progress: raise actions "
                             "once it is submitted, so its reviewer does not see what the first "
                             "review found.")
    problems: list[tuple[str, str]] = []
    title, detail = " ".join(title.split()), detail.strip()
    if not title:
        problems.append(("title", "Say in a few words what must be done."))
    elif len(title) > MAX_TITLE:
        problems.append(("title", f"Keep the title to {MAX_TITLE} characters; put the rest in "
                         "the detail."))
    if len(detail) < 10:
        problems.append(("detail", "Describe the line of inquiry in at least 10 characters: "
                         "what to do, and why it was available but not pursued."))
    elif len(detail) > MAX_TEXT:
        problems.append(("detail", f"Keep the detail to {MAX_TEXT:,} characters."))
    if priority not in PRIORITIES:
        problems.append(("priority", "Choose the priority: high, medium or low."))
    if finding_item:
        found = session.scalar(select(ReviewFinding.id).where(
            ReviewFinding.review_id == review_id, ReviewFinding.item == finding_item))
        if found is None:
            problems.append(("finding_item", f"The case's review has no finding on item "
                             f"{finding_item}: choose one of its findings."))
    if problems:
        raise ActionProblems(problems)
    # Numbers run 1, 2, 3 … per case: hold the case while taking the next, so two people
    # raising actions at once cannot take the same number.
    session.scalar(select(Referral.id).where(Referral.id == referral_id).with_for_update())
    number = (session.scalar(select(func.max(ReviewAction.number))
                             .where(ReviewAction.referral_id == referral_id)) or 0) + 1
    now, who = clock.now(), audit.name_of(actor)
    action = ReviewAction(id=new_id(), referral_id=referral_id, number=number, title=title,
                          detail=detail, finding_item=finding_item or None, priority=priority,
                          status=st.RAISED, raised_at_utc=now, raised_by=who,
                          updated_at_utc=now)
    session.add(action)
    session.flush()
    _step(session, action, "raise", detail, who)
    audit.record(session, actor=actor, action=AuditAction.ACTION_RAISED,
                 subject=audit.Subject("referral", str(referral_id)),
                 data={"action": str(action.id), "number": number, "title": title,
                       "priority": priority, "finding_item": finding_item or None})
    return action.id


def may_work(principal: Principal, action: ReviewAction) -> bool:
    """Whoever the action is allocated to: for a force's action, that force's own officers
    (the national team supervises it, but does not work it); for the national team's, the
    national team."""
    if action.allocated_to is None:
        return False
    reach = scope(principal, Permission.ACTION_WORK)
    if action.allocated_to == NATIONAL:
        return reach.everywhere
    return action.allocated_to in reach.forces


def readable(principal: Principal) -> list[ColumnElement[bool]]:
    """The actions a principal may read: their force's (or every force's), except those of a
    case whose blind second review they are doing (the actions come from the first review)."""
    return [visible(principal, Permission.ACTION_READ, ReviewAction.allocated_to),
            ReviewAction.referral_id.not_in(blind.blinded_cases(principal))]


def _visible_action(session: Session, principal: Principal,
                    action_id: uuid.UUID) -> ReviewAction:
    action = session.scalar(select(ReviewAction).where(
        ReviewAction.id == action_id, *readable(principal)).with_for_update())
    if action is None:
        raise NotFound("There is no such action, or it is not allocated to your force.")
    return action


def _case_pursued(session: Session, referral_id: uuid.UUID) -> None:
    outcome = session.scalar(select(PanelDecision.outcome).where(
        PanelDecision.referral_id == referral_id, PanelDecision.current.is_(True)))
    if outcome is None:
        raise InvalidRequest("The panel has not decided on this case yet: its actions are "
                             "allocated once the panel decides to pursue it.")
    if outcome not in PURSUED:
        raise InvalidRequest(f"The panel decided '{OUTCOMES.get(outcome, outcome)}', so the "
                             "case's actions are not pursued: none can be allocated.")


def _holder(session: Session, allocated_to: str) -> str:
    if allocated_to.strip().lower() == NATIONAL:
        return NATIONAL
    return in_scope_force(session, allocated_to.strip())


def move(session: Session, *, principal: Principal, actor: str | audit.Actor,
         action_id: uuid.UUID, step: str, note: str = "", allocated_to: str = "",
         due_on: date | None = None,
         outcome_steps: Sequence[OutcomeInput] = ()) -> None:
    """Move an action on by one step of the table (review/action_states.py), checking who may
    make it and everything the step needs. Nothing is stored if anything is wrong."""
    action = _visible_action(session, principal, action_id)
    roles = frozenset({st.MANAGER} if can(principal, Permission.ACTION_MANAGE) else set()) | (
        {st.HOLDER} if may_work(principal, action) else set())
    transition = st.move(action.status, step, roles)
    if step != "file":
        refuse_if_held(session, action.referral_id, transition.label)
    if transition.by == st.MANAGER and not can(principal, Permission.ACTION_MANAGE):
        raise InvalidRequest("Only the national team's action managers can "
                             f"{transition.label}.")
    if transition.by == st.HOLDER and not may_work(principal, action):
        raise InvalidRequest(f"Only the force or team the action is allocated to can "
                             f"{transition.label}.")
    note = note.strip()
    problems: list[tuple[str, str]] = []
    if len(note) < transition.note_at_least:
        problems.append(("note", {
            "complete": "Say what was done, in at least 10 characters.",
            "result": "Give the result: what the inquiry established, in at least 10 "
                      "characters.",
            "check": "Say why the result passes its quality check, in at least 10 characters.",
            "return": "Say what more must be done, in at least 10 characters.",
            "reallocate": "Give the reason for reallocating it, in at least 10 characters.",
            "file": "Give the reason for filing it without pursuing it, in at least 10 "
                    "characters.",
        }.get(step, f"Add a note of at least {transition.note_at_least} characters.")))
    elif len(note) > MAX_TEXT:
        problems.append(("note", f"Keep the note to {MAX_TEXT:,} characters."))
    holder = None
    if step in ("allocate", "reallocate"):
        _case_pursued(session, action.referral_id)
        try:
            holder = _holder(session, allocated_to) if allocated_to.strip() else None
        except InvalidRequest as exc:
            problems.append(("allocated_to", str(exc)))
        else:
            if holder is None:
                problems.append(("allocated_to", "Choose the force, or the national team, "
                                 "that will work the action."))
            elif step == "reallocate" and holder == action.allocated_to and due_on == \
                    action.due_on:
                problems.append(("allocated_to", "It is already allocated there with that "
                                 "due date: change one of them."))
        if due_on is None:
            problems.append(("due_on", "Give the date it is due, as YYYY-MM-DD."))
        elif due_on < clock.today():
            problems.append(("due_on", "The due date has passed: give today or a later "
                             "date."))
    if step == "check" and audit.name_of(actor) == _resulted_by(session, action):
        problems.append(("note", "A second person checks a result: you recorded this one."))
    if step == "result":
        for n, given in enumerate(outcome_steps, start=1):
            problems += [(f"outcomes-{n}-{field}", f"Outcome {n}: {message}")
                         for field, message in outcomes.problems_with(
                             session, referral_id=action.referral_id,
                             person_ref=given.person_ref, event=given.event,
                             occurred_on=given.occurred_on, note=given.note)]
    if problems:
        raise ActionProblems(problems)
    for given in outcome_steps if step == "result" else ():
        outcomes.record(session, actor=actor, referral_id=action.referral_id,
                        person_ref=given.person_ref, event=given.event,
                        occurred_on=given.occurred_on, note=given.note)
    now, who = clock.now(), audit.name_of(actor)
    action.status, action.updated_at_utc = transition.leads_to, now
    if holder is not None:
        action.allocated_to, action.due_on = holder, due_on
    if step == "complete":
        action.work_done = note
    elif step == "result":
        action.result = note
    _step(session, action, step, note, who)
    session.flush()
    _audit(session, actor, action, step, note,
           **({"allocated_to": action.allocated_to, "due_on": due_on.isoformat()}
              if holder is not None and due_on is not None else {}),
           **({"outcomes": [{"suspect": o.person_ref, "event": o.event}
                            for o in outcome_steps]} if step == "result" else {}))


def _resulted_by(session: Session, action: ReviewAction) -> str | None:
    return session.scalar(select(ReviewActionStep.by).where(
        ReviewActionStep.action_id == action.id, ReviewActionStep.step == "result")
        .order_by(ReviewActionStep.at_utc.desc()).limit(1))
