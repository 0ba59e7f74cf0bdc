"""Reading engagement: the victim liaison workspace (every complainant the review is in touch
with, and what is due), one complainant's record (opening it is a consultation, audited), and
each case's support and hold, which the review may see without any contact detail."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from beaconport import clock
from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.errors import NotFound
from beaconport.referrals.models import Referral
from beaconport.victims import duties as d
from beaconport.victims import support_states as ss
from beaconport.victims.contact import in_no_contact_window
from beaconport.victims.models import CaseHold, ContactEntry, Engagement, SupportChange
from beaconport.victims.support import reported, starting_support

PAGE_SIZE = 50


@dataclass(frozen=True, slots=True)
class SupportStep:
    from_state: str
    to_state: str
    occurred_on: date
    approached_by: str
    through: str
    through_name: str | None
    agreed: str
    recorded_at: datetime
    recorded_by: str


@dataclass(frozen=True, slots=True)
class Contact:
    occurred_at: datetime
    direction: str
    channel: str
    reached: bool
    summary: str
    duty_key: str | None
    recorded_by: str


@dataclass(frozen=True, slots=True)
class Hold:
    person_ref: str
    reason: str
    held_at: datetime
    held_by: str
    lifted_at: datetime | None
    lifted_by: str | None
    lift_reason: str | None


@dataclass(frozen=True, slots=True)
class ComplainantRecord:
    referral_id: uuid.UUID
    force_reference: str
    person_ref: str
    support: str
    support_since: date | None
    moves: list[str]
    #: The contact plan, as the form shows it (empty before the first save).
    plan: dict[str, Any]
    plan_revision: int
    plan_saved_at: datetime | None
    plan_saved_by: str | None
    #: The no-contact period today falls in, if any.
    no_contact_now: dict[str, str] | None
    steps: list[SupportStep]
    contacts: list[Contact]
    duties: list[d.Duty]
    holds: list[Hold]

    @property
    def support_label(self) -> str:
        return ss.LABELS[self.support]


def _plan(e: Engagement | None) -> dict[str, Any]:
    if e is None:
        return {"channels": [], "no_contact": [], "updates": "key_decisions"}
    return {"preferred_name": e.preferred_name or "", "channels": list(e.channels),
            "safe_times": e.safe_times or "", "no_contact": list(e.no_contact),
            "intermediary": e.intermediary or "", "language": e.language or "",
            "needs": e.needs or "", "updates": e.updates, "updates_how": e.updates_how or ""}


def _holds(session: Session, referral_id: uuid.UUID) -> list[Hold]:
    return [Hold(h.person_ref, h.reason, h.held_at_utc, h.held_by, h.lifted_at_utc,
                 h.lifted_by, h.lift_reason)
            for h in session.scalars(select(CaseHold).where(CaseHold.referral_id == referral_id)
                                     .order_by(CaseHold.held_at_utc))]


def open_record(session: Session, *, actor: str | audit.Actor, referral_id: uuid.UUID,
                person_ref: str) -> ComplainantRecord:
    """One complainant's engagement record, with their contact plan and log: opening it is a
    consultation of their contact details, audited in the same transaction."""
    reference = session.scalar(select(Referral.force_reference)
                               .where(Referral.id == referral_id))
    forces = reported(session, referral_id)
    if reference is None or person_ref not in forces:
        raise NotFound("There is no such complainant in this referral.")
    e = session.scalar(select(Engagement).where(Engagement.referral_id == referral_id,
                                                Engagement.person_ref == person_ref))
    steps = [] if e is None else [
        SupportStep(s.from_state, s.to_state, s.occurred_on, s.approached_by, s.through,
                    s.through_name, s.agreed, s.recorded_at_utc, s.recorded_by)
        for s in session.scalars(select(SupportChange)
                                 .where(SupportChange.engagement_id == e.id)
                                 .order_by(SupportChange.recorded_at_utc))]
    contacts = [] if e is None else [
        Contact(c.occurred_at_utc, c.direction, c.channel, c.reached, c.summary, c.duty_key,
                c.recorded_by)
        for c in session.scalars(select(ContactEntry)
                                 .where(ContactEntry.engagement_id == e.id)
                                 .order_by(ContactEntry.occurred_at_utc.desc()))]
    support = e.support if e is not None else starting_support(forces[person_ref][0])
    audit.record(session, actor=actor, action=AuditAction.VICTIM_CONSULTED,
                 subject=audit.Subject("referral", str(referral_id)),
                 data={"complainant": person_ref})
    return ComplainantRecord(
        referral_id, reference, person_ref, support, e.support_since if e else None,
        ss.moves_from(support), _plan(e), e.plan_revision if e else 0,
        e.plan_saved_at_utc if e else None, e.plan_saved_by if e else None,
        in_no_contact_window(e, clock.today()) if e else None, steps, contacts,
        d.duties(session, engagement_ids=[e.id]) if e else [], _holds(session, referral_id))


@dataclass(frozen=True, slots=True)
class CaseSupport:
    """A case's complainants' support and its hold: for the review, without contact details."""

    support: list[tuple[str, str]]
    on_hold: str | None
    holds: list[Hold]


def case_support(session: Session, referral_id: uuid.UUID) -> CaseSupport:
    if session.get(Referral, referral_id) is None:
        raise NotFound("There is no such case.")
    recorded = dict(session.execute(select(Engagement.person_ref, Engagement.support).where(
        Engagement.referral_id == referral_id)).all())
    on_hold = session.scalar(select(Referral.on_hold).where(Referral.id == referral_id))
    return CaseSupport([(ref, recorded.get(ref, starting_support(forced)))
                        for ref, (forced, _) in reported(session, referral_id).items()], on_hold,
                       _holds(session, referral_id))


@dataclass(frozen=True, slots=True)
class Listed:
    referral_id: uuid.UUID
    force_reference: str
    person_ref: str
    support: str
    support_since: date
    due: int
    overdue: int
    next_due: date | None

    @property
    def support_label(self) -> str:
        return ss.LABELS[self.support]


@dataclass(frozen=True, slots=True)
class Workspace:
    rows: list[Listed]
    overdue: list[d.Duty]
    compliance: d.Compliance
    held_cases: int


def workspace(session: Session, *, support: str | None = None) -> Workspace:
    """Every complainant the review is in touch with (optionally in one state of support), what
    is due to each, every overdue duty, and compliance so far."""
    query = (select(Engagement.id, Engagement.referral_id, Referral.force_reference,
                    Engagement.person_ref, Engagement.support, Engagement.support_since)
             .join(Referral, Referral.id == Engagement.referral_id)
             .order_by(Referral.force_reference, Engagement.person_ref))
    if support:
        query = query.where(Engagement.support == support)
    rows = list(session.execute(query))
    found = d.duties(session)
    pending: dict[uuid.UUID, list[d.Duty]] = {}
    for duty in found:
        if duty.state in (d.DUE, d.OVERDUE):
            pending.setdefault(duty.engagement_id, []).append(duty)
    listed = [Listed(r.referral_id, r.force_reference, r.person_ref, r.support,
                     r.support_since, len(pending.get(r.id, [])),
                     sum(1 for x in pending.get(r.id, []) if x.state == d.OVERDUE),
                     min((x.due_on for x in pending.get(r.id, [])), default=None))
              for r in rows]
    held = session.scalar(select(func.count()).select_from(Referral)
                          .where(Referral.on_hold.is_not(None))) or 0
    return Workspace(listed, [x for x in found if x.state == d.OVERDUE], d.compliance(found),
                     held)


def overdue_duties(session: Session) -> list[d.Duty]:
    """Every Victims' Code duty past its due date and not met, the longest overdue first."""
    return [x for x in d.duties(session) if x.state == d.OVERDUE]
