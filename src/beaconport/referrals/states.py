"""Where a referral stands in the operation, and which moves between stands are allowed.

Import puts every new referral at ``awaiting-screening``; screening (and later review) move it
on. Pure: no database, so it is unit-tested on its own.
"""

from __future__ import annotations

AWAITING_SCREENING = "awaiting-screening"

STATUS_LABELS: dict[str, str] = {
    AWAITING_SCREENING: "Awaiting screening",
}

#: status -> the statuses it may move to.
TRANSITIONS: dict[str, frozenset[str]] = {
    AWAITING_SCREENING: frozenset(),
}


def can_move(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())
