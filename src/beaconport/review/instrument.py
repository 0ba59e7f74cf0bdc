"""The structured review's instrument: categories A–M of check items, each finding coded the
same way (domain brief §8.2–8.3). Versions are package data files; a review names the version
it used, so a new version never changes a review already begun.

Pure: no database. ``check_finding`` names every problem with a finding at once.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

CURRENT = "csae-nfa-1"

ASSESSMENTS: dict[str, str] = {
    "done_adequately": "Done adequately",
    "done_inadequately": "Done, but inadequately",
    "not_done_available_at_time": "Not done, though available at the time",
    "not_done_not_available": "Not done, and not available at the time",
    "not_applicable": "Not applicable",
    "unknown_no_record": "Unknown: no record",
}
ACHIEVABLE: dict[str, str] = {"yes": "Yes", "partly": "Partly", "no": "No"}
IMPACTS: dict[str, str] = {
    "none": "None", "possible": "Possible", "likely": "Likely",
    "determinative": "Determinative",
}
ERROR_TYPES: dict[str, str] = {
    "human_error": "Human error", "process": "Process", "policy": "Policy",
    "resource": "Resource", "culture_bias": "Culture or bias",
    "misconduct_indicator": "Indicator of misconduct",
}
#: DPA 2018 s38: a finding is a fact from the records, or the reviewer's assessment.
BASES: dict[str, str] = {"fact": "A fact from the records",
                         "assessment": "The reviewer's assessment"}
#: Assessments that are a missed line of inquiry or an error, so need their type and impact.
SHORTFALLS = frozenset({"done_inadequately", "not_done_available_at_time"})
MAX_NOTES = 8000


@dataclass(frozen=True, slots=True)
class Item:
    code: str
    title: str


@dataclass(frozen=True, slots=True)
class Category:
    code: str
    title: str
    items: tuple[Item, ...]


@dataclass(frozen=True, slots=True)
class Instrument:
    version: str
    title: str
    categories: tuple[Category, ...]

    def item(self, code: str) -> Item | None:
        return next((i for c in self.categories for i in c.items if i.code == code), None)

    @property
    def item_count(self) -> int:
        return sum(len(c.items) for c in self.categories)


@cache
def load(version: str = CURRENT) -> Instrument:
    try:
        text = resources.files("beaconport.review").joinpath(
            f"data/instrument-{version}.json").read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise LookupError(f"There is no review instrument {version!r}.") from exc
    raw = json.loads(text)
    return Instrument(raw["version"], raw["title"], tuple(
        Category(c["code"], c["title"], tuple(Item(i["code"], i["title"]) for i in c["items"]))
        for c in raw["categories"]))


@dataclass(frozen=True, slots=True)
class FindingInput:
    assessment: str
    basis: str
    notes: str = ""
    evidence: tuple[str, ...] = ()
    achievable: str | None = None
    impact: str | None = None
    error_type: str | None = None


def check_finding(finding: FindingInput) -> list[tuple[str, str]]:
    """(field, problem) for everything wrong with a finding; none: it can be saved."""
    problems = []
    if finding.assessment not in ASSESSMENTS:
        problems.append(("assessment", "Choose what the records show for this check."))
    if finding.basis not in BASES:
        problems.append(("basis", "Say whether this is a fact from the records or your "
                         "assessment."))
    if len(finding.notes) > MAX_NOTES:
        problems.append(("notes", f"Keep the notes to {MAX_NOTES:,} characters: these have "
                         f"{len(finding.notes):,}."))
    for name, value, allowed in (("achievable", finding.achievable, ACHIEVABLE),
                                 ("impact", finding.impact, IMPACTS),
                                 ("error_type", finding.error_type, ERROR_TYPES)):
        if value is not None and value not in allowed:
            problems.append((name, "Choose one of the options."))
    if finding.assessment in SHORTFALLS:
        if finding.achievable is None:
            problems.append(("achievable", "Say whether it is still achievable now."))
        if finding.impact is None:
            problems.append(("impact", "Say what it did to the decision to take no further "
                             "action."))
        if finding.error_type is None:
            problems.append(("error_type", "Say what kind of error it was."))
    return problems


def as_json(finding: FindingInput) -> dict[str, Any]:
    return {"assessment": finding.assessment, "basis": finding.basis, "notes": finding.notes,
            "evidence": list(finding.evidence), "achievable": finding.achievable,
            "impact": finding.impact, "error_type": finding.error_type}
