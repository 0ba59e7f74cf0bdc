"""Where a referral stands in the operation, and which moves between stands are allowed.

Import puts every new referral at ``awaiting-screening``; screening moves it on, allocation to a
reviewer moves an eligible case to ``under-review``, and the panel's decision on its review to
``reinvestigation``, ``reviewed`` or ``paused``. A complainant withdrawing support holds the case
at ``paused`` from wherever it stood, and lifting the hold returns it there. Pure: no database,
so it is unit-tested on its own.
"""

from __future__ import annotations

AWAITING_SCREENING = "awaiting-screening"
ELIGIBLE = "eligible"
INELIGIBLE = "ineligible"
NEEDS_INFORMATION = "needs-information"
UNDER_REVIEW = "under-review"
REINVESTIGATION = "reinvestigation"
REVIEWED = "reviewed"
PAUSED = "paused"

STATUS_LABELS: dict[str, str] = {
    AWAITING_SCREENING: "Awaiting screening",
    ELIGIBLE: "Eligible",
    INELIGIBLE: "Ineligible",
    NEEDS_INFORMATION: "Needs information",
    UNDER_REVIEW: "Under review",
    REINVESTIGATION: "Reinvestigation",
    REVIEWED: "Reviewed: no reinvestigation",
    PAUSED: "Paused: the victim declined",
}

_SCREENED = frozenset({ELIGIBLE, INELIGIBLE, NEEDS_INFORMATION})
#: Where the panel's decision leaves a case; a later decision may move it to another.
DECIDED = frozenset({REINVESTIGATION, REVIEWED, PAUSED})

#: Where a hold may pause a case from: anywhere but ineligible (nothing proceeds there anyway).
#: A hold is not a move in the table below: it sets the case aside where it stood, and lifting
#: it puts the case back there.
HOLDABLE = frozenset({AWAITING_SCREENING, ELIGIBLE, NEEDS_INFORMATION, UNDER_REVIEW,
                      REINVESTIGATION, REVIEWED})

#: status -> the statuses it may move to. Screening can reach any screened status from any
#: other (a resubmission or a new rule set may change the answer). Allocation moves an eligible
#: case under review; withdrawing it returns the case to the queue; a case under review (or
#: decided) that screening now finds ineligible, or lacking information, goes back to
#: screening's answer. The panel's decision moves a case under review to what it decided, and a
#: later decision from one decided status to another.
TRANSITIONS: dict[str, frozenset[str]] = {
    AWAITING_SCREENING: _SCREENED,
    ELIGIBLE: _SCREENED | {UNDER_REVIEW},
    INELIGIBLE: _SCREENED,
    NEEDS_INFORMATION: _SCREENED,
    UNDER_REVIEW: _SCREENED | DECIDED,
    REINVESTIGATION: _SCREENED | DECIDED,
    REVIEWED: _SCREENED | DECIDED,
    PAUSED: _SCREENED | DECIDED,
}

#: A screening decision's status for the referral.
SCREENED_STATUS: dict[str, str] = {
    "eligible": ELIGIBLE, "ineligible": INELIGIBLE, "needs_information": NEEDS_INFORMATION,
}


def can_move(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


def after_screening(current: str, decided: str, *, held: bool = False) -> str:
    """The status a screening decision leaves a referral in: its answer, except that a case
    under review, or decided on by the panel, stays so while screening still finds it
    eligible, and a held case stays paused unless screening finds it ineligible."""
    if held and decided != INELIGIBLE:
        return current
    if (current == UNDER_REVIEW or current in DECIDED) and decided == ELIGIBLE:
        return current
    return decided
