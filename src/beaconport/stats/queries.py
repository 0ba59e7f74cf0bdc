"""Reading what the statistics count. Persons are counted once after linkage: every record of
a person in a role (suspect, complainant) that the nominal index links to the same person is
one person; a record not yet linked counts as a person of its own. Roles stay distinct: a
person who is a suspect in one referral and a complainant in another is counted in each role's
figures, never mixed."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, select
from sqlalchemy.orm import Session

from beaconport.people.models import NominalRecord
from beaconport.reference.models import EthnicityCode
from beaconport.referrals.models import (
    EthnicityObservation,
    PersonRecord,
    Referral,
    ReferralVersion,
)
from beaconport.stats import ethnicity as e

SUSPECTS, COMPLAINANTS = "suspect", "complainant"
UNITS = {SUSPECTS: "suspects (persons, counted once across referrals after linkage)",
         COMPLAINANTS: "complainants (persons, counted once across referrals after linkage)"}


def codes(session: Session) -> dict[tuple[str, str], e.Code]:
    """The reference data's codes, by scheme and code and by scheme and label (a record may
    give the label alone)."""
    found: dict[tuple[str, str], e.Code] = {}
    for c in session.scalars(select(EthnicityCode)):
        code = e.Code(c.label, c.five_group, c.maps_to_sde18, c.means_not_stated)
        found[(c.scheme, c.label)] = code
        found[(c.scheme, c.code)] = code
    return found


@dataclass(frozen=True, slots=True)
class PersonsEthnicity:
    role: str
    unit: str
    persons: list[e.Best]


def persons_ethnicity(session: Session, role: str, *,
                      cut: datetime | None = None) -> PersonsEthnicity:
    """Each person in the role, once, with their best available ethnicity over every record of
    them in the referrals' current versions (or, with ``cut``, the versions they stood at
    then)."""
    if cut is None:
        current = and_(ReferralVersion.referral_id == Referral.id,
                       ReferralVersion.number == Referral.current_version)
    else:
        latest = (select(ReferralVersion.referral_id.label("rid"),
                         func.max(ReferralVersion.number).label("number"))
                  .where(ReferralVersion.received_at_utc <= cut)
                  .group_by(ReferralVersion.referral_id).subquery())
        current = and_(ReferralVersion.referral_id == Referral.id,
                       ReferralVersion.referral_id.in_(select(latest.c.rid)),
                       ReferralVersion.number == select(latest.c.number).where(
                           latest.c.rid == ReferralVersion.referral_id).scalar_subquery())
    person_of: dict[uuid.UUID, uuid.UUID] = {}
    for record_id, nominal_id in session.execute(
            select(PersonRecord.id, NominalRecord.nominal_id)
            .join(ReferralVersion, ReferralVersion.id == PersonRecord.version_id)
            .join(Referral, current)
            .outerjoin(NominalRecord, NominalRecord.person_record_id == PersonRecord.id)
            .where(PersonRecord.role == role)):
        person_of[record_id] = nominal_id or record_id
    seen: dict[uuid.UUID, list[e.Observation]] = defaultdict(list)
    for person in person_of.values():
        seen.setdefault(person, [])
    for record_id, scheme, code, basis, recorded_on, position in session.execute(
            select(EthnicityObservation.person_record_id, EthnicityObservation.scheme,
                   func.coalesce(EthnicityObservation.code, EthnicityObservation.label),
                   EthnicityObservation.basis,
                   EthnicityObservation.recorded_on, EthnicityObservation.position)
            .join(PersonRecord, PersonRecord.id == EthnicityObservation.person_record_id)
            .join(ReferralVersion, ReferralVersion.id == PersonRecord.version_id)
            .join(Referral, current)
            .where(PersonRecord.role == role)):
        seen[person_of[record_id]].append(e.Observation(scheme, code, basis, recorded_on,
                                                        position))
    known = codes(session)
    return PersonsEthnicity(role, UNITS[role], [e.best(found, known) for found in seen.values()])
