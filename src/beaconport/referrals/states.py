"""Where a referral stands in the operation, and which moves between stands are allowed.

Import puts every new referral at ``awaiting-screening``; screening moves it on, and allocation
to a reviewer moves an eligible case to ``under-review``. Pure: no database, so it is unit-tested
on its own.
"""

from __future__ import annotations

AWAITING_SCREENING = "awaiting-screening"
ELIGIBLE = "eligible"
INELIGIBLE = "ineligible"
NEEDS_INFORMATION = "needs-information"
UNDER_REVIEW = "under-review"

STATUS_LABELS: dict[str, str] = {
    AWAITING_SCREENING: "Awaiting screening",
    ELIGIBLE: "Eligible",
    INELIGIBLE: "Ineligible",
    NEEDS_INFORMATION: "Needs information",
    UNDER_REVIEW: "Under review",
}

_SCREENED = frozenset({ELIGIBLE, INELIGIBLE, NEEDS_INFORMATION})

#: status -> the statuses it may move to. Screening can reach any screened status from any
#: other (a resubmission or a new rule set may change the answer). Allocation moves an eligible
#: case under review; withdrawing it returns the case to the queue; a case under review that
#: screening now finds ineligible, or lacking information, goes back to screening's answer.
TRANSITIONS: dict[str, frozenset[str]] = {
    AWAITING_SCREENING: _SCREENED,
    ELIGIBLE: _SCREENED | {UNDER_REVIEW},
    INELIGIBLE: _SCREENED,
    NEEDS_INFORMATION: _SCREENED,
    UNDER_REVIEW: frozenset({ELIGIBLE, INELIGIBLE, NEEDS_INFORMATION}),
}

#: A screening decision's status for the referral.
SCREENED_STATUS: dict[str, str] = {
    "eligible": ELIGIBLE, "ineligible": INELIGIBLE, "needs_information": NEEDS_INFORMATION,
}


def can_move(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


def after_screening(current: str, decided: str) -> str:
    """The status a screening decision leaves a referral in: its answer, except that a case
    under review stays under review while screening still finds it eligible."""
    if current == UNDER_REVIEW and decided == ELIGIBLE:
        return UNDER_REVIEW
    return decided
