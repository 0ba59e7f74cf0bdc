"""Allocation on both engines: only a reviewer who may take a case gets it (capacity, vetting,
skills, conflicts of interest), reallocation keeps its reason, and a case under review leaves
the triage queue until it is returned."""

from __future__ import annotations

import re
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.integration.conftest import Seeded
from tests.integration.test_triage import _case, _import, _queue

from beaconport import clock
from beaconport.audit.models import AuditEvent
from beaconport.auth import accounts
from beaconport.auth.permissions import Role
from beaconport.auth.policy import Grant, Principal
from beaconport.db import session_scope
from beaconport.errors import Conflict, InvalidRequest
from beaconport.referrals.models import Referral
from beaconport.review import allocation, intake, workload
from beaconport.screening import runner
from beaconport.screening.rules import CURRENT

WYP = "E23000010"


def _reviewer(url: str, username: str, *, capacity: int = 2, served: list[str] | None = None,
              skills: list[str] | None = None, expires_in: int = 365) -> None:
    with session_scope(url) as session:
        accounts.create_user(session, actor="test", username=username,
                             display_name=username.title(), password="a long test password 1")
        accounts.grant_role(session, actor="test", username=username, role=Role.REVIEWER)
        allocation.set_profile(
            session, actor="test", username=username, capacity=capacity,
            skills=skills if skills is not None else ["rape", "child", "complex"],
            vetting="NPPV3", vetting_expires_on=clock.today() + timedelta(days=expires_in),
            served_forces=served or [])


def _id(url: str, reference: str) -> uuid.UUID:
    with session_scope(url) as session:
        found = session.scalar(select(Referral.id).where(Referral.force_reference == reference))
    assert found is not None
    return found


def _status(url: str, reference: str) -> str:
    with session_scope(url) as session:
        return str(session.scalar(select(Referral.status)
                                  .where(Referral.force_reference == reference)))


def _allocate(url: str, reference: str, username: str) -> None:
    with session_scope(url) as session:
        allocation.allocate(session, actor="test:supervisor", referral_id=_id(url, reference),
                            username=username)


def test_only_a_reviewer_who_may_take_the_case_is_allocated_it(db_url: str,
                                                               tmp_path: Path) -> None:
    _import(db_url, tmp_path, _case("WYP/A/01"), _case("WYP/A/02"), _case("WYP/A/03"))
    _reviewer(db_url, "served", served=[WYP])
    _reviewer(db_url, "expired", expires_in=-1)
    _reviewer(db_url, "unskilled", skills=[])
    _reviewer(db_url, "able", capacity=1)
    for username, reason in [("served", "served in West Yorkshire"),
                             ("expired", "vetting expired"),
                             ("unskilled", "needs skills they do not have")]:
        with pytest.raises(InvalidRequest, match=reason):
            _allocate(db_url, "WYP/A/01", username)
    with session_scope(db_url) as session:
        principal = Principal(uuid.uuid4(), "able", "Able", (Grant(Role.REVIEWER),))
        allocation.declare_conflict(session, principal=principal, actor="able",
                                    username="able", referral_id=_id(db_url, "WYP/A/02"),
                                    kind="original-investigation",
                                    detail="I was the deputy SIO in 2014.")
    with pytest.raises(InvalidRequest, match="declared one with this case"):
        _allocate(db_url, "WYP/A/02", "able")

    _allocate(db_url, "WYP/A/01", "able")
    assert _status(db_url, "WYP/A/01") == "under-review"
    assert "WYP/A/01" not in dict(_queue(db_url)), "an allocated case leaves the triage queue"
    with pytest.raises(InvalidRequest, match="already carry 1 case, their capacity"):
        _allocate(db_url, "WYP/A/03", "able")
    with pytest.raises(Conflict, match="already allocated"):
        _allocate(db_url, "WYP/A/01", "able")
    with session_scope(db_url) as session:
        load = {x.reviewer.username: x for x in workload.workload(session)}
        assert [c.force_reference for c in load["able"].cases] == ["WYP/A/01"]
        events = session.scalars(select(AuditEvent.action).where(
            AuditEvent.action.like("review:%"))).all()
    assert "review:case:allocated" in events and "review:conflict:declared" in events


def test_reallocation_needs_a_reason_and_keeps_the_history(db_url: str, tmp_path: Path) -> None:
    _import(db_url, tmp_path, _case("WYP/R/01"))
    _reviewer(db_url, "first")
    _reviewer(db_url, "second")
    _allocate(db_url, "WYP/R/01", "first")
    referral_id = _id(db_url, "WYP/R/01")
    with session_scope(db_url) as session, pytest.raises(InvalidRequest, match="reason"):
        allocation.reallocate(session, actor="test", referral_id=referral_id,
                              username="second", reason="no")
    with session_scope(db_url) as session:
        allocation.reallocate(session, actor="test", referral_id=referral_id,
                              username="second", reason="First reviewer on long leave.")
    with session_scope(db_url) as session:
        entries = workload.history(session, referral_id)
        event = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "review:case:reallocated")).one()
    assert [(e.reviewer, e.current) for e in entries] == [("second", True), ("first", False)]
    assert entries[1].end_reason == "First reviewer on long leave."
    assert event.justification == "First reviewer on long leave."
    assert event.data == {"from": "first", "to": "second"}


def test_a_case_returned_to_the_queue_is_scored_again_and_screening_keeps_it_under_review(
        db_url: str, tmp_path: Path) -> None:
    _import(db_url, tmp_path, _case("WYP/Q/01"), _case("WYP/Q/02"))
    _reviewer(db_url, "holder")
    _allocate(db_url, "WYP/Q/01", "holder")
    runner.run(lambda: session_scope(db_url), actor="test", rules=CURRENT)
    assert _status(db_url, "WYP/Q/01") == "under-review", "still eligible: still under review"
    with session_scope(db_url) as session:
        allocation.return_to_queue(session, actor="test", referral_id=_id(db_url, "WYP/Q/01"),
                                   reason="Waiting for the force's further material.")
    assert _status(db_url, "WYP/Q/01") == "eligible"
    assert "WYP/Q/01" in dict(_queue(db_url))
    _allocate(db_url, "WYP/Q/02", "holder")
    gone = _case("WYP/Q/02")
    for person in gone["people"][:-1]:
        person["alive_status"] = "deceased"
    _import(db_url, tmp_path, gone)
    assert _status(db_url, "WYP/Q/02") == "ineligible", "a case no longer eligible says so"


def test_a_supervisor_allocates_on_the_web_and_a_reviewer_may_not(web: Seeded) -> None:
    with session_scope(web.url) as session:  # the seed is stored unscreened
        intake.after_store("test")(session, list(session.scalars(select(Referral.id))))
    page = f"/cases/{web.wyp_referral}/allocation"
    senior = web.as_user("demo-senior-reviewer")
    form = senior.get(page)
    assert form.status_code == 200
    # The demo reviewer served in West Yorkshire: the page says why they cannot take it.
    assert re.search(r"Demo Reviewer \(0 of 10 cases\).*?Cannot take it: Conflict of "
                     r"interest: they served in West Yorkshire", form.text, re.S)
    refused = senior.post_form(page, {"action": "allocate", "reviewer": "demo-reviewer"},
                               from_page=page)
    assert refused.status_code == 400 and "served in West Yorkshire" in refused.text
    done = senior.post_form(page, {"action": "allocate",
                                   "reviewer": "demo-senior-reviewer"}, from_page=page)
    assert done.status_code == 303
    history = senior.get(page).text
    assert re.search(r'data-testid="allocation-history".*?Demo Senior reviewer <strong '
                     r'class="govuk-tag">Current</strong>', history, re.S)
    workload_page = senior.get("/reviewers").text
    assert "WYP/CSE/2014/00001" in workload_page
    reviewer = web.as_user("demo-reviewer")
    assert reviewer.get("/reviewers").status_code == 403
    assert reviewer.post_form(page, {"action": "return", "reason": "Trying without rights"},
                              from_page=page).status_code == 403
    declared = reviewer.post_form(f"/cases/{web.gmp_referral}/conflicts",
                                  {"kind": "knows-someone",
                                   "detail": "A complainant's relative is a neighbour."},
                                  from_page=f"/cases/{web.gmp_referral}/allocation")
    assert declared.status_code == 303
    assert "declared one with this case" in senior.get(
        f"/cases/{web.gmp_referral}/allocation").text
