"""Overrides: asked for with a reason, effective only on a second, different person's approval,
held through re-screening until the referral changes; every step audited."""

from __future__ import annotations

import re
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.integration.conftest import Seeded
from tests.integration.helpers import example, write_jsonl

from beaconport.audit.models import AuditEvent
from beaconport.auth.permissions import Role
from beaconport.auth.policy import Grant, Principal
from beaconport.db import session_scope
from beaconport.errors import InvalidRequest
from beaconport.referrals.importer import import_file
from beaconport.referrals.models import Referral
from beaconport.screening import overrides, runner
from beaconport.screening.rules import CURRENT
from beaconport.screening.service import screen_stored


def _status(url: str, referral_id: uuid.UUID) -> str:
    with session_scope(url) as session:
        return session.scalar(select(Referral.status).where(Referral.id == referral_id)) or ""


def _actions(url: str) -> list[str]:
    with session_scope(url) as session:
        return list(session.scalars(select(AuditEvent.action)
                                    .where(AuditEvent.action.like("screening:override:%"))
                                    .order_by(AuditEvent.seq)))


def test_an_override_takes_effect_only_when_a_second_person_approves(
        web: Seeded, tmp_path: Path) -> None:
    runner.run(lambda: session_scope(web.url), actor="test", rules=CURRENT)
    page = f"/referrals/{web.wyp_referral}"
    assert _status(web.url, web.wyp_referral) == "eligible"
    screener = web.as_user("demo-screener")
    asked = screener.post_form(f"{page}/screening-override",
                               {"decision": "ineligible",
                                "reason": "The force confirms both suspects were charged later"},
                               from_page=page)
    assert asked.status_code == 303
    assert _status(web.url, web.wyp_referral) == "eligible", "not before approval"
    shown = screener.get(page).text
    assert "Pending" in shown and "both suspects were charged later" in shown

    senior = web.as_user("demo-senior-reviewer")
    queue = senior.get("/screening/overrides").text
    assert "both suspects were charged later" in queue and "eligible → ineligible" in queue
    assert screener.get("/screening/overrides").status_code == 403
    pending = re.search(r'action="/screening/overrides/([0-9a-f-]{36})"', senior.get(page).text)
    assert pending is not None
    approved = senior.post_form(f"/screening/overrides/{pending.group(1)}",
                                {"answer": "approve", "note": "Checked the charging record",
                                 "referral_id": str(web.wyp_referral)}, from_page=page)
    assert approved.status_code == 303
    assert _status(web.url, web.wyp_referral) == "ineligible"
    assert "No override is waiting" in senior.get("/screening/overrides").text

    runner.run(lambda: session_scope(web.url), actor="test", rules=CURRENT)
    assert _status(web.url, web.wyp_referral) == "ineligible", "held through re-screening"

    changed = example("WYP/CSE/2014/00001", summary="A corrected summary from the force.")
    import_file(write_jsonl(tmp_path / "v2.jsonl", [changed]), actor="test",
                unit_of_work=lambda: session_scope(web.url), after_chunk=screen_stored("test"))
    assert _status(web.url, web.wyp_referral) == "eligible", "a new version voids it"
    assert _actions(web.url) == ["screening:override:requested", "screening:override:approved",
                                 "screening:override:voided"]


def test_the_asker_cannot_approve_their_own_override(web: Seeded) -> None:
    runner.run(lambda: session_scope(web.url), actor="test", rules=CURRENT)
    both = Principal(uuid.uuid4(), "two.hats", "Two Hats",
                     (Grant(Role.SCREENER), Grant(Role.SENIOR_REVIEWER)))
    with session_scope(web.url) as session:
        override = overrides.request_override(
            session, principal=both, actor=both.actor, referral_id=web.wyp_referral,
            decision="needs_information", reason="The alive statuses look out of date to me")
    with session_scope(web.url) as session, pytest.raises(InvalidRequest, match="different"):
        overrides.decide_override(session, principal=both, actor=both.actor,
                                  override_id=override, approve=True, note="Looks right to me")
    with session_scope(web.url) as session, pytest.raises(InvalidRequest, match="20 char"):
        overrides.request_override(session, principal=both, actor=both.actor,
                                   referral_id=web.gmp_referral, decision="ineligible",
                                   reason="too short")


def test_a_reviewer_may_neither_ask_nor_approve(web: Seeded) -> None:
    runner.run(lambda: session_scope(web.url), actor="test", rules=CURRENT)
    reviewer = web.as_user("demo-reviewer")
    page = f"/referrals/{web.wyp_referral}"
    assert "Override screening" not in reviewer.get(page).text
    refused = reviewer.post_form(f"{page}/screening-override",
                                 {"decision": "ineligible", "reason": "x" * 30}, from_page=page)
    assert refused.status_code == 403
