"""Rule sets: the parameters of the admission criteria, versioned. A changed rule set is a new
version with a new name, never an edit: every stored decision names the version that made it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

#: The criteria, in the order the design note lists them (and the export writes them).
CRITERIA: tuple[str, ...] = (
    "force_in_scope", "nfa_in_window", "group_based", "suspects_alive",
    "not_previously_reviewed", "victim_support", "child_complainant", "sexual_offence",
)

#: How the pages name each criterion.
CRITERION_LABELS: dict[str, str] = {
    "force_in_scope": "Force in scope",
    "nfa_in_window": "No further action, 2010 to March 2025",
    "group_based": "At least two suspects",
    "suspects_alive": "Suspects alive",
    "not_previously_reviewed": "Not reviewed before",
    "victim_support": "Victim supports the review",
    "child_complainant": "Complainant was a child",
    "sexual_offence": "Sexual offence",
}

_SECTION = re.compile(r"(?:S|SECTION)?\s*([0-9]{1,3})([A-Z]?)")


@dataclass(frozen=True, slots=True)
class RuleSet:
    name: str
    window_start: date
    window_end: date
    #: Decisions that are "no further action", and who may have made them.
    nfa_decisions: frozenset[str]
    deciders: frozenset[str]
    min_suspects: int
    min_alive: int
    supporting: frozenset[str]
    #: Complainant states that mean the review will not go ahead for them.
    refusing: frozenset[str]
    adult_age: int
    #: Sexual offences by scheme: section ranges for the Acts, codes for the rest.
    sexual_sections: dict[str, range]
    sexual_codes: dict[str, frozenset[str]]
    rape_sections: dict[str, frozenset[int]]
    rape_codes: dict[str, frozenset[str]]

    def offence_is_sexual(self, scheme: str, code: str) -> bool:
        scheme, code = scheme.upper(), " ".join(code.split()).upper()
        if scheme in self.sexual_sections:
            match = _SECTION.fullmatch(code)
            return match is not None and int(match[1]) in self.sexual_sections[scheme]
        return code in self.sexual_codes.get(scheme, frozenset())

    def offence_is_rape(self, scheme: str, code: str) -> bool:
        scheme, code = scheme.upper(), " ".join(code.split()).upper()
        if scheme in self.rape_sections:
            match = _SECTION.fullmatch(code)
            return (match is not None and not match[2]
                    and int(match[1]) in self.rape_sections[scheme])
        return code in self.rape_codes.get(scheme, frozenset())


_HO_RAPE = frozenset({"19C", "19D", "19E", "19F", "19G", "19H"})

BEACONPORT_2025 = RuleSet(
    name="beaconport-2025",
    window_start=date(2010, 1, 1),
    window_end=date(2025, 3, 31),
    nfa_decisions=frozenset({"nfa_evidential", "nfa_public_interest", "nfa_other",
                             "cps_admin_finalised"}),
    deciders=frozenset({"police", "cps"}),
    min_suspects=2,
    min_alive=2,
    supporting=frozenset({"supports"}),
    refusing=frozenset({"declines", "deceased"}),
    adult_age=18,
    # SOA 2003 Part 1 (ss1–79), SOA 1956 sexual offences (ss1–36), the Home Office
    # sexual-offence classifications, and the other Acts the design note names.
    sexual_sections={"SOA2003": range(1, 80), "SOA1956": range(1, 37)},
    sexual_codes={
        "HOCODE": _HO_RAPE | frozenset({
            "19A", "19B", "17A", "17B", "20A", "20B", "21", "22A", "22B", "23", "70", "71", "72",
            "73", "74", "88A", "88C", "88D", "88E"}),
        "OTHER": frozenset({"PCA1978 S1", "ICA1960 S1", "MSA2015 S2"}),
    },
    rape_sections={"SOA2003": frozenset({1, 5}), "SOA1956": frozenset({1})},
    rape_codes={"HOCODE": _HO_RAPE},
)

RULESETS: dict[str, RuleSet] = {BEACONPORT_2025.name: BEACONPORT_2025}
CURRENT = BEACONPORT_2025
