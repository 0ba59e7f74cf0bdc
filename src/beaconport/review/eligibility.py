"""Who may review a case: the rules allocation applies, as a pure function, so every refusal
has a reason a supervisor can read and a test can check.

A reviewer may be allocated a case only if they hold a reviewing role, carry fewer cases than
their capacity, hold vetting of at least the required level that has not expired, have the
skills the case needs, have never served in the referring force, and have declared no conflict
with the case (for example, having worked on the original investigation).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

#: Vetting levels, lowest first (National Police Personnel Vetting, then national security).
VETTING_LEVELS = ("NPPV2", "NPPV3", "SC", "DV")
#: Case files hold the most sensitive personal data: at least NPPV level 3.
REQUIRED_VETTING = "NPPV3"

SKILLS: dict[str, str] = {
    "rape": "Rape and serious sexual offences (RASSO) investigation",
    "child": "Child abuse investigation, including the youngest children",
    "complex": "Complex cases: many suspects, or suspects seen in other referrals",
    "digital": "Digital and communications evidence",
}
#: Cases with more suspects than this need the "complex" skill.
COMPLEX_SUSPECTS = 4


@dataclass(frozen=True, slots=True)
class Reviewer:
    username: str
    display_name: str
    reviewing_role: bool
    active: bool
    capacity: int
    carrying: int
    skills: frozenset[str]
    vetting: str | None
    vetting_expires_on: date | None
    served_forces: frozenset[str]


@dataclass(frozen=True, slots=True)
class Case:
    force_code: str
    force_name: str
    rape: bool
    youngest_complainant_age: int | None
    suspects: int
    suspects_in_other_referrals: int
    #: Usernames of those who declared a conflict with this case.
    declared_conflicts: frozenset[str] = frozenset()


def needed_skills(case: Case) -> list[str]:
    needed = []
    if case.rape:
        needed.append("rape")
    if case.youngest_complainant_age is not None and case.youngest_complainant_age < 13:
        needed.append("child")
    if case.suspects > COMPLEX_SUSPECTS or case.suspects_in_other_referrals:
        needed.append("complex")
    return needed


def refusals(reviewer: Reviewer, case: Case, today: date) -> list[str]:
    """Every reason this reviewer may not be allocated this case (none: they may)."""
    reasons = []
    if not reviewer.active:
        reasons.append("Their account is disabled.")
    if not reviewer.reviewing_role:
        reasons.append("They do not hold the reviewer or senior reviewer role.")
    if reviewer.vetting is None:
        reasons.append("They have no reviewer profile: record their capacity, skills, vetting "
                       "and the forces they served in first.")
        return reasons
    if reviewer.carrying >= reviewer.capacity:
        reasons.append(f"They already carry {reviewer.carrying} case"
                       f"{'' if reviewer.carrying == 1 else 's'}, their capacity.")
    if VETTING_LEVELS.index(reviewer.vetting) < VETTING_LEVELS.index(REQUIRED_VETTING):
        reasons.append(f"Their vetting ({reviewer.vetting}) is below the {REQUIRED_VETTING} "
                       "these cases need.")
    if reviewer.vetting_expires_on is not None and reviewer.vetting_expires_on < today:
        reasons.append(f"Their vetting expired on {reviewer.vetting_expires_on:%-d %B %Y}.")
    missing = [s for s in needed_skills(case) if s not in reviewer.skills]
    if missing:
        reasons.append("The case needs skills they do not have: "
                       + "; ".join(SKILLS[s].split(",")[0].lower() for s in missing) + ".")
    if case.force_code in reviewer.served_forces:
        reasons.append(f"Conflict of interest: they served in {case.force_name}, the "
                       "referring force.")
    if reviewer.username in case.declared_conflicts:
        reasons.append("Conflict of interest: they declared one with this case.")
    return reasons
