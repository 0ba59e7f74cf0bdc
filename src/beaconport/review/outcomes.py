"""The outcomes ledger: per suspect of a reviewed case, what happened after the review, with
dates. Appended to, never changed (a mistaken entry is corrected by a later one that says so),
so the operation can count what it achieved."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.db import new_id
from beaconport.errors import FieldProblems, NotFound
from beaconport.referrals.models import PersonRecord
from beaconport.referrals.queries import current_version_id
from beaconport.review.models import CaseReview, OutcomeEvent

#: What can become of a suspect, in the order it usually happens.
EVENTS: dict[str, str] = {
    "reinvestigation_opened": "Reinvestigation opened",
    "arrested": "Arrested",
    "interviewed": "Interviewed under caution",
    "file_to_cps": "File sent to the CPS",
    "charged": "Charged",
    "convicted": "Convicted",
    "acquitted": "Acquitted",
    "nfa_again": "No further action again",
}
MAX_NOTE = 2000


class OutcomeProblems(FieldProblems):
    """A step for a suspect's ledger that cannot be recorded."""


def suspects(session: Session, referral_id: uuid.UUID) -> list[tuple[str, str]]:
    """(person reference, name) of each suspect in the case's current version."""
    return [(ref, " ".join(p for p in (forenames, surname) if p) or ref)
            for ref, forenames, surname in session.execute(
                select(PersonRecord.person_ref, PersonRecord.forenames, PersonRecord.surname)
                .where(PersonRecord.version_id == current_version_id(referral_id),
                       PersonRecord.role == "suspect")
                .order_by(PersonRecord.person_ref))]


def problems_with(session: Session, *, referral_id: uuid.UUID, person_ref: str, event: str,
                  occurred_on: date | None, note: str) -> list[tuple[str, str]]:
    """Everything wrong with one step for a suspect's ledger, by field (none: it can be
    recorded)."""
    problems: list[tuple[str, str]] = []
    if person_ref not in {ref for ref, _ in suspects(session, referral_id)}:
        problems.append(("person_ref", "Choose one of the case's suspects."))
    if event not in EVENTS:
        problems.append(("event", "Choose what happened."))
    if occurred_on is None:
        problems.append(("occurred_on", "Give the date it happened, as YYYY-MM-DD."))
    elif occurred_on > clock.today():
        problems.append(("occurred_on", "The date is in the future: record it once it has "
                         "happened."))
    if len(note) > MAX_NOTE:
        problems.append(("note", f"Keep the note to {MAX_NOTE:,} characters."))
    return problems


def record(session: Session, *, actor: str | audit.Actor, referral_id: uuid.UUID,
           person_ref: str, event: str, occurred_on: date | None, note: str) -> None:
    """Add one step to a suspect's ledger; ``OutcomeProblems`` names every problem."""
    if session.scalar(select(CaseReview.id).where(CaseReview.referral_id == referral_id)
                      .limit(1)) is None:
        raise NotFound("This case has not been reviewed: its outcomes start after its review.")
    problems = problems_with(session, referral_id=referral_id, person_ref=person_ref,
                             event=event, occurred_on=occurred_on, note=note)
    if problems:
        raise OutcomeProblems(problems)
    assert occurred_on is not None
    session.add(OutcomeEvent(id=new_id(), referral_id=referral_id, person_ref=person_ref,
                             event=event, occurred_on=occurred_on, note=note.strip(),
                             recorded_at_utc=clock.now(), recorded_by=audit.name_of(actor)))
    session.flush()
    audit.record(session, actor=actor, action=AuditAction.OUTCOME_RECORDED,
                 subject=audit.Subject("referral", str(referral_id)),
                 data={"suspect": person_ref, "event": event,
                       "occurred_on": occurred_on.isoformat()})


@dataclass(frozen=True, slots=True)
class Step:
    event: str
    occurred_on: date
    note: str
    recorded_at: datetime
    recorded_by: str

    @property
    def label(self) -> str:
        return EVENTS.get(self.event, self.event)


def ledger(session: Session, referral_id: uuid.UUID) -> dict[str, list[Step]]:
    """Each suspect's steps (by person reference), in the order they happened."""
    found: dict[str, list[Step]] = {}
    for row in session.scalars(select(OutcomeEvent).where(OutcomeEvent.referral_id ==
                                                          referral_id)
                               .order_by(OutcomeEvent.occurred_on,
                                         OutcomeEvent.recorded_at_utc)):
        found.setdefault(row.person_ref, []).append(
            Step(row.event, row.occurred_on, row.note, row.recorded_at_utc, row.recorded_by))
    return found


def achieved(session: Session) -> Counter[str]:
    """How many suspects have reached each step, across the operation (a suspect counts once
    per kind of step)."""
    suspects_per_event = select(OutcomeEvent.event, OutcomeEvent.referral_id,
                                OutcomeEvent.person_ref).distinct().subquery()
    return Counter(dict(session.execute(
        select(suspects_per_event.c.event, func.count())
        .group_by(suspects_per_event.c.event)).all()))
