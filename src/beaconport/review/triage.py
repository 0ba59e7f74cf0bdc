"""A case's triage priority: points per documented factor, summed, every part shown.

Pure: the facts come in as plain values (``TriageFacts``), which hold nothing about ethnicity or
nationality, so no weight can ever reach them. A test changes a case's ethnicity records and
checks that no score and no order moves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from beaconport.review.weights import FACTORS, Banded, Counted, Flat, TriageWeights


@dataclass(frozen=True, slots=True)
class TriageFacts:
    rape: bool
    #: The youngest complainant's age when the offending began; None: not known.
    youngest_complainant_age: int | None
    suspects: int
    suspects_in_other_referrals: int
    safeguarding_flags: int
    red_flags: int
    #: Whole years since the latest NFA decision; None: no decision is dated.
    years_since_decision: int | None


@dataclass(frozen=True, slots=True)
class Part:
    factor: str
    #: The value as the page shows it ("yes", "14", "3 of 3 counted", "not known").
    value: str
    points: int

    @property
    def meaning(self) -> str:
        return FACTORS[self.factor][1]

    def as_json(self) -> dict[str, Any]:
        return {"factor": self.factor, "value": self.value, "points": self.points}


@dataclass(frozen=True, slots=True)
class Priority:
    score: int
    weights: str
    parts: tuple[Part, ...]

    def breakdown(self) -> list[dict[str, Any]]:
        return [p.as_json() for p in self.parts]


def prioritise(facts: TriageFacts, weights: TriageWeights) -> Priority:
    parts = tuple(_part(name, getattr(facts, name), weights.factors[name])
                  for name in FACTORS)
    return Priority(sum(p.points for p in parts), weights.version, parts)


def _part(name: str, value: Any, factor: Any) -> Part:
    if isinstance(factor, Flat):
        return Part(name, "yes" if value else "no", factor.points if value else 0)
    if isinstance(factor, Counted):
        counted = min(int(value), factor.most)
        shown = str(value) if counted == value else f"{value} ({counted} counted)"
        return Part(name, shown, counted * factor.each)
    assert isinstance(factor, Banded)
    return Part(name, "not known" if value is None else str(value), factor.points_for(value))
