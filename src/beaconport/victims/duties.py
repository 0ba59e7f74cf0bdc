"""Victims' Code duties, computed from what happened, never kept by hand: each event that a
complainant must be told of (the panel's decision; what became of a suspect) is a duty to every
complainant of the case the review is in touch with, due within 1 working day for those with
enhanced rights (every child, and every victim of a sexual offence) and 5 for others; support
given to the review owes an offer of referral to support services within 2 working days. A duty
is met by a logged contact that reached them and names it.

Duties arise from events on or after the day the review's engagement with the complainant began:
what happened before is told at the first approach. No duty falls due while no one may contact
them (not yet approached, uncontactable, approach unsafe, deceased), nor for updates they said
they do not want; such duties are listed as not owed, with why."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from beaconport.clock import aware
from beaconport.reference.models import Offence
from beaconport.referrals.models import (
    Crime,
    CrimeParty,
    PersonRecord,
    Referral,
    ReferralVersion,
)
from beaconport.referrals.queries import CURRENT_VERSION
from beaconport.review.models import OutcomeEvent, PanelDecision
from beaconport.review.outcomes import EVENTS
from beaconport.review.panel import OUTCOMES
from beaconport.victims import support_states as ss
from beaconport.victims.models import ContactEntry, Engagement, SupportChange
from beaconport.working_days import add_working_days, end_of_day, uk_day

ENHANCED_DAYS, STANDARD_DAYS, SUPPORT_SERVICES_DAYS = 1, 5, 2
ADULT_AGE = 18

MET, MET_LATE, DUE, OVERDUE, NOT_OWED = "met", "met-late", "due", "overdue", "not-owed"
STATE_LABELS: dict[str, str] = {MET: "Met on time", MET_LATE: "Met late", DUE: "Due",
                                OVERDUE: "Overdue", NOT_OWED: "Not owed"}


@dataclass(frozen=True, slots=True)
class Duty:
    key: str
    referral_id: uuid.UUID
    force_reference: str
    person_ref: str
    engagement_id: uuid.UUID
    title: str
    #: The Victims' Code right it serves.
    right: str
    arose_on: date
    due_on: date
    enhanced: bool
    state: str
    met_at: datetime | None
    #: Why it is not owed (NOT_OWED only).
    why_not: str | None = None

    @property
    def state_label(self) -> str:
        return STATE_LABELS[self.state]


@dataclass(frozen=True, slots=True)
class Compliance:
    #: Duties whose time has come: met (on time or late) or overdue.
    counted: int
    on_time: int
    late: int
    overdue: int

    @property
    def percent(self) -> float | None:
        return round(100 * self.on_time / self.counted, 1) if self.counted else None


def _versions(session: Session, ids: set[uuid.UUID], cut: datetime | None) -> set[uuid.UUID]:
    """The version each referral stands at: its current one, or the latest received by
    ``cut``."""
    if cut is None:
        return set(session.scalars(select(ReferralVersion.id).join(Referral, CURRENT_VERSION)
                                   .where(Referral.id.in_(ids))))
    latest: dict[uuid.UUID, tuple[int, uuid.UUID]] = {}
    for rid, number, vid, received in session.execute(
            select(ReferralVersion.referral_id, ReferralVersion.number, ReferralVersion.id,
                   ReferralVersion.received_at_utc).where(ReferralVersion.referral_id.in_(ids))):
        if aware(received) <= cut and (rid not in latest or number > latest[rid][0]):
            latest[rid] = (number, vid)
    return {vid for _, vid in latest.values()}


def _enhanced(session: Session, engagements: list[Engagement], *, cut: datetime | None,
              today: date) -> set[tuple[uuid.UUID, str]]:
    """The complainants with enhanced rights: a party to a sexual offence in the referral's
    version (current, or as at ``cut``), or under 18 on ``today`` by their recorded date of
    birth."""
    ids = {e.referral_id for e in engagements}
    if not ids:
        return set()
    versions = _versions(session, ids, cut)
    if not versions:
        return set()
    sexual = set(session.execute(
        select(ReferralVersion.referral_id, PersonRecord.person_ref)
        .join(PersonRecord, PersonRecord.version_id == ReferralVersion.id)
        .join(CrimeParty, CrimeParty.person_record_id == PersonRecord.id)
        .join(Crime, Crime.id == CrimeParty.crime_id)
        .join(Offence, and_(Offence.scheme == Crime.offence_scheme,
                            Offence.code == Crime.offence_code))
        .where(ReferralVersion.id.in_(versions), CrimeParty.role == "complainant",
               Offence.is_sexual.is_(True))).all())
    young = {(rid, ref) for rid, ref, born in session.execute(
        select(ReferralVersion.referral_id, PersonRecord.person_ref, PersonRecord.date_of_birth)
        .join(PersonRecord, PersonRecord.version_id == ReferralVersion.id)
        .where(ReferralVersion.id.in_(versions), PersonRecord.role == "complainant",
               func.length(PersonRecord.date_of_birth) == 10))
             if _age(born, today) < ADULT_AGE}
    return sexual | young


def _age(born: str | None, today: date) -> int:
    try:
        day = date.fromisoformat(born or "")
    except ValueError:  # not a whole date: the age is not known, so not taken as a child's
        return ADULT_AGE
    return today.year - day.year - ((today.month, today.day) < (day.month, day.day))


def _events(session: Session, referral_ids: set[uuid.UUID], cut: datetime | None
            ) -> dict[uuid.UUID, list[tuple[str, date, str, str]]]:
    """Per referral, the events a complainant must be told of: (key, day, title, right)."""
    found: dict[uuid.UUID, list[tuple[str, date, str, str]]] = defaultdict(list)
    if not referral_ids:
        return found
    for rid, did, outcome, at in session.execute(
            select(PanelDecision.referral_id, PanelDecision.id, PanelDecision.outcome,
                   PanelDecision.decided_at_utc).where(PanelDecision.referral_id.in_(
                       referral_ids))):
        if cut is not None and aware(at) > cut:
            continue
        found[rid].append((f"panel:{did}", uk_day(at), "Tell them the panel's decision: "
                           f"{OUTCOMES.get(outcome, outcome).lower()}",
                           "Right 6: information about the investigation"))
    for rid, eid, suspect, event, at in session.execute(
            select(OutcomeEvent.referral_id, OutcomeEvent.id, OutcomeEvent.person_ref,
                   OutcomeEvent.event, OutcomeEvent.recorded_at_utc)
            .where(OutcomeEvent.referral_id.in_(referral_ids))):
        if cut is not None and aware(at) > cut:
            continue
        found[rid].append((f"outcome:{eid}", uk_day(at), f"Tell them of suspect {suspect}: "
                           f"{EVENTS.get(event, event).lower()}",
                           "Right 6: information about the investigation"
                           if event not in ("convicted", "acquitted")
                           else "Right 9: information about the outcome of the case"))
    return found


def duties(session: Session, *, engagement_ids: Iterable[uuid.UUID] | None = None,
           referral_id: uuid.UUID | None = None, as_at: date | None = None) -> list[Duty]:
    """Every duty to these complainants (all the review is in touch with when neither is
    given), soonest due first; ``as_at``: as they stood at the end of that day, from what had
    been recorded by then (engagements, events, support and contacts recorded later are left
    out; a complainant's wish for updates is taken as it stands now)."""
    cut = end_of_day(as_at) if as_at is not None else None
    query = select(Engagement)
    if cut is not None:
        query = query.where(Engagement.created_at_utc <= cut)
    if engagement_ids is not None:
        query = query.where(Engagement.id.in_(list(engagement_ids)))
    if referral_id is not None:
        query = query.where(Engagement.referral_id == referral_id)
    engagements = list(session.scalars(query))
    if not engagements:
        return []
    ids = [e.id for e in engagements]
    references = dict(session.execute(select(Referral.id, Referral.force_reference).where(
        Referral.id.in_({e.referral_id for e in engagements}))).all())
    events = _events(session, {e.referral_id for e in engagements}, cut)
    enhanced = _enhanced(session, engagements, cut=cut, today=as_at or uk_day())
    supports: dict[uuid.UUID, list[tuple[uuid.UUID, date]]] = defaultdict(list)
    support_then: dict[uuid.UUID, str] = {}
    for eid, cid, on, before, after, recorded in session.execute(
            select(SupportChange.engagement_id, SupportChange.id, SupportChange.occurred_on,
                   SupportChange.from_state, SupportChange.to_state,
                   SupportChange.recorded_at_utc)
            .where(SupportChange.engagement_id.in_(ids))
            .order_by(SupportChange.recorded_at_utc)):
        if cut is not None and aware(recorded) > cut:
            support_then.setdefault(eid, before)  # the first change after: where it stood
            continue
        support_then[eid] = after
        if after == ss.SUPPORTS:
            supports[eid].append((cid, on))
    met: dict[tuple[uuid.UUID, str | None], datetime] = {}
    for eid, key, at in session.execute(
            select(ContactEntry.engagement_id, ContactEntry.duty_key,
                   func.min(ContactEntry.occurred_at_utc))
            .where(ContactEntry.engagement_id.in_(ids), ContactEntry.duty_key.is_not(None),
                   ContactEntry.reached.is_(True),
                   ContactEntry.recorded_at_utc <= (cut or datetime.max.replace(tzinfo=UTC)))
            .group_by(ContactEntry.engagement_id, ContactEntry.duty_key)):
        met[(eid, key)] = at
    today = as_at or uk_day()
    found: list[Duty] = []
    for e in engagements:
        support = support_then.get(e.id, e.support) if cut is not None else e.support
        rich = (e.referral_id, e.person_ref) in enhanced
        began = uk_day(e.created_at_utc)
        owed: list[tuple[str, date, str, str, int]] = [
            (key, day, title, right, ENHANCED_DAYS if rich else STANDARD_DAYS)
            for key, day, title, right in events.get(e.referral_id, []) if day >= began]
        owed += [(f"support:{cid}", on, "Offer a referral to support services",
                  "Right 4: referral to support services", SUPPORT_SERVICES_DAYS)
                 for cid, on in supports.get(e.id, [])]
        for key, day, title, right, days in owed:
            due = add_working_days(day, days)
            met_at = met.get((e.id, key))
            why_not = None
            if met_at is not None:
                state = MET if uk_day(met_at) <= due else MET_LATE
            elif support in ss.NOT_CONTACTED:
                state, why_not = NOT_OWED, f"{ss.LABELS[support]}: no one contacts them"
            elif support == ss.DECLINES and not key.startswith("support:"):
                state, why_not = NOT_OWED, "They declined the review"
            elif e.updates == "none" and not key.startswith("support:"):
                state, why_not = NOT_OWED, "They asked for no updates"
            else:
                state = OVERDUE if due < today else DUE
            found.append(Duty(key, e.referral_id, references.get(e.referral_id, ""),
                              e.person_ref, e.id, title, right, day, due, rich, state,
                              met_at, why_not))
    return sorted(found, key=lambda d: (d.due_on, d.force_reference, d.person_ref, d.key))


def compliance(found: Iterable[Duty]) -> Compliance:
    """How many duties whose time has come were met on time (not owed and not yet due ones
    do not count)."""
    states = [d.state for d in found if d.state in (MET, MET_LATE, OVERDUE)]
    return Compliance(len(states), states.count(MET), states.count(MET_LATE),
                      states.count(OVERDUE))
