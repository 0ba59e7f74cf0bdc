"""Safeguarding flags on both engines: raised on a suspect with every problem named and nothing
stored, never closed without a reason, audited both ways, and counted by triage, on the
referral and on the same person's other referrals."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.integration.conftest import Seeded
from tests.integration.test_allocation import _id
from tests.integration.test_triage import _breakdown, _case, _import

from beaconport import clock
from beaconport.audit.models import AuditEvent
from beaconport.db import session_scope
from beaconport.errors import Conflict
from beaconport.people import service as people
from beaconport.review import prioritise
from beaconport.safeguarding import flags

TAXI = flags.FlagInput(
    person_ref="P1", stage="review",
    access=(flags.Access("licence", "Private hire driver, licensed by the borough council"),),
    last_alleged_on=clock.today() - timedelta(days=400), severity="high",
    urgency="one_working_day",
    facts="Three allegations in two referrals name him as the driver who collected the girls.",
    assessment="He still drives children to school under a council contract: a present risk.")


def _raise(url: str, referral_id: uuid.UUID, given: flags.FlagInput = TAXI) -> uuid.UUID:
    with session_scope(url) as session:
        flag = flags.raise_flag(session, actor="reviewer", referral_id=referral_id, given=given)
        prioritise.refresh(session, actor="test", referral_ids=[referral_id], everything=True)
    return flag


def test_a_flag_is_raised_complete_and_resolved_only_with_a_reason(
        db_url: str, tmp_path: Path) -> None:
    _import(db_url, tmp_path, _case("WYP/F/01"))
    referral_id = _id(db_url, "WYP/F/01")
    with session_scope(db_url) as session, pytest.raises(flags.FlagProblems) as bad:
        flags.raise_flag(session, actor="reviewer", referral_id=referral_id,
                         given=flags.FlagInput(
                             person_ref="C1", stage="gossip", access=(flags.Access("car", "x"),),
                             last_alleged_on=clock.today() + timedelta(days=1),
                             severity="grave", urgency="", facts="short", assessment=""))
    assert [f for f, _ in bad.value.problems] == [
        "person_ref", "stage", "access-1", "last_alleged_on", "severity", "urgency", "facts",
        "assessment"]
    with session_scope(db_url) as session:
        assert flags.open_flags(session, [referral_id]) == {}
    flag_id = _raise(db_url, referral_id)
    assert _breakdown(db_url, "WYP/F/01")["safeguarding_flags"][1] == 10
    with session_scope(db_url) as session, pytest.raises(flags.FlagProblems):
        flags.resolve_flag(session, actor="officer", flag_id=flag_id, reason="done")
    with session_scope(db_url) as session:
        flags.resolve_flag(session, actor="officer", flag_id=flag_id,
                           reason="Referred to the licensing authority, which suspended him.")
        prioritise.refresh(session, actor="test", referral_ids=[referral_id], everything=True)
    with session_scope(db_url) as session, pytest.raises(Conflict):
        flags.resolve_flag(session, actor="officer", flag_id=flag_id,
                           reason="Resolving it a second time by mistake.")
    assert _breakdown(db_url, "WYP/F/01")["safeguarding_flags"][1] == 0
    with session_scope(db_url) as session:
        events = [(e.action, e.justification) for e in session.scalars(
            select(AuditEvent).where(AuditEvent.action.like("safeguarding:%"))
            .order_by(AuditEvent.seq))]
        raised = session.scalar(select(AuditEvent).where(
            AuditEvent.action == "safeguarding:flag:raised"))
    assert events == [("safeguarding:flag:raised", None),
                      ("safeguarding:flag:resolved",
                       "Referred to the licensing authority, which suspended him.")]
    assert raised is not None and TAXI.facts not in str(raised.data)


def test_a_flag_counts_on_the_same_persons_other_referrals(db_url: str, tmp_path: Path) -> None:
    names = [("Tariq", "Osei"), ("Gary", "Lund")]
    _import(db_url, tmp_path, _case("WYP/F/02", suspect_names=names),
            _case("WYP/F/03", suspect_names=names))
    people.link_all(lambda: session_scope(db_url), actor="test")
    first, second = _id(db_url, "WYP/F/02"), _id(db_url, "WYP/F/03")
    _raise(db_url, first)
    with session_scope(db_url) as session:
        prioritise.refresh(session, actor="test", referral_ids=[second], everything=True)
        counted = flags.open_flags(session, [first, second])
        assert flags.other_referrals(session, first, "P1") == 1
    assert counted == {first: 1, second: 1}


def test_flags_on_the_web(web: Seeded) -> None:
    page = f"/referrals/{web.wyp_referral}/safeguarding-flags"
    reviewer = web.as_user("demo-reviewer")
    form = reviewer.get(page)
    assert form.status_code == 200 and "Raise a safeguarding flag" in form.text
    bad = reviewer.post_form(page, {"person_ref": "P1", "stage": "review",
                                    "access_kind": "licence", "access_detail": "Taxi licence",
                                    "last_alleged_on": "last spring", "severity": "high",
                                    "urgency": "immediate", "facts": "Kept facts " * 3,
                                    "assessment": ""}, from_page=page)
    assert bad.status_code == 400 and "Give the date as YYYY-MM-DD" in bad.text
    assert "Kept facts" in bad.text and "Taxi licence" in bad.text
    made = reviewer.post_form(page, {"person_ref": "P1", "stage": "review",
                                     "access_kind": "licence",
                                     "access_detail": "Taxi licence, borough council",
                                     "severity": "high", "urgency": "immediate",
                                     "facts": "Named as the driver in both accounts given.",
                                     "assessment": "Still licensed to drive children: act now."},
                              from_page=page)
    assert made.status_code == 303
    flag_page = made.headers["location"]
    assert reviewer.post_form(f"{flag_page}/resolution", {"reason": "x" * 30},
                              from_page=flag_page).status_code == 403
    officer = web.as_user("demo-safeguarding-officer")
    listed = officer.get("/safeguarding")
    assert listed.status_code == 200 and "1</strong> flag" in listed.text
    assert officer.post_form(f"{flag_page}/resolution", {"reason": "Too short"},
                             from_page=flag_page).status_code == 400
    assert officer.post_form(f"{flag_page}/resolution",
                             {"reason": "The licensing authority suspended the licence."},
                             from_page=flag_page).status_code == 303
    assert "suspended the licence" in officer.get(flag_page).text
    assert web.as_user("demo-analyst").get("/safeguarding").status_code == 403
