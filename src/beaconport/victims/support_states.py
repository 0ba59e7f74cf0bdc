"""A complainant's support for the review, as a table of the moves allowed between states. Pure:
no database, so it is unit-tested on its own.

Everyone starts not yet approached. An approach (or learning that one is impossible) moves them
on; once approached they may support the review, decline, want time (undecided), become
uncontactable, or it may become unsafe to approach them. People change their minds: support can
be withdrawn and given again, and anyone may be approached again, except the dead."""

from __future__ import annotations

NOT_YET_APPROACHED = "not_yet_approached"
APPROACHED = "approached"
SUPPORTS = "supports"
DECLINES = "declines"
UNDECIDED = "undecided"
UNCONTACTABLE = "uncontactable"
APPROACH_UNSAFE = "approach_unsafe"
DECEASED = "deceased"

LABELS: dict[str, str] = {
    NOT_YET_APPROACHED: "Not yet approached",
    APPROACHED: "Approached",
    SUPPORTS: "Supports the review",
    DECLINES: "Declines",
    UNDECIDED: "Undecided",
    UNCONTACTABLE: "Uncontactable",
    APPROACH_UNSAFE: "Approach unsafe",
    DECEASED: "Deceased",
}

#: Answers an approach can bring.
_ANSWERS = frozenset({SUPPORTS, DECLINES, UNDECIDED, UNCONTACTABLE, APPROACH_UNSAFE, DECEASED})

#: state -> the states it may move to.
TRANSITIONS: dict[str, frozenset[str]] = {
    NOT_YET_APPROACHED: frozenset({APPROACHED, UNCONTACTABLE, APPROACH_UNSAFE, DECEASED}),
    APPROACHED: _ANSWERS,
    # A supporter may withdraw (decline, or want to think again); support given stays given
    # when they cannot be reached for a while (the communications log shows that).
    SUPPORTS: frozenset({DECLINES, UNDECIDED, DECEASED}),
    DECLINES: frozenset({APPROACHED, SUPPORTS, DECEASED}),
    UNDECIDED: frozenset({APPROACHED, SUPPORTS, DECLINES, UNCONTACTABLE, APPROACH_UNSAFE,
                          DECEASED}),
    UNCONTACTABLE: frozenset({APPROACHED, APPROACH_UNSAFE, DECEASED}),
    APPROACH_UNSAFE: frozenset({APPROACHED, DECEASED}),
    DECEASED: frozenset(),
}

#: Moves that withdraw support given: the case is held at once.
WITHDRAWALS = frozenset({(SUPPORTS, DECLINES), (SUPPORTS, UNDECIDED)})
#: States in which no one contacts the complainant (so no Victims' Code duty falls due).
NOT_CONTACTED = frozenset({NOT_YET_APPROACHED, UNCONTACTABLE, APPROACH_UNSAFE, DECEASED})


def can_move(current: str, new: str) -> bool:
    return new in TRANSITIONS.get(current, frozenset())


def is_withdrawal(current: str, new: str) -> bool:
    return (current, new) in WITHDRAWALS


def moves_from(current: str) -> list[str]:
    """The states one may record next, in the order the form offers them."""
    return [state for state in LABELS if state in TRANSITIONS.get(current, frozenset())]
