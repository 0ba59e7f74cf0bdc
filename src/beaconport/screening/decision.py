"""A referral's screening decision: every criterion, the decision they add up to, what is
missing, the rape marker and the red flags (design/screening.md). Pure."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from beaconport.screening.criteria import CHECKS, Result
from beaconport.screening.facts import ReferralFacts
from beaconport.screening.rules import RuleSet

Outcome = Literal["eligible", "ineligible", "needs_information"]

#: Outcomes that close a case without a charge but that reviewers should question on CSE.
_QUESTIONABLE_OUTCOMES = frozenset({"21", "22"})


@dataclass(frozen=True, slots=True)
class Screening:
    ruleset: str
    decision: Outcome
    results: tuple[Result, ...]
    involves_rape: bool
    red_flags: tuple[str, ...]

    @property
    def failed(self) -> tuple[str, ...]:
        return tuple(r.criterion for r in self.results if r.verdict == "fail")

    @property
    def unknown(self) -> tuple[str, ...]:
        return tuple(r.criterion for r in self.results if r.verdict == "unknown")

    @property
    def missing(self) -> tuple[str, ...]:
        """The facts to ask the force for (only when the decision is needs_information)."""
        return tuple(m for r in self.results for m in r.missing) if (
            self.decision == "needs_information") else ()


def red_flags(facts: ReferralFacts) -> tuple[str, ...]:
    flags = []
    outcomes = {c.outcome_code for c in facts.crimes} | {d.outcome_code for d in facts.decisions}
    for code in sorted(_QUESTIONABLE_OUTCOMES.intersection(outcomes)):
        flags.append(f"Outcome {code} used on a child sexual exploitation case.")
    for d in facts.decisions:
        if d.decision == "cps_admin_finalised":
            flags.append(f"The CPS administratively finalised the case of suspect {d.suspect}: "
                         "not a prosecutorial decision (often an unanswered action plan).")
        if d.outcome_code == "16" and not (d.reason or "").strip():
            flags.append(f"Suspect {d.suspect}: victim withdrew support (outcome 16), with no "
                         "reasons recorded.")
    for p in facts.in_role("suspect"):
        if p.interview == "not_interviewed":
            flags.append(f"Suspect {p.ref} was never interviewed.")
    return tuple(flags)


def screen(facts: ReferralFacts, rules: RuleSet) -> Screening:
    results = tuple(check(facts, rules) for check in CHECKS.values())
    verdicts = {r.verdict for r in results}
    decision: Outcome = ("ineligible" if "fail" in verdicts else
                         "needs_information" if "unknown" in verdicts else "eligible")
    rape = any(rules.offence_is_rape(c.offence_scheme, c.offence_code) for c in facts.crimes)
    return Screening(rules.name, decision, results, rape, red_flags(facts))
