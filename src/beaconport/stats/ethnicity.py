"""A person's ethnicity for statistics: the best available value by rule, mapped across schemes,
and whether it was recorded at all (domain brief §4). Pure.

- **The rule.** Of everything recorded for the person (every record of them the nominal index
  links, each observation kept as it was sent), a value given by the person themselves
  (self-defined) beats one an officer observed, which beats one from another record (third
  party); among equals the latest recorded wins, then the first listed. A code that means "not
  stated" is never the best value while any other is known.
- **Never inferred.** Nothing here, or anywhere, guesses an ethnicity from a name or anything
  else: a person with nothing recorded is counted as *not recorded*.
- **Mapping.** Each recognised code is mapped to the 18+1 self-defined categories where a mapping
  exists (an officer-observed IC code has none: it is shown in the 5 groups only) and to the 5
  groups (White, Mixed, Asian, Black, Other), with the scheme it came from kept, so every table
  can show the mapping it used.
- **Completeness** is a figure in its own right: recorded, not stated, or not recorded.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

SELF_DEFINED, OFFICER_OBSERVED, THIRD_PARTY = "self_defined", "officer_observed", "third_party"
BASIS_ORDER = {SELF_DEFINED: 0, OFFICER_OBSERVED: 1, THIRD_PARTY: 2}
RECORDED, NOT_STATED, NOT_RECORDED = "recorded", "not-stated", "not-recorded"
COMPLETENESS_LABELS = {RECORDED: "Recorded", NOT_STATED: "Not stated",
                       NOT_RECORDED: "Not recorded"}
FIVE_GROUPS = ("White", "Mixed", "Asian", "Black", "Other")
SDE18_SCHEME = "SDE18+1"


@dataclass(frozen=True, slots=True)
class Code:
    """A code of the reference data: its label, its 5-group, and its 18+1 equivalent."""

    label: str
    five_group: str
    sde18: str | None
    means_not_stated: bool


@dataclass(frozen=True, slots=True)
class Observation:
    scheme: str
    code: str | None
    basis: str
    recorded_on: str | None = None
    #: The order the record listed it in.
    position: int = 0


@dataclass(frozen=True, slots=True)
class Best:
    completeness: str
    scheme: str | None = None
    code: str | None = None
    basis: str | None = None
    five_group: str | None = None
    sde18: str | None = None


NOTHING = Best(NOT_RECORDED)


def best(observations: Iterable[Observation], codes: Mapping[tuple[str, str], Code]) -> Best:
    """The person's best available ethnicity (see the module's rule). One pass: it runs for
    every person and every record in a publication."""
    if not observations:  # most people: nothing recorded (a list or tuple)
        return NOTHING
    chosen: tuple[Observation, Code] | None = None
    rank, latest, position = 0, "", 0
    not_stated = False
    for o in observations:
        found = codes.get((o.scheme, o.code or ""))
        if found is None:
            continue  # an unrecognised code tells nothing a table can count
        if found.means_not_stated:
            not_stated = True
            continue
        r, at = BASIS_ORDER.get(o.basis, len(BASIS_ORDER)), o.recorded_on or ""
        # Better basis; then, among equals, the latest recorded; then the first listed.
        if chosen is None or r < rank or (r == rank and (
                at > latest or (at == latest and o.position < position))):
            chosen, rank, latest, position = (o, found), r, at, o.position
    if chosen is None:
        return Best(NOT_STATED if not_stated else NOT_RECORDED)
    o, c = chosen
    return Best(RECORDED, o.scheme, o.code, o.basis, c.five_group, c.sde18)


def completeness(found: Iterable[Best]) -> dict[str, int]:
    counted = {RECORDED: 0, NOT_STATED: 0, NOT_RECORDED: 0}
    for b in found:
        counted[b.completeness] += 1
    return counted


@dataclass(frozen=True, slots=True)
class Category:
    """One of the 18+1 self-defined categories (from the reference data)."""

    code: str
    label: str
    five_group: str


def subtotal(group: str) -> str:
    return f"{group} (all)"


def no_equivalent(group: str) -> str:
    return f"{group}: recorded in a scheme with no 18+1 equivalent"


def detailed(found: Iterable[Best], categories: Iterable[Category]
             ) -> tuple[tuple[str, ...], tuple[int, ...], dict[int, tuple[int, ...]]]:
    """Persons by the 18+1 categories under their 5 groups: each group's row (a subtotal), its
    categories, and a row for values whose scheme has no 18+1 equivalent (an officer-observed
    IC code, say); then not stated and not recorded. Rows, counts, and each subtotal's rows."""
    found = list(found)
    by_code = Counter(b.sde18 for b in found if b.completeness == RECORDED and b.sde18)
    unmapped = Counter(b.five_group for b in found if b.completeness == RECORDED and not b.sde18)
    rows: list[str] = []
    counts: list[int] = []
    groups: dict[int, tuple[int, ...]] = {}
    listed = list(categories)
    for group in FIVE_GROUPS:
        at = len(rows)
        members = [c for c in listed if c.five_group == group]
        rows.append(subtotal(group))
        counts.append(0)
        for c in members:
            rows.append(c.label)
            counts.append(by_code[c.code])
        rows.append(no_equivalent(group))
        counts.append(unmapped[group])
        groups[at] = tuple(range(at + 1, len(rows)))
        counts[at] = sum(counts[i] for i in groups[at])
    counted = completeness(found)
    rows += ["Not stated", "Not recorded"]
    counts += [counted[NOT_STATED], counted[NOT_RECORDED]]
    return tuple(rows), tuple(counts), groups


def by_scheme(observed: Iterable[Iterable[Observation]], codes: Mapping[tuple[str, str], Code],
              schemes: Iterable[str]) -> dict[str, dict[str, int]]:
    """Completeness per scheme: for each scheme, how many persons have a value recorded in it,
    only "not stated" in it, or nothing in it."""
    wanted = list(schemes)
    counted = {s: {RECORDED: 0, NOT_STATED: 0, NOT_RECORDED: 0} for s in wanted}
    people = 0
    for person in observed:
        people += 1
        if not person:
            continue  # most people: nothing in any scheme (counted below)
        own: dict[str, list[Observation]] = {}
        for o in person:
            own.setdefault(o.scheme, []).append(o)
        for scheme, listed in own.items():
            if scheme in counted:
                counted[scheme][best(listed, codes).completeness] += 1
    for scheme in wanted:
        counted[scheme][NOT_RECORDED] = people - counted[scheme][RECORDED] \
            - counted[scheme][NOT_STATED]
    return counted
