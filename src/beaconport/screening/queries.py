"""Reading the facts screening needs, for many referrals at once (screening 100,000 referrals
must take seconds, so this is a handful of set-based queries per thousand, not one per row)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import String, func, select, type_coerce
from sqlalchemy.orm import Session

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
from beaconport.screening.models import PriorReview, ScreeningDecision


def referral_ids(session: Session) -> list[uuid.UUID]:
    return list(session.scalars(select(Referral.id).order_by(Referral.id)))


def _key(column: Any) -> Any:
    """An id column read as the driver gives it: ids only join rows here, and making 100,000
    uuid.UUID objects a second would be most of screening's time."""
    return type_coerce(column, String)


def _read(column: Any) -> Any:
    return _key(column).label(str(column).replace(".", "_"))


def load_facts(session: Session, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, f.ReferralFacts]:
    """The facts of each referral's current version."""
    if not ids:
        return {}
    # Core rather than ORM execution: the ORM's result handling was a third of the time here.
    db = session.connection()
    heads = db.execute(
        select(Referral.id, Referral.force_code, Referral.force_reference,
               _read(ReferralVersion.id), Referral.current_version)
        .join(ReferralVersion, (ReferralVersion.referral_id == Referral.id)
              & (ReferralVersion.number == Referral.current_version))
        .where(Referral.id.in_(list(ids)))).all()
    versions = [version for _, _, _, version, _ in heads]
    names = force_names(session)
    in_scope = set(session.scalars(select(Force.code).where(Force.in_scope)))

    people: dict[Any, list[f.Person]] = defaultdict(list)
    ref_of: dict[Any, str] = {}
    for pid, version, ref, role, alive, support, age, born, interview in db.execute(
            select(_read(PersonRecord.id), _read(PersonRecord.version_id), PersonRecord.person_ref,
                   PersonRecord.role, PersonRecord.alive_status, PersonRecord.review_support,
                   PersonRecord.age_at_first_offence, PersonRecord.date_of_birth,
                   PersonRecord.interview)
            .where(_key(PersonRecord.version_id).in_(versions))
            .order_by(PersonRecord.person_ref)):
        ref_of[pid] = ref
        people[version].append(f.Person(ref, role, alive, support, age, born, interview))

    crime_rows = db.execute(
        select(_read(Crime.id), _read(Crime.version_id), Crime.crime_reference,
               Crime.offence_scheme, Crime.offence_code, Crime.is_sexual, Crime.offence_from,
               Crime.offence_to, Crime.recorded_on, Crime.outcome_code)
        .where(_key(Crime.version_id).in_(versions)).order_by(Crime.crime_reference)).all()
    complainants_of: dict[Any, list[str]] = defaultdict(list)
    for crime_id, person_id in db.execute(
            select(_read(CrimeParty.crime_id), _read(CrimeParty.person_record_id))
            .where(_key(CrimeParty.crime_id).in_([row[0] for row in crime_rows]),
                   CrimeParty.role == "complainant")):
        complainants_of[crime_id].append(ref_of.get(person_id, "?"))
    crimes: dict[Any, list[f.Crime]] = defaultdict(list)
    for cid, version, ref, scheme, code, sexual, began, ended, recorded, outcome in crime_rows:
        crimes[version].append(f.Crime(ref, scheme, code, sexual is not None, began, ended,
                                       recorded, outcome, tuple(complainants_of.get(cid, ()))))

    decisions: dict[Any, list[f.Decision]] = defaultdict(list)
    for version, suspect, by, decision, on, outcome, reason in db.execute(
            select(_read(SuspectDecision.version_id), _read(SuspectDecision.suspect_id),
                   SuspectDecision.decided_by, SuspectDecision.decision,
                   SuspectDecision.decided_on, SuspectDecision.outcome_code,
                   SuspectDecision.reason)
            .where(_key(SuspectDecision.version_id).in_(versions))):
        decisions[version].append(f.Decision(ref_of.get(suspect, "?"), by, decision, on,
                                             outcome, reason))

    reviews: dict[Any, int] = dict(db.execute(
        select(_read(PreviousReview.version_id), func.count())
        .where(_key(PreviousReview.version_id).in_(versions))
        .group_by(PreviousReview.version_id)).all())

    register = _register_matches(session, heads, crimes)
    found: dict[uuid.UUID, f.ReferralFacts] = {}
    for referral, force_code, reference, version, number in heads:
        found[referral] = f.ReferralFacts(
            force_code=force_code, force_name=names.get(force_code, force_code),
            force_in_scope=force_code in in_scope, force_reference=reference, version=number,
            people=tuple(people[version]), crimes=tuple(crimes[version]),
            decisions=tuple(decisions[version]), previous_reviews=int(reviews.get(version, 0)),
            register_matches=tuple(register.get(referral, ())))
    return found


def _register_matches(session: Session, heads: Sequence[Any],
                      crimes: dict[Any, list[f.Crime]]) -> dict[uuid.UUID, list[str]]:
    """Prior-review register entries per referral: same force, and the same force reference
    or one of the same crime references."""
    forces = {force for _, force, _, _, _ in heads}
    references = {reference for _, _, reference, _, _ in heads}
    crime_refs = {c.crime_reference for version_crimes in crimes.values() for c in version_crimes}
    entries = session.connection().execute(
        select(PriorReview.entry_reference, PriorReview.force_code, PriorReview.force_reference,
               PriorReview.crime_reference)
        .where(PriorReview.force_code.in_(forces),
               PriorReview.force_reference.in_(references)
               | PriorReview.crime_reference.in_(crime_refs))).all()
    if not entries:
        return {}
    matches: dict[uuid.UUID, list[str]] = defaultdict(list)
    for referral, force, reference, version, _ in heads:
        theirs = {c.crime_reference for c in crimes[version]}
        for entry, entry_force, entry_reference, entry_crime in entries:
            if entry_force == force and (entry_reference == reference or entry_crime in theirs):
                matches[referral].append(entry)
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
