"""Deterministic synthetic force referrals in the interchange format, with their ground truth.

``generate(1273, seed)`` gives a set shaped like Operation Beaconport's first referrals: 1,273 cases
from 23 forces, about 18 % involving rape. Everything comes from one ``random.Random(seed)``, never
the global generator or the clock, so the same arguments always give byte-identical output.
All people are fictional combinations of listed names; all text is administrative.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from beaconport.cycles import no_cycle_collection
from beaconport.demo.cases import CaseBuilder
from beaconport.demo.forces import POLICE_SCOTLAND, SCOTLAND, TERRITORIAL, Force, written_names
from beaconport.demo.invalid import ERRORS, UNKNOWN_FORCE, corrupt
from beaconport.demo.pool import Pool
from beaconport.demo.rand import StableRandom
from beaconport.demo.truth import RULESET, decide

TRUTH_FORMAT = "beaconport.truth/1"
REFERRED_FROM = date(2025, 11, 1)
REFERRED_TO = date(2026, 10, 31)
P_SCOTLAND = 0.005  # a few referrals from outside England and Wales, for screening to reject


@dataclass(slots=True)
class GeneratedSet:
    documents: list[dict[str, Any]]
    truth: dict[str, Any]


def generate(referrals: int, seed: int, *, forces: int = 23, invalid: int = 0) -> GeneratedSet:
    """``referrals`` valid referrals from ``forces`` territorial forces, then ``invalid`` bad ones.

    Police Scotland's few referrals come on top of the ``forces`` forces of England and Wales.
    """
    run = _Run(referrals, seed, forces, invalid)
    with no_cycle_collection():
        documents = list(run.documents())
        return GeneratedSet(documents, run.truth())


def write_set(directory: Path, referrals: int, seed: int, *, forces: int = 23,
              invalid: int = 0) -> None:
    """Write ``referrals.jsonl`` and ``truth.json`` into ``directory``.

    The same set as ``generate`` with the same arguments, streamed: the documents are written as
    they are made and never held together, so large sets fit in a few hundred megabytes.
    """
    run = _Run(referrals, seed, forces, invalid)
    with no_cycle_collection():
        with (directory / "referrals.jsonl").open("w", encoding="utf-8") as out:
            for document in run.documents():
                out.write(json.dumps(document, ensure_ascii=False) + "\n")
        write_truth(run.truth(lazy=True), directory / "truth.json")


def write_truth(truth: dict[str, Any], path: Path) -> None:
    """Indented JSON with one list entry per line: readable, diff-friendly and fast to write.

    (``json.dump`` with ``indent`` falls back to the pure-Python encoder and, for a large truth,
    takes minutes and gigabytes.)
    """
    with path.open("w", encoding="utf-8") as out:
        out.write("{")
        for i, (key, value) in enumerate(truth.items()):
            out.write(("," if i else "") + f"\n  {json.dumps(key)}: ")
            if isinstance(value, list | Iterator):
                out.write("[")
                empty = True
                for item in value:
                    out.write(("\n    " if empty else ",\n    ")
                              + json.dumps(item, ensure_ascii=False))
                    empty = False
                out.write("]" if empty else "\n  ]")
            else:
                out.write(json.dumps(value, ensure_ascii=False))
        out.write("\n}\n")


class _Run:
    """One generation: documents come out one at a time while the ground truth accumulates."""

    def __init__(self, referrals: int, seed: int, forces: int, invalid: int) -> None:
        if referrals < 0 or invalid < 0:
            raise ValueError("referrals and invalid must not be negative")
        if not 1 <= forces <= len(TERRITORIAL):
            raise ValueError(f"forces must be between 1 and {len(TERRITORIAL)}")
        self.referrals, self.seed, self.forces, self.invalid = referrals, seed, forces, invalid
        self.pool = Pool()
        self.screening: list[dict[str, Any]] = []
        self.records: dict[str, list[tuple[str, str, str]]] = {}
        self.rejected: list[dict[str, Any]] = []

    def documents(self) -> Iterator[dict[str, Any]]:
        rng = StableRandom(self.seed)
        chosen = _choose_forces(rng, self.forces)
        senders = _senders(rng, chosen, self.referrals)
        days = sorted(_day(rng) for _ in range(self.referrals))
        counters: dict[str, int] = {}
        builder = CaseBuilder(rng, self.pool, counters)
        for force, day in zip(senders, days, strict=True):
            built = builder.build(force, _written(rng, force), day)
            document = built.document
            self.screening.append(decide(document))
            ref = document["force_reference"]
            for person, pid in built.people:
                self.records.setdefault(person.entity, []).append((force.code, ref, pid))
            together = [p.group for p, _ in built.people if p.group]
            for gid in dict.fromkeys(together):
                if together.count(gid) >= 2:  # the group offended together in this referral
                    self.pool.group(gid).referrals.append((force.code, ref))
            yield document
        # A separate pool: rejected referrals are never linked, so their people are not in the
        # truth's persons.
        builder = CaseBuilder(rng, Pool(prefix="X"), counters)
        for i in range(self.invalid):
            force = rng.choice(chosen)
            document = builder.build(force, _written(rng, force), _day(rng)).document
            error = ERRORS[i % len(ERRORS)]
            location = corrupt(rng, document, error)
            self.rejected.append({
                "force": UNKNOWN_FORCE if error == "unknown_force" else force.code,
                "force_reference": document.get("force_reference"),
                "expected_errors": [error],
                "location": location,
                "document": self.referrals + i,
            })
            yield document

    def truth(self, *, lazy: bool = False) -> dict[str, Any]:
        """The ground truth, once, after the documents; ``lazy`` gives persons as an iterator.

        Records are handed over as persons are built, so a large truth is never held twice.
        """
        records = self.records
        groups = [
            {"group": g.gid, "entities": [m.entity for m in g.members if m.entity in records],
             "referrals": [list(r) for r in g.referrals]}
            for g in self.pool.groups if len(g.referrals) >= 2
        ]
        self.pool.release()
        order = sorted(records, key=lambda e: int(e[1:]))

        def persons() -> Iterator[dict[str, Any]]:
            for e in order:
                yield {"entity": e, "records": [{"force": f, "force_reference": r, "person_id": p}
                                                for f, r, p in records.pop(e)]}

        return {
            "format": TRUTH_FORMAT, "seed": self.seed, "referrals": self.referrals,
            "ruleset": RULESET,
            "persons": persons() if lazy else list(persons()),
            "groups": groups,
            "screening": self.screening,
            "invalid": self.rejected,
        }


def _choose_forces(rng: random.Random, n: int) -> list[Force]:
    """``n`` distinct forces, bigger forces more likely: big forces refer more cases."""
    left = list(TERRITORIAL)
    chosen: list[Force] = []
    for _ in range(n):
        pick = rng.choices(left, weights=[f.weight for f in left])[0]
        left.remove(pick)
        chosen.append(pick)
    return chosen


def _senders(rng: random.Random, chosen: list[Force], referrals: int) -> list[Force]:
    """Who sends each referral: every chosen force at least once, then by size."""
    senders = chosen[:referrals]
    weights = [f.weight for f in chosen]
    for _ in range(referrals - len(senders)):
        if rng.random() < P_SCOTLAND:
            senders.append(POLICE_SCOTLAND)
        else:
            senders.append(rng.choices(chosen, weights=weights)[0])
    rng.shuffle(senders)
    return senders


def _day(rng: random.Random) -> date:
    return REFERRED_FROM + timedelta(days=int(rng.random() * (REFERRED_TO - REFERRED_FROM).days))


def _written(rng: random.Random, force: Force) -> str:
    """Most forces send their ONS code; some write their name or abbreviation instead."""
    if force.code == SCOTLAND:
        return SCOTLAND
    r = rng.random()
    names = written_names(force)
    if r < 0.78 or not names:
        return force.code
    return names[int((r - 0.78) / 0.22 * len(names))]
