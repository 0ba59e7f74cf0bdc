"""Where a structured review stands, and the moves between stands, as a table: a move not in
the table is refused with a message that says what can happen instead. Pure, and tested as a
table."""

from __future__ import annotations

from beaconport.errors import InvalidRequest

IN_PROGRESS = "in-progress"
SUBMITTED = "submitted"
SIGNED_OFF = "signed-off"

LABELS: dict[str, str] = {
    IN_PROGRESS: "In progress",
    SUBMITTED: "Waiting for quality assurance",
    SIGNED_OFF: "Signed off: ready for the panel",
}

#: (stand, action) -> the stand it leads to.
TRANSITIONS: dict[tuple[str, str], str] = {
    (IN_PROGRESS, "submit"): SUBMITTED,
    (SUBMITTED, "sign-off"): SIGNED_OFF,
    (SUBMITTED, "return"): IN_PROGRESS,
}
ACTIONS: dict[str, str] = {
    "submit": "submit it for quality assurance",
    "sign-off": "sign it off",
    "return": "return it to the reviewer",
}


def allowed(state: str) -> list[str]:
    return [action for (stand, action) in TRANSITIONS if stand == state]


def after(state: str, action: str) -> str:
    """The stand ``action`` leads to from ``state``, or InvalidRequest saying why not."""
    found = TRANSITIONS.get((state, action))
    if found is None:
        can = [ACTIONS[a] for a in allowed(state)]
        raise InvalidRequest(
            f"A review that is {LABELS.get(state, state).lower()} cannot "
            f"{ACTIONS.get(action, action)}"
            + (f": you can {' or '.join(can)}." if can else ": nothing more happens to it here."))
    return found
