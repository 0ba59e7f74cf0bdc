"""The structured review on both engines: only the allocated reviewer starts it, findings are
checked completely, and a save made from an older revision is refused (optimistic locking),
with the page keeping what was typed."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.integration.conftest import Seeded
from tests.integration.test_allocation import _allocate, _id, _reviewer
from tests.integration.test_triage import _case, _import

from beaconport import clock
from beaconport.audit.models import AuditEvent
from beaconport.auth import accounts
from beaconport.auth.models import UserAccount
from beaconport.auth.permissions import Role
from beaconport.auth.policy import Grant, Principal
from beaconport.db import session_scope
from beaconport.errors import Conflict, InvalidRequest
from beaconport.referrals.models import Referral
from beaconport.review import allocation, conduct, intake, outcomes, panel
from beaconport.review.instrument import FindingInput, load

GOOD = FindingInput(assessment="not_done_available_at_time", basis="assessment",
                    notes="Suspect P2 was never interviewed although his address was known.",
                    evidence=("MG6C item 14",), achievable="partly", impact="likely",
                    error_type="human_error")


def _principal(url: str, username: str, role: Role = Role.REVIEWER) -> Principal:
    with session_scope(url) as session:
        user_id = session.scalar(select(UserAccount.id).where(UserAccount.username == username))
    assert user_id is not None
    return Principal(user_id, username, username.title(), (Grant(role),))


def test_only_the_allocated_reviewer_starts_and_stale_saves_are_refused(
        db_url: str, tmp_path: Path) -> None:
    _import(db_url, tmp_path, _case("WYP/V/01"))
    _reviewer(db_url, "holder")
    _reviewer(db_url, "other")
    referral_id = _id(db_url, "WYP/V/01")
    holder, other = _principal(db_url, "holder"), _principal(db_url, "other")
    with session_scope(db_url) as session, pytest.raises(InvalidRequest, match="not allocated"):
        conduct.start(session, principal=holder, actor="holder", referral_id=referral_id)
    _allocate(db_url, "WYP/V/01", "holder")
    with session_scope(db_url) as session, pytest.raises(InvalidRequest, match="Only the"):
        conduct.start(session, principal=other, actor="other", referral_id=referral_id)
    with session_scope(db_url) as session:
        review_id = conduct.start(session, principal=holder, actor="holder",
                                  referral_id=referral_id)
        assert conduct.start(session, principal=holder, actor="holder",
                             referral_id=referral_id) == review_id

    with session_scope(db_url) as session:
        first = conduct.save_finding(session, principal=holder, actor="holder",
                                     review_id=review_id, item="C2", revision=0, finding=GOOD)
    assert first.revision == 1
    with session_scope(db_url) as session, pytest.raises(conduct.StaleFinding) as stale:
        conduct.save_finding(session, principal=holder, actor="holder", review_id=review_id,
                             item="C2", revision=0, finding=GOOD)
    assert stale.value.saved.saved_by == "holder" and stale.value.saved.revision == 1
    with session_scope(db_url) as session:
        second = conduct.save_finding(session, principal=holder, actor="holder",
                                      review_id=review_id, item="C2", revision=1,
                                      finding=GOOD)
    assert second.revision == 2
    with session_scope(db_url) as session, pytest.raises(InvalidRequest, match="Only the"):
        conduct.save_finding(session, principal=other, actor="other", review_id=review_id,
                             item="B4", revision=0, finding=GOOD)
    with session_scope(db_url) as session, pytest.raises(conduct.FindingProblems) as bad:
        conduct.save_finding(session, principal=holder, actor="holder", review_id=review_id,
                             item="B4", revision=0, finding=FindingInput(
                                 assessment="done_inadequately", basis="opinion"))
    fields = [f for f, _ in bad.value.problems]
    assert fields == ["basis", "achievable", "impact", "error_type"]
    with session_scope(db_url) as session:
        sheet = conduct.sheet(session, holder, review_id)
    assert sheet.done == 1 and sheet.findings["C2"].notes == GOOD.notes
    assert sheet.instrument.item_count == 51 and load().item("M2") is not None


def test_the_page_saves_items_and_keeps_the_text_of_a_refused_save(web: Seeded) -> None:
    with session_scope(web.url) as session:  # the seed is stored unscreened
        intake.after_store("test")(session, list(session.scalars(select(Referral.id))))
        allocation.allocate(session, actor="test", referral_id=web.gmp_referral,
                            username="demo-reviewer")
    reviewer = web.as_user("demo-reviewer")
    case_page = f"/cases/{web.gmp_referral}/allocation"
    started = reviewer.post_form(f"/cases/{web.gmp_referral}/review", {}, from_page=case_page)
    assert started.status_code == 303
    sheet_page = started.headers["location"]
    assert re.fullmatch(r"/reviews/[0-9a-f-]{36}", sheet_page)
    item = f"{sheet_page}/items/C2"
    fields = {"revision": "0", "assessment": "not_done_available_at_time",
              "basis": "assessment", "notes": "Never interviewed.", "evidence": "MG6C 14",
              "achievable": "partly", "impact": "likely", "error_type": "human_error"}
    saved = reviewer.post_form(item, fields, from_page=sheet_page,
                               headers={"Accept": "application/json"})
    assert saved.status_code == 200 and saved.json()["revision"] == 1
    # A supervisor saves the same item from the page they opened before that save.
    senior = web.as_user("demo-senior-reviewer")
    stale = senior.post_form(item, dict(fields, notes="My own words on C2."),
                             from_page=sheet_page)
    assert stale.status_code == 409
    assert "since you opened it" in stale.text and "My own words on C2." in stale.text
    as_json = senior.post_form(item, dict(fields, notes="Again"), from_page=sheet_page,
                               headers={"Accept": "application/json"})
    assert as_json.status_code == 409 and as_json.json()["revision"] == 1
    incomplete = reviewer.post_form(f"{sheet_page}/items/B4",
                                     {"revision": "0", "assessment": "done_inadequately",
                                      "basis": "fact", "notes": "Typed words kept."},
                                     from_page=sheet_page)
    assert incomplete.status_code == 400 and "Typed words kept." in incomplete.text
    assert "Item B4: Say whether it is still achievable now." in incomplete.text
    page = reviewer.get(sheet_page).text
    assert 'data-testid="review-progress">1 of 51' in page and "Never interviewed." in page
    assert web.as_user("demo-screener").get(sheet_page).status_code == 403
    assert reviewer.get(f"/reviews/{uuid.uuid4()}").status_code == 404


def test_a_review_is_submitted_complete_and_signed_off_by_a_different_senior_reviewer(
        db_url: str, tmp_path: Path) -> None:
    _import(db_url, tmp_path, _case("WYP/QA/01"))
    _reviewer(db_url, "holder")
    _reviewer(db_url, "peer")
    with session_scope(db_url) as session:
        accounts.grant_role(session, actor="test", username="holder",
                            role=Role.SENIOR_REVIEWER)
    _allocate(db_url, "WYP/QA/01", "holder")
    holder = _principal(db_url, "holder", Role.SENIOR_REVIEWER)
    peer = _principal(db_url, "peer")
    senior = _principal(db_url, "peer", Role.SENIOR_REVIEWER)
    with session_scope(db_url) as session:
        review_id = conduct.start(session, principal=holder, actor="holder",
                                  referral_id=_id(db_url, "WYP/QA/01"))
        conduct.save_finding(session, principal=holder, actor="holder", review_id=review_id,
                             item="C2", revision=0, finding=GOOD)
    with session_scope(db_url) as session, pytest.raises(InvalidRequest,
                                                         match="50 still have none"):
        conduct.submit(session, principal=holder, actor="holder", review_id=review_id)
    skip = FindingInput(assessment="not_applicable", basis="fact")
    with session_scope(db_url) as session:
        for category in load().categories:
            for item in category.items:
                if item.code != "C2":
                    conduct.save_finding(session, principal=holder, actor="holder",
                                         review_id=review_id, item=item.code, revision=0,
                                         finding=skip)
        conduct.submit(session, principal=holder, actor="holder", review_id=review_id)
    with session_scope(db_url) as session, pytest.raises(Conflict, match="no longer be changed"):
        conduct.save_finding(session, principal=holder, actor="holder", review_id=review_id,
                             item="C2", revision=1, finding=GOOD)
    for who, message in [(holder, "it is your own"), (peer, "Only a senior reviewer")]:
        with session_scope(db_url) as session, pytest.raises(InvalidRequest, match=message):
            conduct.quality_assure(session, principal=who, actor=who.name,
                                   review_id=review_id, sign_off=True, note="Looks thorough.")
    with session_scope(db_url) as session, pytest.raises(InvalidRequest, match="10 characters"):
        conduct.quality_assure(session, principal=senior, actor="peer", review_id=review_id,
                               sign_off=False, note="no")
    with session_scope(db_url) as session:
        conduct.quality_assure(session, principal=senior, actor="peer", review_id=review_id,
                               sign_off=False, note="C2: say which address was known.")
        assert conduct.sheet(session, holder, review_id).status == "in-progress"
        conduct.save_finding(session, principal=holder, actor="holder", review_id=review_id,
                             item="C2", revision=1, finding=GOOD)
        conduct.submit(session, principal=holder, actor="holder", review_id=review_id)
        conduct.quality_assure(session, principal=senior, actor="peer", review_id=review_id,
                               sign_off=True, note="Thorough; C2 now clear.")
    with session_scope(db_url) as session:
        sheet = conduct.sheet(session, holder, review_id)
        with pytest.raises(InvalidRequest, match="nothing more happens"):
            conduct.quality_assure(session, principal=senior, actor="peer",
                                   review_id=review_id, sign_off=False,
                                   note="Second thoughts on it.")
        actions = session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.in_(["review:review:submitted", "review:review:returned",
                                   "review:review:signed-off"]))).all()
    assert sheet.status == "signed-off" and sheet.qa_by == "peer"
    assert sorted(actions) == sorted(["review:review:submitted", "review:review:returned",
                                      "review:review:submitted", "review:review:signed-off"])


def _signed_off(db_url: str, tmp_path: Path, reference: str) -> uuid.UUID:
    _import(db_url, tmp_path, _case(reference))
    _reviewer(db_url, "author")
    _reviewer(db_url, "checker")
    _allocate(db_url, reference, "author")
    author = _principal(db_url, "author")
    with session_scope(db_url) as session:
        review_id = conduct.start(session, principal=author, actor="author",
                                  referral_id=_id(db_url, reference))
        for category in load().categories:
            for item in category.items:
                conduct.save_finding(session, principal=author, actor="author",
                                     review_id=review_id, item=item.code, revision=0,
                                     finding=GOOD if item.code == "C2" else FindingInput(
                                         assessment="not_applicable", basis="fact"))
    return review_id


def test_the_panel_decides_only_on_a_signed_off_review_and_keeps_every_decision(
        db_url: str, tmp_path: Path) -> None:
    review_id = _signed_off(db_url, tmp_path, "WYP/P/01")
    referral_id = _id(db_url, "WYP/P/01")
    with session_scope(db_url) as session:
        accounts.create_user(session, actor="test", username="chair", display_name="Chair",
                             password="a long test password 1")
    decision = {"outcome": "reinvestigate_local_force",
                "options_considered": ["nfa_upheld", "refer_to_cps"],
                "rationale": "Suspect P2 was never interviewed; the lines of inquiry remain.",
                "members": ["author"]}
    with session_scope(db_url) as session, pytest.raises(InvalidRequest, match="signed off"):
        panel.decide(session, actor="chair", referral_id=referral_id, **decision)
    with session_scope(db_url) as session:
        author = _principal(db_url, "author")
        conduct.submit(session, principal=author, actor="author", review_id=review_id)
        conduct.quality_assure(session, principal=_principal(db_url, "checker",
                                                             Role.SENIOR_REVIEWER),
                               actor="checker", review_id=review_id, sign_off=True,
                               note="Complete and well evidenced.")
    with session_scope(db_url) as session, pytest.raises(panel.PanelProblems) as bad:
        panel.decide(session, actor="chair", referral_id=referral_id, outcome="",
                     options_considered=[], rationale="Too short", members=["nobody"])
    assert [f for f, _ in bad.value.problems] == ["outcome", "options_considered",
                                                  "rationale", "members"]
    with session_scope(db_url) as session:
        panel.decide(session, actor="chair", referral_id=referral_id, **decision)
        panel.decide(session, actor="chair", referral_id=referral_id, **dict(
            decision, outcome="reinvestigate_national",
            rationale="Linked suspects in three forces: the national team should lead."))
        log = panel.decision_log(session, referral_id)
    assert [(d.outcome, d.current) for d in log] == [("reinvestigate_national", True),
                                                     ("reinvestigate_local_force", False)]
    assert log[1].options_considered == ["nfa_upheld", "reinvestigate_local_force",
                                         "refer_to_cps"]
    assert log[0].members == ["chair", "author"]
    with session_scope(db_url) as session:  # the recorder acting on the pages, named again
        panel.decide(session, actor="user:chair", referral_id=referral_id, **dict(
            decision, members=["chair", "author"]))
        assert panel.decision_log(session, referral_id)[0].members == ["chair", "author"]


def test_only_panel_members_record_decisions_on_the_web(web: Seeded) -> None:
    page = f"/cases/{web.gmp_referral}/panel"
    reviewer = web.as_user("demo-reviewer")
    assert reviewer.get(page).status_code == 200
    assert reviewer.post_form(page, {"outcome": "nfa_upheld"}).status_code == 403
    member = web.as_user("demo-panel-member")
    refused = member.post_form(page, {"outcome": "nfa_upheld", "rationale": "x" * 40,
                                      "members": "demo-reviewer"})
    assert refused.status_code == 400 and "has no review" in refused.text


def test_the_outcomes_ledger_keeps_each_suspects_steps_and_counts_what_was_achieved(
        db_url: str, tmp_path: Path) -> None:
    _signed_off(db_url, tmp_path, "WYP/O/01")
    referral_id = _id(db_url, "WYP/O/01")
    today = clock.today()
    with session_scope(db_url) as session, pytest.raises(outcomes.OutcomeProblems) as bad:
        outcomes.record(session, actor="test", referral_id=referral_id, person_ref="P9",
                        event="knighted", occurred_on=today + timedelta(days=1), note="")
    assert [f for f, _ in bad.value.problems] == ["person_ref", "event", "occurred_on"]
    with session_scope(db_url) as session:
        for ref, event, days_ago in [("P1", "arrested", 30), ("P1", "charged", 2),
                                     ("P2", "arrested", 29), ("P1", "interviewed", 29)]:
            outcomes.record(session, actor="test", referral_id=referral_id, person_ref=ref,
                            event=event, occurred_on=today - timedelta(days=days_ago),
                            note="Recorded from the force's update.")
        ledger = outcomes.ledger(session, referral_id)
        counts = outcomes.achieved(session)
    assert [s.event for s in ledger["P1"]] == ["arrested", "interviewed", "charged"]
    assert [s.event for s in ledger["P2"]] == ["arrested"]
    assert counts["arrested"] == 2 and counts["charged"] == 1 and counts["convicted"] == 0


def test_outcomes_are_recorded_on_the_web_by_senior_reviewers_only(web: Seeded) -> None:
    with session_scope(web.url) as session:
        intake.after_store("test")(session, list(session.scalars(select(Referral.id))))
        allocation.allocate(session, actor="test", referral_id=web.gmp_referral,
                            username="demo-reviewer")
        holder = session.scalar(select(UserAccount.id)
                                .where(UserAccount.username == "demo-reviewer"))
        assert holder is not None
        conduct.start(session, principal=Principal(holder, "demo-reviewer", "Demo",
                                                   (Grant(Role.REVIEWER),)),
                      actor="demo-reviewer", referral_id=web.gmp_referral)
    page = f"/cases/{web.gmp_referral}/outcomes"
    senior = web.as_user("demo-senior-reviewer")
    bad = senior.post_form(page, {"person_ref": "P1", "event": "charged",
                                  "occurred_on": "20/11/2026", "note": "Kept note"})
    assert bad.status_code == 400 and "Give the date it happened" in bad.text
    assert "Kept note" in bad.text
    done = senior.post_form(page, {"person_ref": "P1", "event": "charged",
                                   "occurred_on": clock.today().isoformat(), "note": ""})
    assert done.status_code == 303
    assert "Charged" in senior.get(page).text
    story = senior.get(f"/cases/{web.gmp_referral}").text
    steps = ["Referral: Referred", "Screening: Screened eligible",
             "Allocation: Allocated to Demo Reviewer", "Review: Review started",
             "Outcome: Suspect P1: charged"]
    places = [story.find(step) for step in steps]
    assert -1 not in places and places == sorted(places), places
    reviewer = web.as_user("demo-reviewer")
    assert reviewer.get(page).status_code == 200
    assert reviewer.post_form(page, {"person_ref": "P1", "event": "convicted",
                                     "occurred_on": "2026-11-21"}).status_code == 403
