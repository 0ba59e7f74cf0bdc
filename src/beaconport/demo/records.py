"""One force's record of a person in a referral, in the interchange format's key order.

Keys are written in the order of the format's example (id, role, names, date of birth, sex, …) and
left out when the force did not record the fact: the format says unknown may simply be absent.
"""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from beaconport.demo import ethnicity, names
from beaconport.demo.dates import partial
from beaconport.demo.forces import Force
from beaconport.demo.people import TruePerson, address, pnc_id, record_dob, record_names

MET = "E23000001"
SUSPECT_ETHNICITY_MISSING = 0.65  # Casey: ethnicity unrecorded for about two-thirds of suspects
COMPLAINANT_ETHNICITY_MISSING = 0.45
CHECKS_FROM = date(2025, 6, 1)  # forces checked status and support while preparing referrals

_YEARS = {year: str(year) for year in range(1900, 2100)}  # shared strings: see dates.partial
_SUPPORT: tuple[tuple[str | None, float], ...] = (
    ("supports", 0.64), ("declines", 0.08), ("undecided", 0.05), ("not_yet_approached", 0.10),
    ("uncontactable", 0.05), ("approach_unsafe", 0.02), (None, 0.06),
)


def _checked(rng: random.Random, referred_on: date) -> str:
    span = (referred_on - CHECKS_FROM).days
    return partial(CHECKS_FROM + timedelta(days=int(rng.random() * span)))


def suspect(rng: random.Random, person: TruePerson, pid: str, force: Force, recorded: date,
            referred_on: date, started: date) -> dict[str, Any]:
    rec: dict[str, Any] = {"id": pid, "role": "suspect"}
    rec.update(record_names(rng, person, "suspect"))
    _common(rng, rec, person, force, recorded, SUSPECT_ETHNICITY_MISSING, 0.08)
    r = rng.random()
    if person.deceased:
        status: str | None = "deceased" if r < 0.85 else "unknown"
    else:
        status = "believed_alive" if r < 0.91 else "unknown" if r < 0.97 else None
    if status:
        rec["alive_status"] = status
        if rng.random() < 0.85:
            rec["alive_status_checked_on"] = _checked(rng, referred_on)
    if rng.random() < 0.85:
        rec["addresses"] = _addresses(rng, person, force, started)
    r = rng.random()
    interview = ("under_caution" if r < 0.72 else "voluntary" if r < 0.82 else
                 "not_interviewed" if r < 0.92 else "unknown" if r < 0.97 else None)
    r = rng.random()
    arrested = (r < 0.9 if interview == "under_caution" else
                r < 0.1 if interview in ("voluntary", "not_interviewed") else None)
    if arrested and not person.pnc:
        # An arrest for a recordable offence makes a PNC record: from then on they have an ID.
        person.pnc = pnc_id(rng, min(recorded.year, 2024))
    if person.pnc and rng.random() < 0.75:
        rec["identifiers"] = [{"type": "PNC", "value": person.pnc}]
    if interview:
        rec["interview"] = interview
    if arrested is not None:
        rec["arrested"] = arrested
    return rec


def complainant(rng: random.Random, person: TruePerson, pid: str, force: Force, recorded: date,
                referred_on: date, age: int) -> dict[str, Any]:
    rec: dict[str, Any] = {"id": pid, "role": "complainant"}
    rec.update(record_names(rng, person, "complainant"))
    _common(rng, rec, person, force, recorded, COMPLAINANT_ETHNICITY_MISSING, 0.08,
            age=age if rng.random() < 0.55 else None)
    if person.deceased:
        rec["alive_status"] = "deceased"
        rec["review_support"] = "deceased"
        return rec
    if rng.random() < 0.9:
        rec["alive_status"] = "believed_alive"
    r = rng.random()
    support = _SUPPORT[-1][0]
    for state, share in _SUPPORT:
        if r < share:
            support = state
            break
        r -= share
    if support:
        rec["review_support"] = support
        if support != "not_yet_approached":
            rec["review_support_recorded_on"] = _checked(rng, referred_on)
    return rec


def witness(rng: random.Random, person: TruePerson, pid: str) -> dict[str, Any]:
    rec: dict[str, Any] = {"id": pid, "role": "witness"}
    rec.update(record_names(rng, person, "witness"))
    dob = record_dob(rng, person.born, 0.6)
    if dob:
        rec["date_of_birth"] = dob
    rec["sex"] = person.sex
    return rec


def _common(rng: random.Random, rec: dict[str, Any], person: TruePerson, force: Force,
            recorded: date, missing_ethnicity: float, missing_dob: float,
            age: int | None = None) -> None:
    dob = record_dob(rng, person.born, missing_dob)
    if dob:
        rec["date_of_birth"] = dob
    rec["sex"] = person.sex if rng.random() < 0.99 else "unknown"
    if age is not None:
        rec["age_at_first_offence"] = age
    nationality = ethnicity.nationality_record(rng, person.nationality)
    if nationality:
        rec["nationality"] = nationality
    seen = ethnicity.observations(rng, person.ethnicity, recorded, force.code == MET,
                                  missing_ethnicity)
    if seen:
        rec["ethnicity"] = seen


def _addresses(rng: random.Random, person: TruePerson, force: Force,
               started: date) -> list[dict[str, Any]]:
    known = person.addresses
    if person.home != force.code and rng.random() < 0.5:
        if len(known) < 4:  # somewhere they stayed in this force's area
            known.append(address(rng, force))
        chosen = [known[-1]]
    else:
        chosen = [known[0]]
    if len(known) > 1 and rng.random() < 0.2 and known[0] is not chosen[0]:
        chosen.append(known[0])
    out = []
    for line, postcode in chosen:
        item: dict[str, Any] = {"line": _noisy_line(rng, line)}
        r = rng.random()
        if r < 0.9:
            item["postcode"] = postcode.replace(" ", "") if r < 0.05 else postcode
        if rng.random() < 0.5:
            first = started.year - int(rng.random() * 5)
            last = first + 1 + int(rng.random() * 6)
            item["from"] = _YEARS[first]
            if last < 2025:  # otherwise they are taken to live there still
                item["to"] = _YEARS[last]
        out.append(item)
    return out


def _noisy_line(rng: random.Random, line: str) -> str:
    r = rng.random()
    if r < 0.15:
        for word, short in names.STREET_ABBREVIATIONS.items():
            line = line.replace(f" {word},", f" {short},")
    elif r < 0.2:
        line = line.upper()
    return line
