"""The blind second review on both engines: a configurable share of reviews is drawn on first
submission; the second reviewer works blind; disagreements are recorded, resolved by a third
senior reviewer, and sign-off waits for them."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from tests.integration.conftest import Seeded
from tests.integration.test_allocation import _id, _reviewer
from tests.integration.test_structured_review import GOOD, _principal, _signed_off

from beaconport.auth.permissions import Role
from beaconport.db import session_scope
from beaconport.errors import Conflict, InvalidRequest, NotFound
from beaconport.review import blind, conduct
from beaconport.review.instrument import FindingInput, load
from beaconport.review.models import CaseReview, ReviewFinding


def _fill(url: str, username: str, review_id: object, differ: dict[str, FindingInput]) -> None:
    who = _principal(url, username)
    with session_scope(url) as session:
        for category in load().categories:
            for item in category.items:
                conduct.save_finding(session, principal=who, actor=username,
                                     review_id=review_id, item=item.code, revision=0,
                                     finding=differ.get(item.code, GOOD if item.code == "C2"
                                                        else FindingInput(
                                                            assessment="not_applicable",
                                                            basis="fact")))


def test_a_drawn_review_waits_for_its_blind_second_review_and_resolved_disagreements(
        db_url: str, tmp_path: Path) -> None:
    with session_scope(db_url) as session:
        with pytest.raises(InvalidRequest, match="0 to 100"):
            blind.set_sample(session, actor="test", percent=101, note="Everything, always.")
        with pytest.raises(InvalidRequest, match="why the share changes"):
            blind.set_sample(session, actor="test", percent=50, note="")
        blind.set_sample(session, actor="test", percent=100, note="Every review this month.")
    review_id = _signed_off(db_url, tmp_path, "WYP/B/01")
    _reviewer(db_url, "second")
    _reviewer(db_url, "third")
    author, checker = _principal(db_url, "author"), _principal(db_url, "checker",
                                                               Role.SENIOR_REVIEWER)
    second = _principal(db_url, "second")
    with session_scope(db_url) as session:
        conduct.submit(session, principal=author, actor="author", review_id=review_id)
        assert [d.review_id for d in blind.waiting_for_second(session)] == [review_id]
    with session_scope(db_url) as session, pytest.raises(InvalidRequest, match="drawn"):
        conduct.quality_assure(session, principal=checker, actor="checker",
                               review_id=review_id, sign_off=True, note="Looks complete.")
    with session_scope(db_url) as session, pytest.raises(InvalidRequest, match="someone else"):
        blind.assign(session, actor="checker", review_id=review_id, username="author")
    with session_scope(db_url) as session:
        second_id = blind.assign(session, actor="checker", review_id=review_id,
                                 username="second")
    with session_scope(db_url) as session, pytest.raises(Conflict):
        blind.assign(session, actor="checker", review_id=review_id, username="third")

    # Blind both ways while the second review is in progress.
    with session_scope(db_url) as session:
        with pytest.raises(NotFound):
            conduct.sheet(session, second, review_id)
        with pytest.raises(NotFound):
            conduct.sheet(session, author, second_id)
        assert blind.comparison(session, checker, review_id).disagreements == []
        with pytest.raises(InvalidRequest, match="Only the reviewer"):
            conduct.save_finding(session, principal=checker, actor="checker",
                                 review_id=second_id, item="A1", revision=0, finding=GOOD)
    differs = {"C2": FindingInput(assessment="done_inadequately", basis="assessment",
                                  notes="Interviewed, but without the phone evidence.",
                                  achievable="yes", impact="possible", error_type="process"),
               "B4": GOOD}
    _fill(db_url, "second", second_id, differs)
    with session_scope(db_url) as session, pytest.raises(InvalidRequest, match="in progress"):
        conduct.quality_assure(session, principal=checker, actor="checker",
                               review_id=review_id, sign_off=True, note="Looks complete.")
    with session_scope(db_url) as session:
        conduct.submit(session, principal=second, actor="second", review_id=second_id)
        found = blind.comparison(session, checker, review_id)
        assert conduct.sheet(session, author, second_id).status == "submitted"
    assert [d.item for d in found.disagreements] == ["B4", "C2"] and found.may_resolve
    assert found.disagreements[1].first["assessment"] == "not_done_available_at_time"
    assert found.disagreements[1].second["assessment"] == "done_inadequately"
    with session_scope(db_url) as session, pytest.raises(InvalidRequest, match="2 items"):
        conduct.quality_assure(session, principal=checker, actor="checker",
                               review_id=review_id, sign_off=True, note="Looks complete.")
    b4, c2 = (d.id for d in found.disagreements)
    with session_scope(db_url) as session, pytest.raises(InvalidRequest, match="neither"):
        blind.resolve(session, principal=_principal(db_url, "second", Role.SENIOR_REVIEWER),
                      actor="second", disagreement_id=c2, resolution="second",
                      note="My own view is right.")
    with session_scope(db_url) as session:
        blind.resolve(session, principal=checker, actor="checker", disagreement_id=c2,
                      resolution="second", note="The phone evidence shows it was attempted.")
        blind.resolve(session, principal=checker, actor="checker", disagreement_id=b4,
                      resolution="first", note="The records show no B4 shortfall.")
        with pytest.raises(Conflict):
            blind.resolve(session, principal=checker, actor="checker", disagreement_id=b4,
                          resolution="second", note="Changed my mind on this one.")
        kept = session.scalar(select(ReviewFinding).where(ReviewFinding.review_id == review_id,
                                                          ReviewFinding.item == "C2"))
        assert kept is not None and kept.assessment == "done_inadequately"
        assert kept.revision == 2 and kept.saved_by == "checker"
        conduct.quality_assure(session, principal=checker, actor="checker",
                               review_id=review_id, sign_off=True, note="Complete, and "
                               "the blind review's points are resolved.")
        assert conduct.review_of(session, _id(db_url, "WYP/B/01")) == review_id
        with pytest.raises(InvalidRequest, match="not signed off"):
            conduct.quality_assure(session, principal=checker, actor="checker",
                                   review_id=second_id, sign_off=True, note="Also this one.")


def test_no_review_is_drawn_when_the_share_is_none(db_url: str, tmp_path: Path) -> None:
    with session_scope(db_url) as session:
        blind.set_sample(session, actor="test", percent=0, note="Paused for the audit.")
    review_id = _signed_off(db_url, tmp_path, "WYP/B/02")
    with session_scope(db_url) as session:
        conduct.submit(session, principal=_principal(db_url, "author"), actor="author",
                       review_id=review_id)
        drawn = session.scalar(select(CaseReview.blind_sample)
                               .where(CaseReview.id == review_id))
        assert drawn is False and blind.waiting_for_second(session) == []
        assert blind.sample_rule(session).percent == 0


def test_supervisors_set_the_share_and_give_drawn_reviews_on_the_web(web: Seeded) -> None:
    senior = web.as_user("demo-senior-reviewer")
    page = senior.get("/reviews")
    assert page.status_code == 200 and "0% of reviews are drawn" in page.text
    bad = senior.post_form("/reviews/blind-sample", {"percent": "ten", "note": "kept words"},
                           from_page="/reviews")
    assert bad.status_code == 400 and "whole percentage" in bad.text and "kept words" in bad.text
    assert senior.post_form("/reviews/blind-sample", {"percent": "25",
                                                      "note": "A quarter this quarter."},
                            from_page="/reviews").status_code == 303
    assert "25% of reviews are drawn" in senior.get("/reviews").text
    reviewer = web.as_user("demo-reviewer")
    assert reviewer.post_form("/reviews/blind-sample", {"percent": "0",
                                                        "note": "Reviewers cannot do this."},
                              from_page="/reviews").status_code == 403
