"""Reads of reference data. Validation and screening use an in-memory ``Catalogue`` snapshot.

The code lists are small (a few hundred rows), so one query each at the start of an import beats a
lookup per referral; the snapshot is immutable, so it is safe to share.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from beaconport.reference.models import (
    EthnicityCode,
    Force,
    ForceAlias,
    Offence,
    OutcomeCode,
    ReferenceDataset,
)
from beaconport.reference.normalise import alias_key


@dataclass(frozen=True, slots=True)
class ForceInfo:
    code: str
    name: str
    in_scope: bool


@dataclass(frozen=True, slots=True)
class OffenceInfo:
    scheme: str
    code: str
    title: str
    is_sexual: bool
    is_rape: bool


@dataclass(frozen=True, slots=True)
class EthnicityInfo:
    scheme: str
    code: str
    label: str
    five_group: str
    means_not_stated: bool


@dataclass(frozen=True, slots=True)
class OutcomeInfo:
    code: str
    label: str
    is_nfa: bool


@dataclass(frozen=True)
class Catalogue:
    forces: dict[str, ForceInfo] = field(default_factory=dict)
    force_keys: dict[str, str] = field(default_factory=dict)
    outcomes: dict[str, OutcomeInfo] = field(default_factory=dict)
    offences: dict[tuple[str, str], OffenceInfo] = field(default_factory=dict)
    ethnicity: dict[tuple[str, str], EthnicityInfo] = field(default_factory=dict)
    ethnicity_labels: dict[tuple[str, str], EthnicityInfo] = field(default_factory=dict)

    def resolve_force(self, text: str) -> ForceInfo | None:
        """A force from its ONS code, data.police.uk id, name or a recognised abbreviation."""
        found = self.forces.get(text.strip().upper()) or self.forces.get(text.strip())
        if found is not None:
            return found
        code = self.force_keys.get(alias_key(text))
        return self.forces.get(code) if code else None

    def offence(self, scheme: str, code: str) -> OffenceInfo | None:
        return self.offences.get((scheme, _offence_key(code)))

    def ethnicity_code(self, scheme: str, code: str) -> EthnicityInfo | None:
        return self.ethnicity.get((scheme, code.strip().upper()))

    def ethnicity_label(self, scheme: str, label: str) -> EthnicityInfo | None:
        return self.ethnicity_labels.get((scheme, alias_key(label)))

    def ethnicity_schemes_with(self, code: str) -> list[str]:
        wanted = code.strip().upper()
        return sorted({s for (s, c) in self.ethnicity if c == wanted})


def _offence_key(code: str) -> str:
    """'S5', 's 5' and 's5' are the same section; statute codes keep their words."""
    return " ".join(code.split()).upper().replace("S ", "S") if code else code


def _current(valid_from: date, valid_to: date | None, today: date) -> bool:
    return valid_from <= today and (valid_to is None or today <= valid_to)


def force_names(session: Session, *, on: date | None = None) -> dict[str, str]:
    """Each force's name as it is called on ``on`` (today): one name per code, even for a force
    that was renamed (Hampshire became Hampshire and Isle of Wight)."""
    today = on or date.today()
    names: dict[str, str] = {}
    for code, name, valid_from, valid_to in session.execute(
            select(Force.code, Force.name, Force.valid_from, Force.valid_to)
            .order_by(Force.valid_from)):
        if code not in names or _current(valid_from, valid_to, today):
            names[code] = name
    return names


def load_catalogue(session: Session, *, on: date | None = None) -> Catalogue:
    """Every code ever valid is accepted on import (old cases carry old codes); names resolve to
    the force as it was called on ``on`` where a force was renamed."""
    today = on or date.today()
    forces: dict[str, ForceInfo] = {}
    force_keys: dict[str, str] = {}
    for force in session.scalars(select(Force).order_by(Force.valid_from)):
        info = ForceInfo(force.code, force.name, force.in_scope)
        if force.code not in forces or _current(force.valid_from, force.valid_to, today):
            forces[force.code] = info
        for text in (force.code, force.data_police_id, force.name, force.short_name):
            if text:
                force_keys.setdefault(alias_key(text), force.code)
        if force.data_police_id:
            forces.setdefault(force.data_police_id, info)
    for alias in session.scalars(select(ForceAlias)):
        force_keys.setdefault(alias.alias_key, alias.force_code)
    outcomes = {
        o.code.upper(): OutcomeInfo(o.code, o.label, o.is_nfa)
        for o in session.scalars(select(OutcomeCode))
    }
    offences = {
        (o.scheme, _offence_key(o.code)): OffenceInfo(
            o.scheme, o.code, o.title, o.is_sexual, o.is_rape
        )
        for o in session.scalars(select(Offence))
    }
    ethnicity: dict[tuple[str, str], EthnicityInfo] = {}
    labels: dict[tuple[str, str], EthnicityInfo] = {}
    for e in session.scalars(select(EthnicityCode)):
        code = EthnicityInfo(e.scheme, e.code, e.label, e.five_group, e.means_not_stated)
        ethnicity[(e.scheme, e.code.upper())] = code
        labels[(e.scheme, alias_key(e.label))] = code
    return Catalogue(forces, force_keys, outcomes, offences, ethnicity, labels)


@dataclass(frozen=True, slots=True)
class DatasetSummary:
    name: str
    version: str
    rows: int
    loaded_at: str
    description: str


def list_datasets(session: Session) -> list[DatasetSummary]:
    return [
        DatasetSummary(d.name, d.version, d.row_count, f"{d.loaded_at_utc:%Y-%m-%d %H:%M}",
                       d.description)
        for d in session.scalars(select(ReferenceDataset).order_by(ReferenceDataset.name))
    ]
