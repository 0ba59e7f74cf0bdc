"""The blind second review stays blind on both engines: while it is in progress its reviewer
meets nothing that came from the first review (actions raised from it, QA notes on the case's
story), no new action can be raised, the first reviewer cannot follow the second review even as
a senior reviewer, and the first review cannot be sent back and changed under the comparison."""

from __future__ import annotations

import threading
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.integration.test_allocation import _id, _reviewer
from tests.integration.test_blind_review import _fill
from tests.integration.test_structured_review import _principal, _signed_off

from beaconport.auth.permissions import Role
from beaconport.db import session_scope
from beaconport.errors import InvalidRequest, NotFound
from beaconport.review import action_queries, actions, blind, conduct, timeline
from beaconport.review.instrument import FindingInput
from beaconport.review.models import ReviewAction

RETURN_NOTE = "Add what the phone records show to item C2."


def _raise(url: str, referral_id: uuid.UUID, title: str) -> uuid.UUID:
    with session_scope(url) as session:
        return actions.raise_action(session, actor="author", referral_id=referral_id,
                                    title=title, detail="Trace the second phone's subscriber.",
                                    priority="high", finding_item="C2")


def test_the_second_reviewer_sees_nothing_of_the_first_review_until_they_submit(
        db_url: str, tmp_path: Path) -> None:
    with session_scope(db_url) as session:
        blind.set_sample(session, actor="test", percent=100, note="Every review this month.")
    review_id = _signed_off(db_url, tmp_path, "WYP/BB/01")
    referral_id = _id(db_url, "WYP/BB/01")
    _reviewer(db_url, "second")
    author = _principal(db_url, "author")
    checker = _principal(db_url, "checker", Role.SENIOR_REVIEWER)
    second = _principal(db_url, "second")
    with session_scope(db_url) as session:
        conduct.submit(session, principal=author, actor="author", review_id=review_id)
    action_id = _raise(db_url, referral_id, "Trace the second phone")
    # Returned before anyone was given the blind review: that is still allowed.
    with session_scope(db_url) as session:
        conduct.quality_assure(session, principal=checker, actor="checker",
                               review_id=review_id, sign_off=False, note=RETURN_NOTE)
        conduct.submit(session, principal=author, actor="author", review_id=review_id)
        second_id = blind.assign(session, actor="checker", review_id=review_id,
                                 username="second")

    with session_scope(db_url) as session:
        assert action_queries.listed(session, second, action_queries.ActionFilter()).total == 0
        assert action_queries.overdue_count(session, second) == 0
        with pytest.raises(NotFound):
            action_queries.one(session, second, action_id)
        with pytest.raises(NotFound, match="blind second review"):
            action_queries.of_case(session, second, referral_id)
        told = timeline.story(session, second, referral_id)
        assert not [m for m in told if m.stage == "Action"]
        assert RETURN_NOTE not in {m.detail for m in told}
        full = timeline.story(session, checker, referral_id)
        assert [m for m in full if m.stage == "Action"]
        assert RETURN_NOTE in {m.detail for m in full}
        assert action_queries.listed(session, checker, action_queries.ActionFilter()).total == 1
    with pytest.raises(InvalidRequest, match="blind second review of this case is in progress"):
        _raise(db_url, referral_id, "Another line")

    # The first reviewer, even as a senior reviewer, cannot follow the second review.
    with session_scope(db_url) as session, pytest.raises(NotFound):
        conduct.sheet(session, _principal(db_url, "author", Role.SENIOR_REVIEWER), second_id)
    with session_scope(db_url) as session:
        assert conduct.sheet(session, checker, second_id).status == "in-progress"
    # Nor can the first review go back to be changed under the comparison.
    with session_scope(db_url) as session, pytest.raises(InvalidRequest, match="in progress"):
        conduct.quality_assure(session, principal=checker, actor="checker",
                               review_id=review_id, sign_off=False, note=RETURN_NOTE)

    _fill(db_url, "second", second_id, {})
    with session_scope(db_url) as session:
        conduct.submit(session, principal=second, actor="second", review_id=second_id)
    with session_scope(db_url) as session:
        assert action_queries.listed(session, second, action_queries.ActionFilter()).total == 1
        assert [m for m in timeline.story(session, second, referral_id) if m.stage == "Action"]
    assert _raise(db_url, referral_id, "Another line")


def test_a_review_with_unresolved_disagreements_is_not_returned(db_url: str,
                                                                tmp_path: Path) -> None:
    with session_scope(db_url) as session:
        blind.set_sample(session, actor="test", percent=100, note="Every review this month.")
    review_id = _signed_off(db_url, tmp_path, "WYP/BB/02")
    _reviewer(db_url, "second")
    checker = _principal(db_url, "checker", Role.SENIOR_REVIEWER)
    with session_scope(db_url) as session:
        conduct.submit(session, principal=_principal(db_url, "author"), actor="author",
                       review_id=review_id)
        second_id = blind.assign(session, actor="checker", review_id=review_id,
                                 username="second")
    _fill(db_url, "second", second_id, {"B4": FindingInput(
        assessment="done_inadequately", basis="assessment", notes="Partly done.",
        achievable="yes", impact="possible", error_type="process")})
    with session_scope(db_url) as session:
        conduct.submit(session, principal=_principal(db_url, "second"), actor="second",
                       review_id=second_id)
    with session_scope(db_url) as session, pytest.raises(InvalidRequest, match="1 item"):
        conduct.quality_assure(session, principal=checker, actor="checker",
                               review_id=review_id, sign_off=False, note=RETURN_NOTE)
    with session_scope(db_url) as session:
        (found,) = blind.comparison(session, checker, review_id).disagreements
        blind.resolve(session, principal=checker, actor="checker", disagreement_id=found.id,
                      resolution="first", note="The records show no B4 shortfall.")
        conduct.quality_assure(session, principal=checker, actor="checker",
                               review_id=review_id, sign_off=False, note=RETURN_NOTE)


def test_two_actions_raised_at_once_take_the_next_numbers(db_url: str, tmp_path: Path) -> None:
    if not db_url.startswith("postgresql"):
        pytest.skip("SQLite lets one writer in at a time: the race needs PostgreSQL")
    pg_url = db_url
    _signed_off(pg_url, tmp_path, "WYP/BB/03")
    referral_id = _id(pg_url, "WYP/BB/03")
    numbers: list[int] = []
    failures: list[BaseException] = []

    def other() -> None:
        try:
            action = _raise(pg_url, referral_id, "Raised by the second person")
            with session_scope(pg_url) as session:
                numbers.append(session.scalar(select(ReviewAction.number)
                                              .where(ReviewAction.id == action)) or 0)
        except BaseException as exc:  # reported to the test below
            failures.append(exc)

    with session_scope(pg_url) as session:
        first = actions.raise_action(session, actor="author", referral_id=referral_id,
                                     title="Raised by the first person",
                                     detail="Trace the second phone's subscriber.",
                                     priority="high", finding_item="C2")
        racer = threading.Thread(target=other)
        racer.start()
        racer.join(timeout=1.0)
        assert racer.is_alive(), "the second raise should wait for the first to commit"
        numbers.append(session.scalar(select(ReviewAction.number)
                                      .where(ReviewAction.id == first)) or 0)
    racer.join(timeout=30)
    assert not failures, failures
    assert sorted(numbers) == [1, 2]
