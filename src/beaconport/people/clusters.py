"""Records into persons: linked pairs joined into groups, bound by people's decisions, and
persons that keep their ids from one run to the next.

Joining is greedy, strongest pair first, so a weak pair can never force together two records a
person has said are different people (cannot-link): a pair whose joining would put such records
in one person is left unjoined, for the clerical queue. Pairs a person has confirmed (must-link)
are joined before any score is looked at.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable


class _Groups:
    def __init__(self, records: Iterable[str]) -> None:
        self.parent = {r: r for r in records}
        self.size = dict.fromkeys(self.parent, 1)
        #: Per group (by its root): the records its members may never be joined with.
        self.apart: dict[str, set[str]] = {}

    def find(self, record: str) -> str:
        root = record
        while self.parent[root] != root:
            root = self.parent[root]
        while self.parent[record] != root:  # path compression
            self.parent[record], record = root, self.parent[record]
        return root

    def allowed(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        return (not any(self.find(x) == rb for x in self.apart.get(ra, ()))
                and not any(self.find(x) == ra for x in self.apart.get(rb, ())))

    def join(self, a: str, b: str) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return
        if self.size[ra] < self.size[rb]:
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.size[ra] += self.size[rb]
        if rb in self.apart:
            self.apart.setdefault(ra, set()).update(self.apart.pop(rb))


def cluster(records: Iterable[str], pairs: Iterable[tuple[str, str, float]], *,
            threshold: float, must: Iterable[tuple[str, str]] = (),
            cannot: Iterable[tuple[str, str]] = ()) -> tuple[dict[str, str], list[tuple[str, str]]]:
    """Each record's group (named by one of its records), and the pairs at or above
    ``threshold`` left apart because people's decisions forbid joining them."""
    groups = _Groups(records)
    for a, b in cannot:
        groups.apart.setdefault(groups.find(a), set()).add(b)
        groups.apart.setdefault(groups.find(b), set()).add(a)
    held: list[tuple[str, str]] = []
    for a, b in must:
        groups.join(a, b)
    for a, b, probability in sorted(pairs, key=lambda p: -p[2]):
        if probability < threshold:
            continue
        if groups.allowed(a, b):
            groups.join(a, b)
        else:
            held.append((a, b))
    return {r: groups.find(r) for r in groups.parent}, held


def keep_ids(groups: dict[str, str], previous: dict[str, str],
             new_id: Callable[[], str]) -> dict[str, str]:
    """Person ids for the groups: each group keeps the id most of its records had (ties to the
    smaller id), each old id goes to one group only (the one with most of its records), and a
    group with no old id, or whose id went elsewhere, gets a new one."""
    members: dict[str, list[str]] = {}
    for record, group in groups.items():
        members.setdefault(group, []).append(record)
    claims: list[tuple[int, str, str]] = []  # (records holding it, id, group)
    for group, records in members.items():
        for person, count in Counter(previous[r] for r in records if r in previous).items():
            claims.append((count, person, group))
    given: dict[str, str] = {}
    taken: set[str] = set()
    for _, person, group in sorted(claims, key=lambda c: (-c[0], c[1], c[2])):
        if group not in given and person not in taken:
            given[group] = person
            taken.add(person)
    for group in members:
        if group not in given:
            given[group] = new_id()
    return {record: given[group] for record, group in groups.items()}

