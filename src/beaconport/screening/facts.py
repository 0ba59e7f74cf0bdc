"""What screening looks at, as plain values: a referral's current version, read from the store
(the facts the force sent) plus what the review knows (the prior-review register).

People, crimes and decisions are not frozen: hundreds of thousands are made per run, and a frozen
dataclass sets each field the slow way. Nothing changes them after they are read.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(slots=True)
class Person:
    ref: str
    role: str
    alive_status: str | None = None
    review_support: str | None = None
    age_at_first_offence: int | None = None
    date_of_birth: str | None = None
    interview: str | None = None
    #: The support is the review's own record (its victim liaison officers'), not the force's:
    #: the force is not asked about it.
    support_by_review: bool = False


@dataclass(slots=True)
class Crime:
    crime_reference: str
    offence_scheme: str
    offence_code: str
    #: From the reference data: None when the offence code is not recognised.
    recognised: bool
    offence_from: str | None = None
    offence_to: str | None = None
    recorded_on: str | None = None
    outcome_code: str | None = None
    complainants: tuple[str, ...] = ()


@dataclass(slots=True)
class Decision:
    suspect: str
    decided_by: str
    decision: str
    decided_on: str | None = None
    outcome_code: str | None = None
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class ReferralFacts:
    force_code: str
    force_name: str
    #: True for the 43 territorial forces and BTP; False for a known force outside scope.
    force_in_scope: bool
    force_reference: str
    #: The referral version these facts come from.
    version: int = 1
    people: tuple[Person, ...] = ()
    crimes: tuple[Crime, ...] = ()
    decisions: tuple[Decision, ...] = ()
    #: Previous reviews the referral itself records.
    previous_reviews: int = 0
    #: Entries of the prior-review register that match this case.
    register_matches: tuple[str, ...] = field(default_factory=tuple)

    def in_role(self, role: str) -> list[Person]:
        return [p for p in self.people if p.role == role]
