"""Where a referral stands in the operation, and which moves between stands are allowed.

Import puts every new referral at ``awaiting-screening``; screening (and later review) move it
on. Pure: no database, so it is unit-tested on its own.
"""

from __future__ import annotations

AWAITING_SCREENING = "awaiting-screening"
ELIGIBLE = "eligible"
INELIGIBLE = "ineligible"
NEEDS_INFORMATION = "needs-information"

STATUS_LABELS: dict[str, str] = {
    AWAITING_SCREENING: "Awaiting screening",
    ELIGIBLE: "Eligible",
    INELIGIBLE: "Ineligible",
    NEEDS_INFORMATION: "Needs information",
}

_SCREENED = frozenset({ELIGIBLE, INELIGIBLE, NEEDS_INFORMATION})

#: status -> the statuses it may move to. Screening can reach any screened status from any
#: other (a resubmission or a new rule set may change the answer).
TRANSITIONS: dict[str, frozenset[str]] = {
    AWAITING_SCREENING: _SCREENED,
    ELIGIBLE: _SCREENED,
    INELIGIBLE: _SCREENED,
    NEEDS_INFORMATION: _SCREENED,
}

#: A screening decision's status for the referral.
SCREENED_STATUS: dict[str, str] = {
    "eligible": ELIGIBLE, "ineligible": INELIGIBLE, "needs_information": NEEDS_INFORMATION,
}


def can_move(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())
