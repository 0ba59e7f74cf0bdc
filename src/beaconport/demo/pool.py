"""The population of true persons behind the referrals, and the offending groups among them.

Why a pool: the hard part of the platform is linkage, recognising one suspect across referrals and
forces through noisy records. So about 30 % of suspect records are of someone named in another
referral, often by another force, and groups of 3–8 suspects recur together across referrals.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date

from beaconport.demo import ethnicity, names
from beaconport.demo.dates import age_on
from beaconport.demo.forces import BY_CODE, Force
from beaconport.demo.people import TruePerson, address, born_for_age, new_name, pnc_id

# Tuned so that about 30 % of suspect records belong to someone with more than one record.
P_GROUP_REUSE = 0.14
P_GROUP_NEW = 0.05
P_SUSPECT_REUSE = 0.12
P_SAME_FORCE = 0.55  # a reused suspect is as likely to come from another force as not
P_COMPLAINANT_REUSE = 0.03
P_DECEASED_SUSPECT = 0.04
P_DECEASED_COMPLAINANT = 0.01


@dataclass(slots=True)
class Group:
    gid: str
    home: str
    members: list[TruePerson]
    uses: list[int]
    referrals: list[tuple[str, str]] = field(default_factory=list)


class Pool:
    """Everyone created so far, indexed so that picking someone again is cheap."""

    def __init__(self, prefix: str = "E") -> None:
        self.prefix = prefix
        self.count = 0
        self.suspects: dict[str, list[TruePerson]] = {}
        self.complainants: dict[str, list[TruePerson]] = {}
        self.groups: list[Group] = []
        self._by_gid: dict[str, Group] = {}
        self.groups_by_force: dict[str, list[Group]] = {}
        self.suspect_forces: list[str] = []

    # -- making people --------------------------------------------------------------------
    def person(self, rng: random.Random, sex: str, born: date, force: Force) -> TruePerson:
        self.count += 1
        forenames, surname = new_name(rng, sex, force.code.startswith("W"))
        return TruePerson(
            entity=f"{self.prefix}{self.count:06d}", sex=sex, forenames=forenames,
            surname=surname, born=born, ethnicity=ethnicity.true_ethnicity(rng),
            nationality=ethnicity.true_nationality(rng), home=force.code)

    def new_suspect(self, rng: random.Random, force: Force, start: date) -> TruePerson:
        sex = "male" if rng.random() < 0.96 else "female"
        age = 15 + int(rng.random() * 3) if rng.random() < 0.03 else 18 + int(
            rng.random() ** 1.6 * 35)
        home = force if rng.random() < 0.9 else BY_CODE[rng.choice(self.suspect_forces or
                                                                   [force.code])]
        person = self.person(rng, sex, born_for_age(rng, age, start), home)
        person.addresses.append(address(rng, home))
        if rng.random() < 0.5:
            first = person.born.year + 16 + int(rng.random() * 12)
            person.pnc = pnc_id(rng, min(first, 2024))
        if rng.random() < 0.35:
            short = names.SHORT_FORMS.get(person.forenames[0])
            person.nickname = rng.choice(short) if short and rng.random() < 0.6 else rng.choice(
                names.NICKNAMES)
        person.deceased = rng.random() < P_DECEASED_SUSPECT
        self._index_suspect(person)
        return person

    def _index_suspect(self, person: TruePerson) -> None:
        if person.home not in self.suspects:
            self.suspects[person.home] = []
            self.suspect_forces.append(person.home)
        self.suspects[person.home].append(person)

    def new_complainant(self, rng: random.Random, force: Force, age: int,
                        start: date) -> TruePerson:
        sex = "female" if rng.random() < 0.85 else "male"
        person = self.person(rng, sex, born_for_age(rng, age, start), force)
        person.deceased = rng.random() < P_DECEASED_COMPLAINANT
        self.complainants.setdefault(force.code, []).append(person)
        return person

    def witness(self, rng: random.Random, force: Force, on: date) -> TruePerson:
        sex = "female" if rng.random() < 0.6 else "male"
        return self.person(rng, sex, born_for_age(rng, 18 + int(rng.random() * 45), on), force)

    def group(self, gid: str) -> Group:
        return self._by_gid[gid]

    def release(self) -> None:
        """Forget who may be chosen again (the groups stay): generation is over."""
        self.suspects.clear()
        self.complainants.clear()
        self.groups_by_force.clear()
        self.suspect_forces.clear()

    # -- choosing people for a referral ----------------------------------------------------
    def suspects_for(self, rng: random.Random, force: Force, n: int,
                     start: date) -> list[TruePerson]:
        chosen: list[TruePerson] = []
        r = rng.random()
        if n >= 2 and r < P_GROUP_REUSE + P_GROUP_NEW:
            group = self._existing_group(rng, force, start) if r < P_GROUP_REUSE else None
            group = group or self._new_group(rng, force, start)
            k = 2 + int(rng.random() * (min(n, len(group.members)) - 1))
            order = sorted(range(len(group.members)),
                           key=lambda i: (group.uses[i], rng.random()))
            for i in order:
                if len(chosen) == k:
                    break
                if _plausible(group.members[i], start):
                    chosen.append(group.members[i])
                    group.uses[i] += 1
        while len(chosen) < n:
            person = self._reuse_suspect(rng, force, start, chosen)
            chosen.append(person or self.new_suspect(rng, force, start))
        return chosen

    def _existing_group(self, rng: random.Random, force: Force, start: date) -> Group | None:
        local = self.groups_by_force.get(force.code)
        candidates = local if local and rng.random() < 0.8 else self.groups
        if not candidates:
            return None
        for _ in range(3):
            group = rng.choice(candidates)
            if sum(_plausible(m, start) for m in group.members) >= 2:
                return group
        return None

    def _new_group(self, rng: random.Random, force: Force, start: date) -> Group:
        size = 3 + int(rng.random() * 6)
        members = [self.new_suspect(rng, force, start) for _ in range(size)]
        group = Group(f"G{len(self.groups) + 1:04d}", force.code, members, [0] * size)
        for m in members:
            m.group = group.gid
        self.groups.append(group)
        self._by_gid[group.gid] = group
        self.groups_by_force.setdefault(force.code, []).append(group)
        return group

    def _reuse_suspect(self, rng: random.Random, force: Force, start: date,
                       chosen: list[TruePerson]) -> TruePerson | None:
        if rng.random() >= P_SUSPECT_REUSE or not self.suspect_forces:
            return None
        code = force.code if rng.random() < P_SAME_FORCE else rng.choice(self.suspect_forces)
        known = self.suspects.get(code)
        if not known:
            return None
        for _ in range(3):
            person = rng.choice(known)
            if all(p is not person for p in chosen) and _plausible(person, start):
                return person
        return None

    def complainant_for(self, rng: random.Random, force: Force, age: int, start: date,
                        chosen: list[TruePerson]) -> TruePerson:
        known = self.complainants.get(force.code)
        if known and age < 18 and rng.random() < P_COMPLAINANT_REUSE:
            person = rng.choice(known)
            fits = 11 <= age_on(person.born, start) <= 17 and not person.deceased
            if fits and all(p is not person for p in chosen):
                return person
        return self.new_complainant(rng, force, age, start)


def _plausible(person: TruePerson, start: date) -> bool:
    """Could this person have been a suspect in offending that began on ``start``?"""
    return 16 <= age_on(person.born, start) <= 75
