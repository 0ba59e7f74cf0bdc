"""Reading what the statistics count. Persons are counted once after linkage: every record of
a person in a role (suspect, complainant) that the nominal index links to the same person is
one person; a record not yet linked counts as a person of its own. Roles stay distinct: a
person who is a suspect in one referral and a complainant in another is counted in each role's
figures, never mixed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, String, cast, func, select
from sqlalchemy.orm import Session

from beaconport.people.models import NominalRecord
from beaconport.reference.models import EthnicityCode
from beaconport.referrals.models import (
    EthnicityObservation,
    Nationality,
    PersonRecord,
    Referral,
    ReferralVersion,
)
from beaconport.referrals.queries import CURRENT_VERSION
from beaconport.stats import ethnicity as e

SUSPECTS, COMPLAINANTS = "suspect", "complainant"
UNITS = {SUSPECTS: "suspects (persons, counted once across referrals after linkage)",
         COMPLAINANTS: "complainants (persons, counted once across referrals after linkage)"}


@dataclass(frozen=True, slots=True)
class Mapped:
    """A code of the reference data as the mapping sheet shows it."""

    scheme: str
    code: str
    label: str
    sde18: str | None
    five_group: str


@dataclass(frozen=True, slots=True)
class EthnicityReference:
    """The reference data's ethnicity codes, read once for a whole computation."""

    #: By scheme and code, and by scheme and label (a record may give the label alone).
    codes: dict[tuple[str, str], e.Code]
    #: Every code in the reference data's order (schemes as listed, codes within each).
    mapping: tuple[Mapped, ...]

    @property
    def categories(self) -> list[e.Category]:
        """The 18+1 self-defined categories, "not stated" left out (counted as completeness)."""
        return [e.Category(m.code, m.label, m.five_group) for m in self.mapping
                if m.scheme == e.SDE18_SCHEME and m.five_group in e.FIVE_GROUPS]

    @property
    def schemes(self) -> list[str]:
        return list(dict.fromkeys(m.scheme for m in self.mapping))


def ethnicity_reference(session: Session) -> EthnicityReference:
    found: dict[tuple[str, str], e.Code] = {}
    mapped = []
    for c in session.scalars(select(EthnicityCode).order_by(EthnicityCode.id)):
        code = e.Code(c.label, c.five_group, c.maps_to_sde18, c.means_not_stated)
        found[(c.scheme, c.label)] = code
        found[(c.scheme, c.code)] = code
        mapped.append(Mapped(c.scheme, c.code, c.label, c.maps_to_sde18, c.five_group))
    return EthnicityReference(found, tuple(mapped))


@dataclass(frozen=True, slots=True)
class PersonsEthnicity:
    role: str
    unit: str
    #: Each person's best value, and everything recorded of them (in the same order).
    persons: list[e.Best]
    observed: list[list[e.Observation]]
    #: Each person's nationality codes, over every record of them (in the same order).
    nationalities: list[set[str]]
    #: Each record of the role in the versions read (a person named in several referrals has
    #: several): its version (``key`` text) and what that record alone gave.
    records: list[tuple[str, list[e.Observation]]]


def key(column: Any) -> Any:
    """An id read as the database's own text: sets of hundreds of thousands of ids are built
    here, and making a UUID object of each cost most of a publication's time. Compare such text
    only with other ``key`` text, or with ``key_of`` an id held elsewhere as text."""
    return cast(column, String)


def plain(session: Session, statement: Select[Any]) -> list[Any]:
    """The statement's rows as the database driver gives them, without SQLAlchemy's processing
    of each row: statistics read several hundred thousand rows at a time, and making a row
    object of each cost a publication seconds. Only for ids read with ``key``, text and whole
    numbers (no dates, and a boolean may come back as 0 or 1): the values are as stored."""
    connection = session.connection()
    sql = str(statement.compile(dialect=connection.dialect,
                                compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def key_of(text: str) -> str:
    """An id written as text anywhere (the audit log's hyphenated form) as ``key`` reads ids on
    this engine's either form: hexadecimal, without hyphens."""
    return text.replace("-", "").lower()


def versions_as_at(session: Session, cut: datetime | None = None) -> dict[str, str]:
    """Each referral (``key_of`` its ``key``) and the version it stands at (``key`` text): its
    current one, or (with ``cut``) the latest received by then, leaving out referrals not yet
    received."""
    if cut is None:
        return {key_of(rid): vid for rid, vid in plain(session,
            select(key(ReferralVersion.referral_id), key(ReferralVersion.id)).join(
                Referral, CURRENT_VERSION))}
    latest: dict[str, tuple[int, str]] = {}
    for rid, number, vid in session.connection().execute(
            select(key(ReferralVersion.referral_id), ReferralVersion.number,
                   key(ReferralVersion.id))
            .where(ReferralVersion.received_at_utc <= cut)).all():
        rid = key_of(rid)
        if rid not in latest or number > latest[rid][0]:
            latest[rid] = (number, vid)
    return {rid: vid for rid, (_, vid) in latest.items()}


def persons_ethnicity(session: Session, role: str, *,
                      versions: set[str] | None = None) -> PersonsEthnicity:
    """Each person in the role, once, with their best available ethnicity over every record of
    them in the referrals' current versions (or in ``versions``: those they stood at on a day).
    """
    return roles_ethnicity(session, (role,), versions=versions)[role]


def roles_ethnicity(session: Session, roles: tuple[str, ...], *,
                    versions: set[str] | None = None,
                    reference: EthnicityReference | None = None
                    ) -> dict[str, PersonsEthnicity]:
    """``persons_ethnicity`` for several roles in one reading. Read in a few plain queries and
    sorted out here: joins to each referral's version as at a day cost far more in SQL than a
    set does in Python."""
    wanted = set(versions_as_at(session).values()) if versions is None else versions
    record_version: dict[str, tuple[str, str]] = {
        record_id: (version_id, role) for record_id, version_id, role in plain(session,
            select(key(PersonRecord.id), key(PersonRecord.version_id), PersonRecord.role)
            .where(PersonRecord.role.in_(roles))) if version_id in wanted}
    person_of = {record_id: (role, record_id)
                 for record_id, (_, role) in record_version.items()}
    for record_id, nominal_id, role in plain(session,
            select(key(NominalRecord.person_record_id), key(NominalRecord.nominal_id),
                   NominalRecord.role).where(NominalRecord.role.in_(roles))):
        if record_id in person_of:
            person_of[record_id] = (role, nominal_id)
    # Lists only for those with something recorded (most have nothing): making an empty list for
    # each of a million records cost a publication more than a second.
    seen: dict[tuple[str, str], list[e.Observation]] = {}
    own: dict[str, list[e.Observation]] = {}
    for record_id, scheme, code, basis, recorded_on, position in plain(session,
            select(key(EthnicityObservation.person_record_id), EthnicityObservation.scheme,
                   func.coalesce(EthnicityObservation.code, EthnicityObservation.label),
                   EthnicityObservation.basis, EthnicityObservation.recorded_on,
                   EthnicityObservation.position)):
        person = person_of.get(record_id)
        if person is not None:
            observation = e.Observation(scheme, code, basis, recorded_on, position)
            seen.setdefault(person, []).append(observation)
            own.setdefault(record_id, []).append(observation)
    known = (reference or ethnicity_reference(session)).codes
    found: dict[str, PersonsEthnicity] = {
        role: PersonsEthnicity(role, UNITS[role], [], [], [], []) for role in roles}
    held: dict[tuple[str, str], set[str]] = {}
    for record_id, code in plain(session, select(key(Nationality.person_record_id),
                                                 Nationality.code)):
        person = person_of.get(record_id)
        if person is not None:
            held.setdefault(person, set()).add(code)
    none: set[str] = set()
    nothing: list[e.Observation] = []
    for person in dict.fromkeys(person_of.values()):
        observed = seen.get(person, nothing)
        found[person[0]].persons.append(e.best(observed, known) if observed else e.NOTHING)
        found[person[0]].observed.append(observed)
        found[person[0]].nationalities.append(held.get(person, none))
    for record_id, (version_id, role) in record_version.items():
        found[role].records.append((version_id, own.get(record_id, nothing)))
    return found
