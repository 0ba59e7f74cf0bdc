"""Reading for triage: what a case is scored from (in bulk), the queue, and one case's priority."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Literal, NamedTuple

from pydantic import Field
from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from beaconport.auth.permissions import Permission
from beaconport.auth.policy import Principal, visible
from beaconport.dates import InvalidPartialDate, PartialDate
from beaconport.people.models import LinkageRun, NominalRecord
from beaconport.reference.queries import force_names
from beaconport.referrals import states
from beaconport.referrals.models import Referral
from beaconport.referrals.schemas import ListFilter
from beaconport.review import weights as w
from beaconport.review.models import TriagePriority, TriageWeightSet
from beaconport.review.triage import Part, TriageFacts
from beaconport.safeguarding import flags as safeguarding_flags
from beaconport.screening import criteria
from beaconport.screening import queries as screening
from beaconport.screening.models import ScreeningDecision
from beaconport.screening.rules import CURRENT

PAGE_SIZE = 25
#: Ids per IN list: under SQLite's oldest limit of 999 bound parameters.
IN_LIST = 900


class ToScore(NamedTuple):
    """An eligible case, ready to be scored: what the score is made from, and the facts."""

    referral_id: uuid.UUID
    force_code: str
    decision_id: uuid.UUID
    facts: TriageFacts


def current_weights(session: Session) -> w.TriageWeights:
    document = session.scalar(select(TriageWeightSet.document)
                              .where(TriageWeightSet.current.is_(True)))
    # The first version is stored by the migration; the shipped copy stands in only for a
    # database made without migrations (a test's).
    return w.parse(document) if document is not None else w.default()


def weights_document(session: Session, version: str) -> dict[str, Any] | None:
    return session.scalar(select(TriageWeightSet.document)
                          .where(TriageWeightSet.version == version))


def weight_versions(session: Session) -> list[tuple[str, str, bool, datetime, str]]:
    """(version, note, current, created, by), newest first."""
    return [tuple(row) for row in session.execute(  # type: ignore[misc]
        select(TriageWeightSet.version, TriageWeightSet.note, TriageWeightSet.current,
               TriageWeightSet.created_at_utc, TriageWeightSet.created_by)
        .order_by(TriageWeightSet.created_at_utc.desc()))]


def latest_linkage_run(session: Session) -> uuid.UUID | None:
    return session.scalar(select(LinkageRun.id).where(LinkageRun.finished_at_utc.is_not(None))
                          .order_by(LinkageRun.finished_at_utc.desc(), LinkageRun.id.desc())
                          .limit(1))


def eligible(session: Session, referral_ids: Sequence[uuid.UUID] | None = None
             ) -> dict[uuid.UUID, tuple[str, uuid.UUID | None]]:
    """Cases waiting in the triage queue (status eligible), with their force and current
    screening decision: all of them, or those among ``referral_ids``."""
    query = (select(Referral.id, Referral.force_code, ScreeningDecision.id)
             .outerjoin(ScreeningDecision, (ScreeningDecision.referral_id == Referral.id)
                        & ScreeningDecision.current.is_(True))
             .where(Referral.status == states.ELIGIBLE))
    if referral_ids is None:
        return {rid: (force, decision) for rid, force, decision in session.execute(query)}
    found: dict[uuid.UUID, tuple[str, uuid.UUID | None]] = {}
    for part in screening.chunks(list(referral_ids), IN_LIST):
        found.update({rid: (force, decision) for rid, force, decision in session.execute(
            query.where(Referral.id.in_(part)))})
    return found


def scored(session: Session, referral_ids: Sequence[uuid.UUID] | None = None
           ) -> dict[uuid.UUID, tuple[uuid.UUID, str, uuid.UUID | None]]:
    """Each queued case's (decision, weights version, linkage run) it was scored from."""
    query = select(TriagePriority.referral_id, TriagePriority.decision_id,
                   TriagePriority.weights_version, TriagePriority.linkage_run_id)
    if referral_ids is None:
        return {r: (d, v, run) for r, d, v, run in session.execute(query)}
    found = {}
    for part in screening.chunks(list(referral_ids), IN_LIST):
        found.update({r: (d, v, run) for r, d, v, run in session.execute(
            query.where(TriagePriority.referral_id.in_(part)))})
    return found


def to_score(session: Session, cases: dict[uuid.UUID, tuple[str, uuid.UUID]],
             today: date) -> list[ToScore]:
    """What each of these cases (id: force, decision; at most about a thousand) is scored
    from. Nothing here reads ethnicity or nationality."""
    ids = list(cases)
    facts = screening.load_facts(session, ids)
    flags: dict[uuid.UUID, list[str]] = dict(session.execute(
        select(ScreeningDecision.id, ScreeningDecision.red_flags)
        .where(ScreeningDecision.id.in_([decision for _, decision in cases.values()]))).all())
    elsewhere = suspects_in_other_referrals(session, ids)
    flagged = safeguarding_flags.open_flags(session, ids)
    found = []
    for referral_id, (force_code, decision_id) in cases.items():
        case = facts.get(referral_id)
        if case is None:
            continue
        complainants = case.in_role("complainant")
        ages = [a for a in (criteria.youngest_age(p, case.crimes) for p in complainants)
                if a is not None]
        found.append(ToScore(referral_id, force_code, decision_id, TriageFacts(
            rape=any(CURRENT.offence_is_rape(c.offence_scheme, c.offence_code)
                              for c in case.crimes),
            youngest_complainant_age=min(ages) if ages else None,
            suspects=len(case.in_role("suspect")),
            suspects_in_other_referrals=elsewhere.get(referral_id, 0),
            safeguarding_flags=flagged.get(referral_id, 0),
            red_flags=len(flags.get(decision_id) or ()),
            years_since_decision=_years_since_latest(
                [d.decided_on for d in criteria.nfa_decisions(case, CURRENT)], today))))
    return found


def _years_since_latest(dates: list[str | None], today: date) -> int | None:
    latest: date | None = None
    for text in dates:
        if not text:
            continue
        try:
            day = PartialDate.parse(text).latest
        except InvalidPartialDate:
            continue
        latest = day if latest is None or day > latest else latest
    if latest is None or latest > today:
        return None
    return today.year - latest.year - ((today.month, today.day) < (latest.month, latest.day))


def suspects_in_other_referrals(session: Session,
                                referral_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, int]:
    """For each referral, how many of its suspects the nominal index finds as a suspect in
    another referral too."""
    mine, other = aliased(NominalRecord), aliased(NominalRecord)
    elsewhere = select(other.id).where(other.nominal_id == mine.nominal_id,
                                       other.role == "suspect",
                                       other.referral_id != mine.referral_id).exists()
    return {rid: int(n) for rid, n in session.execute(
        select(mine.referral_id, func.count(func.distinct(mine.nominal_id)))
        .where(mine.referral_id.in_(list(referral_ids)), mine.role == "suspect", elsewhere)
        .group_by(mine.referral_id))}


def sharing_suspects(session: Session, referral_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """The other referrals naming one of these referrals' suspects as a suspect: their count
    of suspects seen elsewhere may have changed when these were linked."""
    mine, other = aliased(NominalRecord), aliased(NominalRecord)
    found: set[uuid.UUID] = set()
    for part in screening.chunks(list(referral_ids), IN_LIST):
        found.update(session.scalars(
            select(other.referral_id).distinct()
            .join(mine, (mine.nominal_id == other.nominal_id) & (mine.role == "suspect"))
            .where(mine.referral_id.in_(part), other.role == "suspect")))
    return found - set(referral_ids)


# -- The queue ---------------------------------------------------------------------------------

class QueueFilter(ListFilter):
    force: str | None = Field(default=None, max_length=20)
    rape: Literal["yes"] | None = None
    page: int = Field(default=1, ge=1, le=100_000)


@dataclass(frozen=True, slots=True)
class QueueEntry:
    rank: int
    referral_id: uuid.UUID
    force_code: str
    force_name: str
    force_reference: str
    received: datetime
    score: int
    involves_rape: bool
    breakdown: list[dict[str, Any]]


@dataclass(frozen=True, slots=True)
class QueuePage:
    entries: list[QueueEntry]
    total: int
    page: int
    pages: int
    #: Eligible cases with no score yet (they join the queue when next scored).
    unscored: int


def queue(session: Session, principal: Principal, wanted: QueueFilter) -> QueuePage:
    """One page of the triage queue, highest priority first."""
    where = [visible(principal, Permission.TRIAGE_READ, TriagePriority.force_code)]
    if wanted.force:
        where.append(TriagePriority.force_code == wanted.force)
    if wanted.rape:
        where.append(TriagePriority.involves_rape.is_(True))
    total = session.scalar(select(func.count()).select_from(TriagePriority).where(*where)) or 0
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(1, wanted.page), pages)
    offset = (page - 1) * PAGE_SIZE
    rows = session.execute(
        select(TriagePriority.referral_id, TriagePriority.force_code, Referral.force_reference,
               Referral.first_received_at_utc, TriagePriority.score,
               TriagePriority.involves_rape, TriagePriority.breakdown)
        .join(Referral, Referral.id == TriagePriority.referral_id)
        .where(*where)
        .order_by(TriagePriority.score.desc(), TriagePriority.referral_id)
        .limit(PAGE_SIZE).offset(offset)).all()
    names = force_names(session)
    entries = [QueueEntry(offset + i, rid, force, names.get(force, force), reference, received,
                          score, rape, list(breakdown))
               for i, (rid, force, reference, received, score, rape, breakdown)
               in enumerate(rows, 1)]
    return QueuePage(entries, total, page, pages, unscored(session, principal))


def unscored(session: Session, principal: Principal) -> int:
    waiting = session.scalar(select(func.count()).select_from(Referral).where(
        Referral.status == states.ELIGIBLE,
        visible(principal, Permission.TRIAGE_READ, Referral.force_code))) or 0
    queued = session.scalar(select(func.count()).select_from(TriagePriority).where(
        visible(principal, Permission.TRIAGE_READ, TriagePriority.force_code))) or 0
    return max(0, waiting - queued)


@dataclass(frozen=True, slots=True)
class PriorityView:
    referral_id: uuid.UUID
    force_code: str
    force_name: str
    force_reference: str
    score: int
    rank: int
    queued: int
    weights_version: str
    scored_at: datetime
    parts: list[Part]


def priority_of(session: Session, principal: Principal,
                referral_id: uuid.UUID) -> PriorityView | None:
    """A queued case's score, its place in the queue and its breakdown (None: not queued, or
    not the principal's to see)."""
    row = session.execute(
        select(TriagePriority, Referral.force_reference)
        .join(Referral, Referral.id == TriagePriority.referral_id)
        .where(TriagePriority.referral_id == referral_id,
               visible(principal, Permission.TRIAGE_READ, TriagePriority.force_code))).first()
    if row is None:
        return None
    priority, reference = row
    seen = visible(principal, Permission.TRIAGE_READ, TriagePriority.force_code)
    ahead = session.scalar(select(func.count()).select_from(TriagePriority).where(
        seen, (TriagePriority.score > priority.score)
        | ((TriagePriority.score == priority.score)
           & (TriagePriority.referral_id < priority.referral_id)))) or 0
    queued = session.scalar(select(func.count()).select_from(TriagePriority).where(seen)) or 0
    return PriorityView(
        priority.referral_id, priority.force_code,
        force_names(session).get(priority.force_code, priority.force_code), reference,
        priority.score, ahead + 1, queued, priority.weights_version, priority.scored_at_utc,
        [Part(p["factor"], p["value"], p["points"]) for p in priority.breakdown
         if p["factor"] in w.FACTORS])
