"""Triage weights: how many points each documented factor is worth. They are configuration, kept
as versions (a change is a new version; a score names the version it used), and read from a JSON
document checked completely here, every problem named at once.

Pure: no database. The factors are fixed in code because each needs its own facts; their worth is
data. Ethnicity and nationality are not factors and cannot be made one: a document naming them
is refused.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from importlib import resources
from typing import Any

#: Each factor: its name in the document, its kind, and what it means, as the pages show it.
FACTORS: dict[str, tuple[str, str]] = {
    "rape": ("flat", "An allegation of rape (any crime in the referral)"),
    "youngest_complainant_age": (
        "banded", "The youngest complainant's age when the offending began (the youngest the "
        "records allow)"),
    "suspects": ("counted", "Suspects named in the referral"),
    "suspects_in_other_referrals": (
        "counted", "Suspects the nominal index finds as suspects in other referrals"),
    "safeguarding_flags": ("counted", "Open safeguarding flags on the referral's suspects"),
    "red_flags": ("counted", "Red flags screening raised for the reviewer"),
    "years_since_decision": (
        "banded", "Whole years since the latest NFA decision: recent decisions leave more lines "
        "of inquiry still achievable"),
}
#: Never factors, whatever a document says (they are recorded for statistics only).
FORBIDDEN = frozenset({"ethnicity", "nationality", "self_defined_ethnicity",
                       "officer_observed_ethnicity", "religion"})
_VERSION = re.compile(r"^[a-z0-9][a-z0-9.-]{0,38}$")


class InvalidWeights(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Flat:
    points: int


@dataclass(frozen=True, slots=True)
class Counted:
    each: int
    most: int


@dataclass(frozen=True, slots=True)
class Banded:
    #: (under, points), ``under`` ascending: the first band the value is under gives the points.
    bands: tuple[tuple[int, int], ...]
    unknown: int

    def points_for(self, value: int | None) -> int:
        if value is None:
            return self.unknown
        return next((points for under, points in self.bands if value < under), 0)


Factor = Flat | Counted | Banded


@dataclass(frozen=True, slots=True)
class TriageWeights:
    version: str
    note: str
    factors: dict[str, Factor]

    def document(self) -> dict[str, Any]:
        """The JSON document these weights were read from (as stored)."""
        return {"version": self.version, "note": self.note,
                "factors": {name: _document(factor) for name, factor in self.factors.items()}}


def _document(factor: Factor) -> dict[str, Any]:
    if isinstance(factor, Flat):
        return {"points": factor.points}
    if isinstance(factor, Counted):
        return {"each": factor.each, "most": factor.most}
    return {"bands": [{"under": u, "points": p} for u, p in factor.bands],
            "unknown": factor.unknown}


def default() -> TriageWeights:
    """The weights shipped with Beaconport (the first version)."""
    text = resources.files("beaconport.review").joinpath("data/triage-1.json").read_text()
    return parse(json.loads(text))


def parse_text(text: str) -> TriageWeights:
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise InvalidWeights([f"The weights are not valid JSON: {exc}."]) from exc
    return parse(document)


def parse(document: Any) -> TriageWeights:
    """Weights from a JSON document, or InvalidWeights listing every problem."""
    if not isinstance(document, dict):
        raise InvalidWeights(["The weights must be a JSON object with 'version' and 'factors'."])
    problems: list[str] = []
    version = document.get("version")
    if not isinstance(version, str) or not _VERSION.match(version):
        problems.append("'version' must be a short name of lower-case letters, digits, dots and "
                        "hyphens, such as 'triage-2'.")
    note = document.get("note", "")
    if not isinstance(note, str):
        problems.append("'note' must be text.")
    raw = document.get("factors")
    factors: dict[str, Factor] = {}
    if not isinstance(raw, dict):
        problems.append("'factors' must be an object giving the points of every factor.")
        raw = {}
    for name in raw:
        if name.lower() in FORBIDDEN:
            problems.append(f"'{name}' can never be a triage factor: ethnicity and nationality "
                            "are recorded for statistics only.")
        elif name not in FACTORS:
            problems.append(f"'{name}' is not a triage factor; the factors are "
                            f"{', '.join(FACTORS)}.")
    for name, (kind, _) in FACTORS.items():
        if name not in raw:
            problems.append(f"Factor '{name}' is missing: give it, with 0 points if it should "
                            "not count.")
            continue
        factor = _factor(name, kind, raw[name], problems)
        if factor is not None:
            factors[name] = factor
    if problems:
        raise InvalidWeights(problems)
    assert isinstance(version, str) and isinstance(note, str)
    return TriageWeights(version, note, factors)


def _points(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 1000


def _factor(name: str, kind: str, raw: Any, problems: list[str]) -> Factor | None:
    if not isinstance(raw, dict):
        problems.append(f"Factor '{name}' must be an object.")
        return None
    before = len(problems)
    if kind == "flat":
        if not _points(raw.get("points")):
            problems.append(f"Factor '{name}' needs 'points', a whole number from 0 to 1000.")
        return Flat(raw["points"]) if len(problems) == before else None
    if kind == "counted":
        for key in ("each", "most"):
            if not _points(raw.get(key)):
                problems.append(f"Factor '{name}' needs '{key}', a whole number from 0 to 1000 "
                                "('each': points for each one; 'most': how many count at most).")
        return Counted(raw["each"], raw["most"]) if len(problems) == before else None
    bands = raw.get("bands")
    if not _points(raw.get("unknown")):
        problems.append(f"Factor '{name}' needs 'unknown', the points when the value is not "
                        "known (a whole number from 0 to 1000).")
    parsed: list[tuple[int, int]] = []
    if not isinstance(bands, list) or not bands:
        problems.append(f"Factor '{name}' needs 'bands': a list of {{\"under\": N, "
                        "\"points\": P}, in ascending order of 'under'.")
    else:
        for i, band in enumerate(bands, 1):
            if not (isinstance(band, dict) and _points(band.get("under"))
                    and _points(band.get("points"))):
                problems.append(f"Factor '{name}', band {i}: give 'under' and 'points', whole "
                                "numbers from 0 to 1000.")
            else:
                parsed.append((band["under"], band["points"]))
        if [u for u, _ in parsed] != sorted({u for u, _ in parsed}):
            problems.append(f"Factor '{name}': the bands' 'under' values must rise, each "
                            "different.")
    return Banded(tuple(parsed), raw["unknown"]) if len(problems) == before else None
