"""Where a referral stands, as a table: screening, allocation and the panel's decision each move
it only where the table allows, and screening never undoes the review while the case is still
eligible."""

from __future__ import annotations

import pytest

from beaconport.referrals import states as s
from beaconport.review.panel import OUTCOMES, STATUS_AFTER


@pytest.mark.parametrize("current", [s.UNDER_REVIEW, *sorted(s.DECIDED)])
def test_screening_keeps_a_case_under_review_or_decided_while_it_is_eligible(
        current: str) -> None:
    assert s.after_screening(current, s.ELIGIBLE) == current
    assert s.after_screening(current, s.INELIGIBLE) == s.INELIGIBLE
    assert s.can_move(current, s.INELIGIBLE) and s.can_move(current, s.NEEDS_INFORMATION)


def test_only_a_case_under_review_or_decided_takes_a_panel_decision() -> None:
    for decided in s.DECIDED:
        assert s.can_move(s.UNDER_REVIEW, decided)
        assert all(s.can_move(other, decided) for other in s.DECIDED)
        for before in (s.AWAITING_SCREENING, s.ELIGIBLE, s.INELIGIBLE, s.NEEDS_INFORMATION):
            assert not s.can_move(before, decided)
    assert not s.can_move(s.REINVESTIGATION, s.UNDER_REVIEW)


def test_every_panel_outcome_leaves_the_case_in_a_decided_status() -> None:
    assert set(STATUS_AFTER) == set(OUTCOMES)
    assert set(STATUS_AFTER.values()) == s.DECIDED
    assert STATUS_AFTER["reinvestigate_local_force"] == s.REINVESTIGATION
    assert STATUS_AFTER["paused_victim_declined"] == s.PAUSED
    assert all(status in s.STATUS_LABELS for status in s.DECIDED)


def test_a_held_case_stays_paused_unless_screening_finds_it_ineligible() -> None:
    for decided in (s.ELIGIBLE, s.NEEDS_INFORMATION):
        assert s.after_screening(s.PAUSED, decided, held=True) == s.PAUSED
    assert s.after_screening(s.PAUSED, s.INELIGIBLE, held=True) == s.INELIGIBLE
    assert s.INELIGIBLE not in s.HOLDABLE
