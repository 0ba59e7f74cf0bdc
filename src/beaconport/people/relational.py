"""Relational evidence: who else the two records' referrals name.

In group-based exploitation offenders are referred together, again and again, and analysts tell
namesakes apart by the company they keep. Two records of one role whose fields leave them short
of a link are far more likely one person when their referrals each name someone else, in one
role, whom linkage has already linked across the two referrals (a co-suspect, the same
complainant). This is one more comparison, scored after the fields (collective entity
resolution), with two levels and a null one:

- **a linked person in common**: each referral names another person, in the same role in both,
  linked as one person (the two records' own persons never count);
- **none in common**: both referrals name others, and none is linked across them;
- **not applicable** (no weight): a referral not known (a file without one), both records in
  one referral, or a referral naming no one else.

Its m and u come from the data itself, without labels (``estimate``):

- m, how often one person's two records share a linked person: among the pairs linked on their
  fields alone, in two referrals where it applies, the share that do;
- u, how often two different people's records do: among **namesakes** (the same forename and
  surname once made canonical) with clearly different dates of birth (years two or more apart,
  not one digit mistyped) that the fields did not score as possibly one person, the share that
  do. Namesakes rather than random pairs, so that relatives and associates who share a name and
  offend together (a father and son) count against the evidence as often as they occur.

Each is taken at the cautious end of its 95 % interval (m at the lower, u at the upper), so
few data give a weak factor, and with too few pairs to count on nothing is applied.

Only pairs short of the link threshold whose names agree (the same or a close name, not a
surname or a forename alone: brothers share a surname and are referred together) are looked
at, and only in the same role: a suspect is never linked to a complainant by this. The evidence
can add a link the fields alone could not make, never take one away; it shows in the pair's
evidence (``relational``) with its weight in bits. Links it makes can corroborate other pairs,
so it is applied again, at most ``ROUNDS`` times in all. Ethnicity and nationality play no part.
"""

from __future__ import annotations

import itertools
import math
import random
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from beaconport.people.linkage import Pair

#: The key under which the factor is kept with a run's model (for incremental links).
MODEL_KEY = "relational"
#: The comparison's name in a pair's evidence.
EVIDENCE = "relational"
#: Pairs the fields score from here up to the floor are looked at again where their referrals
#: name one linked person: the evidence can lift them (it is worth some eleven bits on police
#: referrals) and is looked for nowhere else.
LOOK_FROM = 0.01
#: Rounds of corroboration: links made in one round can corroborate pairs in the next.
ROUNDS = 2
#: Fewest pairs each of m and u must be counted on for the evidence to be used at all.
MIN_COUNTED = 20
#: Namesake pairs counted for u, at most: all of a name's pairs, or this many at random.
NAMESAKES_PER_NAME = 50
MOST_NAMESAKES = 500_000
#: The name levels (``model.NAME``) at which two records have "the same or a similar name".
NAME_AGREES = frozenset({
    "same name, another middle name", "exact, middle names too", "exact",
    "same name once variants and nicknames are made one", "forename and surname swapped",
    "forename and surname swapped, spelt closely", "a name or alias in common",
    "one part the same, the other spelt closely", "same forename, a surname part in common",
    "same surname, forename an initial of the other", "same surname, no forename",
})
_Z = 1.96


@dataclass(frozen=True, slots=True)
class Membership:
    """Where a record was named: its referral (any id) and its role there."""

    referral: str
    role: str


@dataclass(frozen=True, slots=True)
class Factor:
    """The comparison's m and u, and what they were counted on."""

    m: float
    u: float
    linked: int = 0  # linked pairs m was counted on
    linked_sharing: int = 0
    namesakes: int = 0  # namesake pairs u was counted on
    namesakes_sharing: int = 0

    def weight(self, shared: bool) -> float:
        """The match weight in bits of sharing a linked person, or of sharing none."""
        if shared:
            return math.log2(self.m / self.u)
        return math.log2((1 - self.m) / (1 - self.u))

    def as_dict(self) -> dict[str, Any]:
        return {"m": self.m, "u": self.u, "linked": self.linked,
                "linked_sharing": self.linked_sharing, "namesakes": self.namesakes,
                "namesakes_sharing": self.namesakes_sharing}

    @classmethod
    def from_dict(cls, found: Mapping[str, Any] | None) -> Factor | None:
        if not found:
            return None
        return cls(float(found["m"]), float(found["u"]), int(found.get("linked", 0)),
                   int(found.get("linked_sharing", 0)), int(found.get("namesakes", 0)),
                   int(found.get("namesakes_sharing", 0)))


def wilson(count: int, total: int) -> tuple[float, float]:
    """The 95 % Wilson interval of a proportion ``count / total``."""
    p = count / total
    centre = p + _Z * _Z / (2 * total)
    spread = _Z * math.sqrt(p * (1 - p) / total + _Z * _Z / (4 * total * total))
    scale = 1 + _Z * _Z / total
    return (centre - spread) / scale, (centre + spread) / scale


class Referrals:
    """The records each referral names, for finding a linked person two referrals share."""

    def __init__(self, membership: Mapping[str, Membership]) -> None:
        self.membership = membership
        self.members: dict[str, list[str]] = defaultdict(list)
        for record, where in membership.items():
            self.members[where.referral].append(record)

    def applies(self, a: str, b: str) -> bool:
        """Whether the comparison applies: both referrals known and different, the same role,
        and each referral naming someone else."""
        left, right = self.membership.get(a), self.membership.get(b)
        return (left is not None and right is not None and left.referral != right.referral
                and left.role == right.role and len(self.members[left.referral]) > 1
                and len(self.members[right.referral]) > 1)

    def shared(self, a: str, b: str, person: Mapping[str, str]) -> tuple[str, str] | None:
        """Two records, one in each referral, of another person in one role there and linked
        as one (the first found), or None. ``person``: each record's person."""
        own = {person.get(a, a), person.get(b, b)}
        left, right = self.membership[a], self.membership[b]
        others: dict[tuple[str, str], str] = {}
        for x in self.members[left.referral]:
            if x != a:
                key = (self.membership[x].role, person.get(x, x))
                if key[1] not in own:
                    others.setdefault(key, x)
        for y in sorted(self.members[right.referral]):
            if y != b:
                found = others.get((self.membership[y].role, person.get(y, y)))
                if found is not None:
                    return found, y
        return None


def estimate(pairs: Sequence[Pair], columns: Mapping[str, Sequence[Any]],
             membership: Mapping[str, Membership], person: Mapping[str, str], *,
             link_at: float, seed: int = 1) -> dict[str, Factor]:
    """Each role's m and u from the data (see the module's docstring); a role whose m or u was
    counted on fewer than ``MIN_COUNTED`` pairs has none (no referrals, too few records, or a
    role whose people are seldom named twice)."""
    referrals = Referrals(membership)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0, 0])
    for p in pairs:
        if p.probability >= link_at and referrals.applies(p.left, p.right):
            count = counts[membership[p.left].role]
            count[0] += 1
            count[1] += referrals.shared(p.left, p.right, person) is not None
    scored = {(p.left, p.right) for p in pairs}
    for a, b in _namesakes(columns, seed):
        if (a, b) not in scored and referrals.applies(a, b):
            count = counts[membership[a].role]
            count[2] += 1
            count[3] += referrals.shared(a, b, person) is not None
    found = {}
    for role, (linked, linked_sharing, namesakes, namesakes_sharing) in sorted(counts.items()):
        if linked < MIN_COUNTED or namesakes < MIN_COUNTED:
            continue
        m = wilson(linked_sharing, linked)[0]
        u = wilson(namesakes_sharing, namesakes)[1]
        if m > u:  # otherwise no evidence either way
            found[role] = Factor(m, u, linked, linked_sharing, namesakes, namesakes_sharing)
    return found


def _namesakes(columns: Mapping[str, Sequence[Any]], seed: int) -> list[tuple[str, str]]:
    """Pairs of records (in order) with the same canonical forename and surname and clearly
    different dates of birth: years two or more apart, and not one digit apart."""
    rng = random.Random(seed)
    by_name: dict[str, list[int]] = defaultdict(list)
    for i, name in enumerate(columns["full_name"]):
        if name and columns["dob_year"][i] is not None:
            by_name[name].append(i)
    ids, years, dates = columns["unique_id"], columns["dob_year"], columns["dob"]
    found: list[tuple[str, str]] = []
    for name in sorted(by_name):
        rows = by_name[name]
        if len(rows) < 2:
            continue
        every = len(rows) * (len(rows) - 1) // 2
        if every <= NAMESAKES_PER_NAME:
            chosen = list(itertools.combinations(rows, 2))
        else:
            drawn = (rng.sample(rows, 2) for _ in range(NAMESAKES_PER_NAME))
            chosen = sorted({(min(d), max(d)) for d in drawn})
        for i, j in chosen:
            if abs(years[i] - years[j]) < 2:
                continue
            if dates[i] and dates[j] and sum(x != y for x, y in zip(dates[i], dates[j],
                                                                     strict=True)) <= 1:
                continue
            a, b = ids[i], ids[j]
            found.append((a, b) if a < b else (b, a))
        if len(found) >= MOST_NAMESAKES:
            break
    return found


def _with(p: Pair, weight: float, label: str) -> Pair:
    total = p.weight + weight
    probability = 1 / (1 + 2 ** -total)
    return replace(p, probability=probability, weight=total,
                   evidence={**p.evidence, EVIDENCE: (label, round(weight, 2))})


def corroborate(pairs: Sequence[Pair], membership: Mapping[str, Membership],
                factors: Mapping[str, Factor],
                persons: Callable[[Sequence[Pair]], Mapping[str, str]], *, link_at: float,
                rounds: int = ROUNDS, person: Mapping[str, str] | None = None,
                below: Callable[[list[tuple[str, str]]], list[Pair]] | None = None,
                ) -> list[Pair]:
    """The pairs with the relational evidence added to those it applies to (below
    ``link_at``, names agreeing, one role with a factor, referrals known). ``persons`` gives
    each record's person from pairs (records joined at ``link_at``, people's decisions
    binding); ``person``, when given, is the first round's, already worked out. ``below`` gives
    the pairs scored below the floor among the record pairs asked for: those whose referrals
    share a linked person are looked at too, and kept only if the evidence lifts them."""
    if not factors or not membership:
        return list(pairs)
    referrals = Referrals(membership)
    current = list(pairs)
    known = {(p.left, p.right) for p in current}

    def eligible(p: Pair) -> bool:
        return (p.probability < link_at and EVIDENCE not in p.evidence
                and p.evidence.get("name", ("",))[0] in NAME_AGREES
                and referrals.applies(p.left, p.right) and membership[p.left].role in factors)

    open_ = {i for i, p in enumerate(current) if eligible(p)}
    lifted: set[int] = set()  # pairs from below the floor: kept only if corroborated
    looked: set[tuple[str, str]] = set()
    for round_ in range(rounds):
        now = person if round_ == 0 and person is not None else persons(current)
        if below is not None:
            wanted = [w for w in _across_linked(referrals, now, looked) if w not in known]
            for p in below(wanted):
                if eligible(p):
                    known.add((p.left, p.right))
                    current.append(p)
                    open_.add(len(current) - 1)
                    lifted.add(len(current) - 1)
        changed = False
        for i in sorted(open_):
            p = current[i]
            found = referrals.shared(p.left, p.right, now)
            if found is not None:
                factor = factors[membership[p.left].role]
                role = membership[found[0]].role
                current[i] = _with(p, factor.weight(True),
                                   f"both referrals name another {role} linked as one person "
                                   f"(records {found[0]} and {found[1]})")
                open_.discard(i)
                changed = True
        if not changed:
            break
    # Pairs left: their referrals share no linked person.
    for i in open_ - lifted:
        none = factors[membership[current[i].left].role].weight(False)
        current[i] = _with(current[i], none, "no other person in both referrals is linked as one")
    return [p for i, p in enumerate(current) if i not in open_ or i not in lifted]


def weigh(pairs: Sequence[Pair], columns: Mapping[str, Sequence[Any]],
          membership: Mapping[str, Membership],
          persons: Callable[[Sequence[Pair]], Mapping[str, str]], *, link_at: float,
          below: Callable[[list[tuple[str, str]]], list[Pair]] | None = None,
          ) -> tuple[list[Pair], dict[str, Factor]]:
    """A full run's relational step: each role's factor estimated on these records and their
    pairs (``estimate``), then applied (``corroborate``)."""
    if not membership:
        return list(pairs), {}
    first = persons(pairs)
    factors = estimate(pairs, columns, membership, first, link_at=link_at)
    return corroborate(pairs, membership, factors, persons, link_at=link_at, person=first,
                       below=below), factors


def _across_linked(referrals: Referrals, person: Mapping[str, str],
                   looked: set[tuple[str, str]]) -> list[tuple[str, str]]:
    """Record pairs (left < right) of one role across two referrals that name one linked
    person (in one role in both): the pairs the evidence could lift. Referral pairs in
    ``looked`` are skipped, and those found are added to it."""
    by_person: dict[tuple[str, str], set[str]] = defaultdict(set)
    for record, where in referrals.membership.items():
        by_person[(where.role, person.get(record, record))].add(where.referral)
    pairs: set[tuple[str, str]] = set()
    for named in by_person.values():
        if len(named) > 1:
            pairs.update(itertools.combinations(sorted(named), 2))
    found = []
    for first, second in sorted(pairs - looked):
        looked.add((first, second))
        for a in referrals.members[first]:
            for b in referrals.members[second]:
                if referrals.membership[a].role == referrals.membership[b].role:
                    found.append((a, b) if a < b else (b, a))
    return found
