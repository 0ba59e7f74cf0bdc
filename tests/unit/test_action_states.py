"""The actions' stands and moves, as a table: every move in it leads where it says, every move
not in it is refused with what can happen instead."""

from __future__ import annotations

import pytest

from beaconport.errors import InvalidRequest
from beaconport.review import action_states as st

MOVES = {"allocate", "reallocate", "complete", "result", "check", "return", "file"}
EXPECTED = {
    (st.RAISED, "allocate"): st.ALLOCATED,
    (st.RAISED, "file"): st.FILED,
    (st.ALLOCATED, "reallocate"): st.ALLOCATED,
    (st.ALLOCATED, "complete"): st.COMPLETED,
    (st.COMPLETED, "result"): st.RESULTED,
    (st.RESULTED, "check"): st.QUALITY_CHECKED,
    (st.RESULTED, "return"): st.ALLOCATED,
    (st.QUALITY_CHECKED, "file"): st.FILED,
}


@pytest.mark.parametrize("state", list(st.LABELS))
@pytest.mark.parametrize("name", sorted(MOVES))
def test_every_stand_and_move(state: str, name: str) -> None:
    if (state, name) in EXPECTED:
        assert st.move(state, name).leads_to == EXPECTED[(state, name)]
    else:
        with pytest.raises(InvalidRequest, match="You cannot") as refused:
            st.move(state, name)
        message = str(refused.value)
        if state == st.FILED:
            assert "nothing more happens to it" in message
        else:
            assert "You can" in message


def test_who_makes_each_move() -> None:
    assert {n for (_, n), m in st.TRANSITIONS.items() if m.by == st.HOLDER} == {"complete",
                                                                              "result"}
    assert {st.ALLOCATED, st.COMPLETED} == st.OUTSTANDING
    assert st.move(st.RESULTED, "return").note_at_least == 10
