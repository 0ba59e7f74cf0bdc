"""Reading the facts screening needs, for many referrals at once (screening 100,000 referrals
must take seconds, so this is a handful of set-based queries per thousand, not one per row)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Select, and_, func, select
from sqlalchemy.orm import Session, aliased

from beaconport.bulk import as_json, json_rows, rows_of
from beaconport.reference.models import Force
from beaconport.reference.queries import force_names
from beaconport.referrals.models import (
    Crime,
    CrimeParty,
    PersonRecord,
    PreviousReview,
    Referral,
    ReferralVersion,
    SuspectDecision,
)
from beaconport.screening import facts as f
from beaconport.screening.models import PriorReview, RecordedSupport, ScreeningDecision


def referral_ids(session: Session) -> list[uuid.UUID]:
    return list(session.scalars(select(Referral.id).order_by(Referral.id)))


def load_facts(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, f.ReferralFacts]:
    """The facts of each referral's current version."""
    if not ids:
        return {}
    # Core rather than ORM execution: the ORM's result handling was a third of the time here.
    read = [_Read(referral, force_code, reference, number, int(reviewed),
                  tuple(f.Person(*p) for p in _by_reference(people)),
                  tuple(_crime(c) for c in _by_reference(crimes)),
                  tuple(f.Decision(*d) for d in _by_reference(decisions)))
            for referral, force_code, reference, number, people, crimes, decisions, reviewed
            in session.connection().execute(_facts_statement(ids))]
    names = force_names(session)
    in_scope = set(session.scalars(select(Force.code).where(Force.in_scope)))
    register = _register_matches(session, read)
    return {r.referral_id: f.ReferralFacts(
        force_code=r.force_code, force_name=names.get(r.force_code, r.force_code),
        force_in_scope=r.force_code in in_scope, force_reference=r.force_reference,
        version=r.version, people=r.people, crimes=r.crimes, decisions=r.decisions,
        previous_reviews=r.previous_reviews, register_matches=tuple(register.get(
            r.referral_id, ()))) for r in read}


def _facts_statement(ids: Sequence[uuid.UUID]) -> Select[Any]:
    """One row per referral: its current version's people, crimes (each with its
    complainants) and decisions, each as one JSON value (bulk.json_rows): several times faster
    than reading a row per person, crime and decision."""
    version = ReferralVersion.id
    person, complainant, suspect = (aliased(PersonRecord) for _ in range(3))
    # The review's own record of a complainant's support stands over the force's.
    people = select(json_rows(
        person.person_ref, person.role, person.alive_status,
        func.coalesce(RecordedSupport.support, person.review_support),
        person.age_at_first_offence, person.date_of_birth, person.interview,
        RecordedSupport.support.is_not(None),
    )).select_from(person).outerjoin(RecordedSupport, and_(
        RecordedSupport.referral_id == Referral.id,
        RecordedSupport.person_ref == person.person_ref,
    )).where(person.version_id == version)
    complainants = select(json_rows(complainant.person_ref)).select_from(CrimeParty).join(
        complainant, complainant.id == CrimeParty.person_record_id,
    ).where(CrimeParty.crime_id == Crime.id, CrimeParty.role == "complainant")
    crimes = select(json_rows(
        Crime.crime_reference, Crime.offence_scheme, Crime.offence_code, Crime.is_sexual,
        Crime.offence_from, Crime.offence_to, Crime.recorded_on, Crime.outcome_code,
        as_json(complainants.scalar_subquery()),
    )).where(Crime.version_id == version)
    decisions = select(json_rows(
        suspect.person_ref, SuspectDecision.decided_by, SuspectDecision.decision,
        SuspectDecision.decided_on, SuspectDecision.outcome_code, SuspectDecision.reason,
    )).select_from(SuspectDecision).join(
        suspect, suspect.id == SuspectDecision.suspect_id,
    ).where(SuspectDecision.version_id == version)
    reviews = select(func.count()).where(PreviousReview.version_id == version)
    return (select(Referral.id, Referral.force_code, Referral.force_reference,
                   Referral.current_version, people.scalar_subquery(),
                   crimes.scalar_subquery(), decisions.scalar_subquery(),
                   reviews.scalar_subquery())
            .join(ReferralVersion, (ReferralVersion.referral_id == Referral.id)
                  & (ReferralVersion.number == Referral.current_version))
            .where(Referral.id.in_(list(ids))))


class _Read(NamedTuple):
    referral_id: uuid.UUID
    force_code: str
    force_reference: str
    version: int
    previous_reviews: int
    people: tuple[f.Person, ...]
    crimes: tuple[f.Crime, ...]
    decisions: tuple[f.Decision, ...]


def _by_reference(value: Any) -> list[list[Any]]:
    """A json_rows value's rows in the order screening has always listed them: by their first
    column (person, crime or suspect reference), ties in the order stored."""
    return sorted(rows_of(value), key=itemgetter(0))


def _crime(row: list[Any]) -> f.Crime:
    reference, scheme, code, sexual, began, ended, recorded, outcome, complainants = row
    # The reference data marks every offence it recognises as sexual or not; NULL: unknown.
    return f.Crime(reference, scheme, code, sexual is not None, began, ended, recorded, outcome,
                   tuple(sorted(c[0] for c in complainants)))


def _register_matches(session: Session,
                      referrals: Sequence[_Read]) -> dict[uuid.UUID, list[str]]:
    """Prior-review register entries per referral: same force, and the same force reference or
    one of the same crime references."""
    forces = {r.force_code for r in referrals}
    references = {r.force_reference for r in referrals}
    crime_refs = {c.crime_reference for r in referrals for c in r.crimes}
    entries = session.connection().execute(
        select(PriorReview.entry_reference, PriorReview.force_code, PriorReview.force_reference,
               PriorReview.crime_reference)
        .where(PriorReview.force_code.in_(forces),
               PriorReview.force_reference.in_(references)
               | PriorReview.crime_reference.in_(crime_refs))).all()
    if not entries:
        return {}
    matches: dict[uuid.UUID, list[str]] = defaultdict(list)
    for r in referrals:
        theirs = {c.crime_reference for c in r.crimes}
        for entry, entry_force, entry_reference, entry_crime in entries:
            if entry_force == r.force_code and (entry_reference == r.force_reference
                                                or entry_crime in theirs):
                matches[r.referral_id].append(entry)
    return matches


def chunks(ids: Sequence[uuid.UUID], size: int = 1000) -> Iterator[Sequence[uuid.UUID]]:
    for start in range(0, len(ids), size):
        yield ids[start:start + size]


@dataclass(frozen=True, slots=True)
class CurrentDecision:
    """A referral's current screening decision, as the referral page and the API show it."""

    decision: str
    ruleset: str
    version: int
    screened_at: datetime
    results: list[dict[str, Any]]
    involves_rape: bool
    red_flags: list[str]

    @property
    def missing(self) -> list[str]:
        return [m for r in self.results for m in r.get("missing", [])] if (
            self.decision == "needs_information") else []


def current_decision(session: Session, referral_id: uuid.UUID) -> CurrentDecision | None:
    """The referral's current decision (the caller has already checked it may see it)."""
    row = session.scalar(select(ScreeningDecision).where(
        ScreeningDecision.referral_id == referral_id, ScreeningDecision.current.is_(True)))
    if row is None:
        return None
    return CurrentDecision(row.decision, row.ruleset, row.version, row.screened_at_utc,
                           list(row.results), row.involves_rape, list(row.red_flags))


def referrals_sharing_crimes(session: Session,
                             crime_references: Sequence[str]) -> list[tuple[uuid.UUID, str]]:
    """(referral, crime reference) for every referral whose current version has one of these
    crime references, for the references more than one crime row holds (a reference held once
    is held by one referral, which shares it with no one: most are, and are skipped here)."""
    db = session.connection()
    found: list[tuple[uuid.UUID, str]] = []
    for start in range(0, len(crime_references), 900):
        shared = list(db.scalars(
            select(Crime.crime_reference)
            .where(Crime.crime_reference.in_(crime_references[start:start + 900]))
            .group_by(Crime.crime_reference).having(func.count() > 1)))
        if shared:
            found.extend((rid, ref) for rid, ref in db.execute(
                select(ReferralVersion.referral_id, Crime.crime_reference)
                .join(Crime, Crime.version_id == ReferralVersion.id)
                .join(Referral, (Referral.id == ReferralVersion.referral_id)
                      & (Referral.current_version == ReferralVersion.number))
                .where(Crime.crime_reference.in_(shared))))
    return found
