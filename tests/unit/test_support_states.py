"""A complainant's support for the review, as a table: every move allowed or refused as the
table says, withdrawals are exactly the moves away from support, and the dead stay so."""

from __future__ import annotations

import pytest

from beaconport.victims import support_states as ss

ALL = list(ss.LABELS)
ALLOWED = {(a, b) for a, targets in ss.TRANSITIONS.items() for b in targets}


def test_every_state_has_a_label_and_a_row() -> None:
    assert set(ss.TRANSITIONS) == set(ss.LABELS)
    assert all(t <= set(ss.LABELS) for t in ss.TRANSITIONS.values())


@pytest.mark.parametrize(("current", "new"), [(a, b) for a in ALL for b in ALL])
def test_each_move_is_allowed_only_as_the_table_says(current: str, new: str) -> None:
    assert ss.can_move(current, new) is ((current, new) in ALLOWED)
    assert (new in ss.moves_from(current)) is ((current, new) in ALLOWED)


def test_the_issue_s_path_and_changes_of_mind() -> None:
    assert ss.can_move(ss.NOT_YET_APPROACHED, ss.APPROACHED)
    for answer in (ss.SUPPORTS, ss.DECLINES, ss.UNDECIDED, ss.UNCONTACTABLE,
                   ss.APPROACH_UNSAFE, ss.DECEASED):
        assert ss.can_move(ss.APPROACHED, answer)
    assert not ss.can_move(ss.NOT_YET_APPROACHED, ss.SUPPORTS)  # support needs an approach
    assert ss.can_move(ss.SUPPORTS, ss.DECLINES) and ss.can_move(ss.DECLINES, ss.SUPPORTS)
    assert not ss.can_move(ss.SUPPORTS, ss.UNCONTACTABLE)  # support given stays given
    assert ss.TRANSITIONS[ss.DECEASED] == frozenset() and ss.moves_from(ss.DECEASED) == []
    assert all(ss.can_move(s, ss.DECEASED) for s in ALL if s != ss.DECEASED)


def test_a_withdrawal_is_support_moving_away() -> None:
    withdrawals = {(a, b) for a in ALL for b in ALL if ss.is_withdrawal(a, b)}
    assert withdrawals == {(ss.SUPPORTS, ss.DECLINES), (ss.SUPPORTS, ss.UNDECIDED)}
    assert withdrawals <= ALLOWED
    assert not ss.is_withdrawal(ss.SUPPORTS, ss.DECEASED)
