"""Actions on both engines: raised from a reviewed case's findings, allocated once the panel
decides to pursue the case, worked only by the force (or team) holding them, their results
feeding the outcomes ledger, checked by a second person and filed; overdue lists; a force sees
only its own."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select, update
from tests.integration.conftest import GMP, WYP, Seeded
from tests.integration.test_allocation import _id, _status
from tests.integration.test_structured_review import _principal, _signed_off

from beaconport import clock
from beaconport.audit.models import AuditEvent
from beaconport.auth import accounts
from beaconport.auth.permissions import Role
from beaconport.auth.policy import Grant, Principal
from beaconport.db import session_scope
from beaconport.errors import InvalidRequest, NotFound
from beaconport.review import action_queries, actions, conduct, outcomes, panel, workload
from beaconport.review.models import ReviewAction

FORCE_OFFICER = Principal(uuid.uuid4(), "wyp-officer", "WYP officer",
                          (Grant(Role.FORCE_INVESTIGATOR, WYP),))
OTHER_FORCE = Principal(uuid.uuid4(), "gmp-officer", "GMP officer",
                        (Grant(Role.FORCE_INVESTIGATOR, GMP),))


def _to_panel(db_url: str, tmp_path: Path, reference: str, outcome: str) -> uuid.UUID:
    review_id = _signed_off(db_url, tmp_path, reference)
    referral_id = _id(db_url, reference)
    with session_scope(db_url) as session:
        conduct.submit(session, principal=_principal(db_url, "author"), actor="author",
                       review_id=review_id)
        conduct.quality_assure(session, principal=_principal(db_url, "checker",
                                                             Role.SENIOR_REVIEWER),
                               actor="checker", review_id=review_id, sign_off=True,
                               note="Complete and well evidenced.")
        accounts.create_user(session, actor="test", username="chair", display_name="Chair",
                             password="a long test password 1")
        panel.decide(session, actor="chair", referral_id=referral_id, outcome=outcome,
                     options_considered=["nfa_upheld", "refer_to_cps"], members=["author"],
                     rationale="Suspect P2 was never interviewed; the lines remain open.")
    return referral_id


def test_an_action_goes_from_raised_to_filed_with_the_force_working_it(
        db_url: str, tmp_path: Path) -> None:
    referral_id = _to_panel(db_url, tmp_path, "WYP/X/01", "reinvestigate_local_force")
    assert _status(db_url, "WYP/X/01") == "reinvestigation"
    with session_scope(db_url) as session:  # decided: no longer on the reviewer's load
        author = next(r for r in workload.reviewers(session) if r.username == "author")
        assert author.carrying == 0
    manager = _principal(db_url, "checker", Role.SENIOR_REVIEWER)
    with session_scope(db_url) as session, pytest.raises(actions.ActionProblems) as bad:
        actions.raise_action(session, actor="author", referral_id=referral_id, title=" ",
                             detail="short", priority="urgent", finding_item="Z9")
    assert [f for f, _ in bad.value.problems] == ["title", "detail", "priority",
                                                  "finding_item"]
    with session_scope(db_url) as session:
        action_id = actions.raise_action(
            session, actor="author", referral_id=referral_id,
            title="Interview suspect P2 under caution",
            detail="P2's address was known in 2014 but he was never interviewed.",
            priority="high", finding_item="C2")
        second = actions.raise_action(session, actor="author", referral_id=referral_id,
                                      title="Trace the taxi firm's records",
                                      detail="Bookings for the dates in the account.",
                                      priority="medium", finding_item=None)
        numbers = sorted(session.scalars(select(ReviewAction.number)
                                         .where(ReviewAction.referral_id == referral_id)))
    assert numbers == [1, 2]

    # Unallocated, a force cannot see it; nobody but a manager allocates it.
    with session_scope(db_url) as session:
        assert action_queries.listed(session, FORCE_OFFICER,
                                     action_queries.ActionFilter()).total == 0
        with pytest.raises(NotFound):
            action_queries.one(session, FORCE_OFFICER, action_id)
    due = clock.today() + timedelta(days=28)
    with session_scope(db_url) as session, pytest.raises(InvalidRequest, match="managers"):
        actions.move(session, principal=_principal(db_url, "author"), actor="author",
                     action_id=action_id, step="allocate", allocated_to=WYP, due_on=due)
    with session_scope(db_url) as session, pytest.raises(actions.ActionProblems) as bad:
        actions.move(session, principal=manager, actor="checker", action_id=action_id,
                     step="allocate", allocated_to="Atlantis Constabulary",
                     due_on=clock.today() - timedelta(days=1))
    assert [f for f, _ in bad.value.problems] == ["allocated_to", "due_on"]
    with session_scope(db_url) as session:
        actions.move(session, principal=manager, actor="checker", action_id=action_id,
                     step="allocate", allocated_to="West Yorkshire Police", due_on=due)
        actions.move(session, principal=manager, actor="checker", action_id=second,
                     step="allocate", allocated_to="national", due_on=due)

    # The force sees its own action only; another force meets nothing.
    with session_scope(db_url) as session:
        seen = action_queries.listed(session, FORCE_OFFICER, action_queries.ActionFilter())
        assert [r.id for r in seen.rows] == [action_id] and seen.rows[0].allocated_to == WYP
        assert action_queries.one(session, FORCE_OFFICER, action_id).moves == ["complete"]
        assert action_queries.listed(session, OTHER_FORCE,
                                     action_queries.ActionFilter()).total == 0
        with pytest.raises(NotFound):
            action_queries.one(session, OTHER_FORCE, action_id)
    with session_scope(db_url) as session, pytest.raises(NotFound):
        actions.move(session, principal=OTHER_FORCE, actor="gmp-officer", action_id=action_id,
                     step="complete", note="Done by the wrong force.")
    with session_scope(db_url) as session, pytest.raises(NotFound):
        actions.move(session, principal=FORCE_OFFICER, actor="wyp-officer", action_id=second,
                     step="complete", note="The national team's, not ours.")
    with session_scope(db_url) as session, pytest.raises(InvalidRequest, match="allocated to"):
        actions.move(session, principal=_principal(db_url, "author"), actor="author",
                     action_id=action_id, step="complete", note="The force's, not ours.")

    # Overdue: outstanding past its due date.
    with session_scope(db_url) as session:
        session.execute(update(ReviewAction).where(ReviewAction.id == action_id)
                        .values(due_on=clock.today() - timedelta(days=3)))
    with session_scope(db_url) as session:
        late = action_queries.listed(session, FORCE_OFFICER,
                                     action_queries.ActionFilter(overdue=True))
        assert [r.id for r in late.rows] == [action_id] and late.rows[0].overdue
        assert action_queries.overdue_count(session, manager) == 1

    # The force works it; a wrong move is refused with what can happen instead.
    with session_scope(db_url) as session, pytest.raises(InvalidRequest, match="You can"):
        actions.move(session, principal=FORCE_OFFICER, actor="wyp-officer",
                     action_id=action_id, step="result", note="Charged with two offences.")
    with session_scope(db_url) as session:
        actions.move(session, principal=FORCE_OFFICER, actor="wyp-officer",
                     action_id=action_id, step="complete",
                     note="P2 arrested and interviewed under caution on the dates below.")
    today = clock.today()
    with session_scope(db_url) as session, pytest.raises(actions.ActionProblems) as bad:
        actions.move(session, principal=FORCE_OFFICER, actor="wyp-officer",
                     action_id=action_id, step="result", note="File to CPS; charged.",
                     outcome_steps=[actions.OutcomeInput("P2", "charged", today),
                                    actions.OutcomeInput("P7", "knighted", None)])
    assert [f for f, _ in bad.value.problems] == ["outcomes-2-person_ref", "outcomes-2-event",
                                                  "outcomes-2-occurred_on"]
    with session_scope(db_url) as session:
        assert outcomes.ledger(session, referral_id) == {}  # nothing half-written
        actions.move(session, principal=FORCE_OFFICER, actor="wyp-officer",
                     action_id=action_id, step="result",
                     note="Interview disclosed new evidence; file to the CPS, charged.",
                     outcome_steps=[actions.OutcomeInput("P2", "arrested",
                                                         today - timedelta(days=9)),
                                    actions.OutcomeInput("P2", "charged", today)])
        assert [s.event for s in outcomes.ledger(session, referral_id)["P2"]] == [
            "arrested", "charged"]
        assert action_queries.overdue_count(session, manager) == 0

    # A second person checks the result; it is then filed.
    with session_scope(db_url) as session:
        actions.move(session, principal=manager, actor="checker", action_id=action_id,
                     step="check", note="Result matches the custody and CPS records.")
        actions.move(session, principal=manager, actor="checker", action_id=action_id,
                     step="file")
        view = action_queries.one(session, FORCE_OFFICER, action_id)
        moves = [e.data["step"] for e in session.scalars(
            select(AuditEvent).where(AuditEvent.action == "review:action:moved")
            .order_by(AuditEvent.seq))]
    assert view.row.status == "filed" and view.moves == []
    assert [s.step for s in view.steps] == ["raise", "allocate", "complete", "result", "check",
                                            "file"]
    assert moves == ["allocate", "allocate", "complete", "result", "check", "file"]


def test_actions_are_allocated_only_when_the_panel_pursues_the_case(
        db_url: str, tmp_path: Path) -> None:
    referral_id = _to_panel(db_url, tmp_path, "WYP/X/02", "nfa_upheld")
    assert _status(db_url, "WYP/X/02") == "reviewed"
    manager = _principal(db_url, "checker", Role.SENIOR_REVIEWER)
    with session_scope(db_url) as session:
        action_id = actions.raise_action(session, actor="author", referral_id=referral_id,
                                         title="Re-interview the complainant",
                                         detail="Her account was never fully taken.",
                                         priority="low", finding_item=None)
    with session_scope(db_url) as session, pytest.raises(InvalidRequest,
                                                         match="not pursued"):
        actions.move(session, principal=manager, actor="checker", action_id=action_id,
                     step="allocate", allocated_to=WYP,
                     due_on=clock.today() + timedelta(days=7))
    with session_scope(db_url) as session, pytest.raises(actions.ActionProblems):
        actions.move(session, principal=manager, actor="checker", action_id=action_id,
                     step="file", note="")
    with session_scope(db_url) as session:
        actions.move(session, principal=manager, actor="checker", action_id=action_id,
                     step="file", note="The panel upheld the decision: not pursued.")
        assert action_queries.one(session, manager, action_id).row.status == "filed"


def test_a_force_officer_works_its_actions_on_the_web(web: Seeded) -> None:
    reviewer = web.as_user("demo-reviewer")
    assert reviewer.get("/actions").status_code == 200
    officer = web.as_user("demo-force-investigator")
    listed = officer.get("/actions")
    assert listed.status_code == 200 and "0</strong> actions" in listed.text
    # A force sees a case's actions page only through an action allocated to it.
    assert officer.get(f"/cases/{web.wyp_referral}/actions").status_code == 404
    assert officer.get(f"/cases/{uuid.uuid4()}/actions").status_code == 404
    assert reviewer.get(f"/cases/{uuid.uuid4()}/actions").status_code == 404
    refused = officer.post_form(f"/cases/{web.wyp_referral}/actions",
                                {"title": "x", "detail": "y" * 20, "priority": "low"})
    assert refused.status_code == 403
    assert officer.get(f"/actions/{uuid.uuid4()}").status_code == 404
    # A reviewer raising an action on an unreviewed case is told why not.
    none = reviewer.post_form(f"/cases/{web.wyp_referral}/actions",
                              {"title": "Trace", "detail": "y" * 20, "priority": "low"})
    assert none.status_code == 404 and "no review yet" in none.text


def test_the_force_completes_and_results_an_action_through_its_pages(
        web: Seeded, tmp_path: Path) -> None:
    referral_id = _to_panel(web.url, tmp_path, "WYP/X/03", "reinvestigate_local_force")
    manager = _principal(web.url, "checker", Role.SENIOR_REVIEWER)
    with session_scope(web.url) as session:
        action_id = actions.raise_action(session, actor="author", referral_id=referral_id,
                                         title="Interview suspect P1",
                                         detail="Never interviewed though his address was "
                                                "known.", priority="high", finding_item="C2")
        actions.move(session, principal=manager, actor="checker", action_id=action_id,
                     step="allocate", allocated_to=WYP,
                     due_on=clock.today() + timedelta(days=14))
    page = f"/actions/{action_id}"
    officer = web.as_user("demo-force-investigator")
    shown = officer.get(page)
    assert shown.status_code == 200 and "Interview suspect P1" in shown.text
    assert 'data-testid="move-complete"' in shown.text
    elsewhere = web.as_user("demo-force-investigator-2")
    assert elsewhere.get(page).status_code == 404
    case_page = officer.get(f"/cases/{referral_id}/actions")
    assert case_page.status_code == 200 and "Interview suspect P1" in case_page.text
    assert "/reviews/" not in case_page.text and "Raise an action" not in case_page.text
    assert elsewhere.get(f"/cases/{referral_id}/actions").status_code == 404
    short = officer.post_form(f"{page}/moves", {"step": "complete", "note": "Done."},
                              from_page=page)
    assert short.status_code == 400 and "Say what was done" in short.text
    assert officer.post_form(f"{page}/moves", {"step": "complete",
                                               "note": "Arrested and interviewed P1."},
                             from_page=page).status_code == 303
    bad = officer.post_form(f"{page}/moves", {
        "step": "result", "note": "Charged after the interview; words kept.",
        "outcome_person_ref": "P1", "outcome_event": "charged",
        "outcome_occurred_on": "yesterday"}, from_page=page)
    assert bad.status_code == 400 and "Outcome 1: Give the date it happened" in bad.text
    assert "Charged after the interview; words kept." in bad.text
    done = officer.post_form(f"{page}/moves", {
        "step": "result", "note": "Charged after the interview.",
        "outcome_person_ref": "P1", "outcome_event": "charged",
        "outcome_occurred_on": clock.today().isoformat()}, from_page=page)
    assert done.status_code == 303
    after = officer.get(page).text
    assert "Resulted: waiting for the quality check" in after and "move-" not in after
    story = web.as_user("demo-senior-reviewer").get(f"/cases/{referral_id}").text
    assert "Action 1 (Interview suspect P1): resulted" in story
    assert "Suspect P1: charged" in story
