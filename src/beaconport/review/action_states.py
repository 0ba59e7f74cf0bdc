"""Where an action (a line of inquiry) stands, and the moves between stands, as a table, in the
manner of a major incident room: raised, allocated, completed, resulted, quality-checked,
filed. A move not in the table is refused with what can happen instead. Pure, and tested as a
table."""

from __future__ import annotations

from dataclasses import dataclass

from beaconport.errors import InvalidRequest

RAISED = "raised"
ALLOCATED = "allocated"
COMPLETED = "completed"
RESULTED = "resulted"
QUALITY_CHECKED = "quality-checked"
FILED = "filed"

LABELS: dict[str, str] = {
    RAISED: "Raised: waiting to be allocated",
    ALLOCATED: "Allocated",
    COMPLETED: "Completed: waiting for its result",
    RESULTED: "Resulted: waiting for the quality check",
    QUALITY_CHECKED: "Quality-checked: ready to file",
    FILED: "Filed",
}

#: Who may make a move: the national team that manages actions, or whoever holds the action
#: (the force, or the national team, it is allocated to).
MANAGER = "manager"
HOLDER = "holder"


@dataclass(frozen=True, slots=True)
class Move:
    leads_to: str
    by: str
    #: What the page's button says, and what a refusal says cannot be done.
    label: str
    #: The note's least length (0: none needed).
    note_at_least: int = 0


#: (stand, move) -> the move.
TRANSITIONS: dict[tuple[str, str], Move] = {
    (RAISED, "allocate"): Move(ALLOCATED, MANAGER, "allocate it"),
    (RAISED, "file"): Move(FILED, MANAGER, "file it without pursuing it", 10),
    (ALLOCATED, "reallocate"): Move(ALLOCATED, MANAGER, "reallocate it", 10),
    (ALLOCATED, "complete"): Move(COMPLETED, HOLDER, "record the work as done", 10),
    (COMPLETED, "result"): Move(RESULTED, HOLDER, "record its result", 10),
    (RESULTED, "check"): Move(QUALITY_CHECKED, MANAGER, "pass its quality check", 10),
    (RESULTED, "return"): Move(ALLOCATED, MANAGER, "return it for more work", 10),
    (QUALITY_CHECKED, "file"): Move(FILED, MANAGER, "file it"),
}
#: While an action is in these stands its work is outstanding, so a passed due date is overdue.
OUTSTANDING: frozenset[str] = frozenset({ALLOCATED, COMPLETED})


def allowed(state: str) -> list[str]:
    return [move for (stand, move) in TRANSITIONS if stand == state]


def move(state: str, name: str, by: frozenset[str] = frozenset({MANAGER, HOLDER})) -> Move:
    """The move ``name`` from ``state``, or InvalidRequest saying what can happen instead
    (only the moves open to ``by``: whoever is asking)."""
    found = TRANSITIONS.get((state, name))
    if found is None:
        can = [TRANSITIONS[(state, m)].label for m in allowed(state)
               if TRANSITIONS[(state, m)].by in by]
        wanted = next((m.label for (_, n), m in TRANSITIONS.items() if n == name), name)
        raise InvalidRequest(
            f"You cannot {wanted} now: the action is "
            f"{LABELS.get(state, state).split(':')[0].lower()}"
            + (f". You can {' or '.join(can)}." if can else
               ", and nothing more happens to it." if not allowed(state) else
               ": nothing more is yours to do to it now."))
    return found
