"""Safeguarding through the API on both engines, with people's tokens (each acts as its person,
with their roles, as on the pages): a flag raised on a suspect, read, listed and resolved only
with a reason; referred to two authorities, each referral written with its outbox message and
its disclosure in the audit log, read back exactly as sent, acknowledged, answered, and shown
overdue then escalated. Every problem is named by its field and nothing is half-written; a
force system's token, or a role without the safeguarding permissions, is refused."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from tests.integration.conftest import Api
from tests.integration.test_allocation import _id
from tests.integration.test_safeguarding_flags import TAXI, _raise
from tests.integration.test_triage import _breakdown, _case, _import

from beaconport import clock
from beaconport.audit.models import AuditEvent
from beaconport.auth import accounts
from beaconport.auth.permissions import Role
from beaconport.auth.service import issue_token
from beaconport.db import session_scope
from beaconport.outbox import service as outbox
from beaconport.safeguarding import referrals
from beaconport.safeguarding.models import SafeguardingFlag
from beaconport.working_days import add_working_days

API = "/api/v1"
FLAG = {
    "suspect": "P1", "stage": "review",
    "access": [{"kind": "licence",
                "detail": "Private hire driver, licensed by the borough council"}],
    "last_alleged_on": (clock.today() - timedelta(days=400)).isoformat(),
    "severity": "high", "urgency": "one_working_day",
    "facts": "Three allegations in two referrals name him as the driver who collected the "
             "girls.",
    "assessment": "He still drives children to school under a council contract: a present "
                  "risk."}
LICENSING = {
    "route": "licensing_authority", "recipient_name": "Taxi licensing, Borough Council",
    "recipient_address": "licensing@borough.example", "gateway": "clpd",
    "requested_action": "Review his private hire licence and tell us what you decide.",
    "verified": ["name", "date_of_birth"], "supervisor": "lead"}
HOME_FORCE = LICENSING | {
    "route": "home_force", "recipient_name": "Public protection unit, West Yorkshire Police",
    "recipient_address": "ppu@westyorkshire.police.example", "gateway": "dpa_sch8_para4",
    "requested_action": "Consider managing him as a potentially dangerous person."}


def _token(url: str, username: str, role: Role, email: str | None = None) -> str:
    with session_scope(url) as session:
        accounts.create_user(session, actor="test", username=username,
                             display_name=username.title(), password="a long test password 1",
                             email=email)
        accounts.grant_role(session, actor="test", username=username, role=role)
        return issue_token(session, actor="test", name=f"{username}'s tools", username=username)


def _call(api: Api, method: str, path: str, token: str, body: Any = None) -> Any:
    return api.client.request(method, f"{API}{path}", headers=api.headers(token), json=body)


def _case_with_a_named_complainant(url: str, tmp_path: Path, reference: str) -> uuid.UUID:
    doc = _case(reference)
    doc["people"][-1]["forenames"], doc["people"][-1]["surname"] = "Nadia", "Zephyrine"
    _import(url, tmp_path, doc)
    return _id(url, reference)


def _count(url: str, action: str) -> int:
    with session_scope(url) as session:
        return session.scalar(select(func.count()).select_from(AuditEvent)
                              .where(AuditEvent.action == action)) or 0


def test_a_flag_is_raised_read_listed_and_resolved_only_with_a_reason(
        api: Api, tmp_path: Path) -> None:
    referral_id = _case_with_a_named_complainant(api.url, tmp_path, "WYP/SG/01")
    reviewer = _token(api.url, "senior", Role.SENIOR_REVIEWER)
    officer = _token(api.url, "officer", Role.SAFEGUARDING_OFFICER)
    raising = f"/cases/{referral_id}/safeguarding-flags"

    bad = _call(api, "POST", raising, reviewer, {
        "suspect": "C1", "stage": "gossip", "access": [{"kind": "car", "detail": "x"}],
        "last_alleged_on": (clock.today() + timedelta(days=1)).isoformat(),
        "severity": "grave", "urgency": "", "facts": "short", "assessment": ""})
    assert bad.status_code == 422
    assert bad.json()["title"] == "The flag was not raised"
    assert [p["location"] for p in bad.json()["problems"]] == [
        "suspect", "stage", "access[0]", "last_alleged_on", "severity", "urgency", "facts",
        "assessment"]
    assert "Choose one of the referral's suspects." in [
        p["message"] for p in bad.json()["problems"]]
    assert _call(api, "POST", raising, reviewer, FLAG | {"access": []}).json()["problems"][0][
        "location"] == "access"
    shape = _call(api, "POST", raising, reviewer, {"suspect": "P1"})
    assert shape.status_code == 422
    assert "body.facts" in [p["location"] for p in shape.json()["problems"]]
    assert _call(api, "POST", f"/cases/{uuid.uuid4()}/safeguarding-flags", reviewer,
                 FLAG).status_code == 404
    assert _call(api, "GET", "/safeguarding/flags?status=all", reviewer).json()["total"] == 0
    assert _count(api.url, "safeguarding:flag:raised") == 0

    raised = _call(api, "POST", raising, reviewer, FLAG)
    assert raised.status_code == 201, raised.text
    flag = raised.json()
    assert raised.headers["Location"] == f"{API}/safeguarding/flags/{flag['id']}"
    assert flag["suspect"] == "P1" and flag["status"] == "open"
    assert flag["referral_id"] == str(referral_id) and flag["force_reference"] == "WYP/SG/01"
    assert flag["access"] == FLAG["access"] and flag["facts"] == FLAG["facts"]
    assert flag["referrals"] == [] and flag["raised_by"] == "user:senior"
    assert flag["raised_at"].endswith(("Z", "+00:00"))
    # Triage counts it at once.
    assert _breakdown(api.url, "WYP/SG/01")["safeguarding_flags"][1] == 10
    assert _count(api.url, "safeguarding:flag:raised") == 1

    listed = _call(api, "GET", "/safeguarding/flags", reviewer).json()
    assert [f["id"] for f in listed["items"]] == [flag["id"]]
    assert listed["total"] == 1 and listed["pages"] == 1
    assert "facts" not in listed["items"][0]
    assert _call(api, "GET", f"/safeguarding/flags?referral={uuid.uuid4()}",
                 reviewer).json()["total"] == 0
    assert _call(api, "GET", "/safeguarding/flags?status=resolved",
                 reviewer).json()["total"] == 0
    lost = _call(api, "GET", "/safeguarding/flags?status=lost", reviewer)
    assert lost.status_code == 422 and lost.json()["problems"][0]["location"] == "query.status"
    assert _call(api, "GET", f"/safeguarding/flags/{flag['id']}",
                 reviewer).json() == flag
    assert _call(api, "GET", f"/safeguarding/flags/{uuid.uuid4()}",
                 reviewer).status_code == 404

    resolving = f"/safeguarding/flags/{flag['id']}/resolution"
    reason = "Referred to the licensing authority, which suspended his licence."
    # Raising is the reviewer's; resolving is the safeguarding officer's.
    assert _call(api, "POST", resolving, reviewer, {"reason": reason}).status_code == 403
    short = _call(api, "POST", resolving, officer, {"reason": "done"})
    assert short.status_code == 422
    assert [p["location"] for p in short.json()["problems"]] == ["reason"]
    resolved = _call(api, "POST", resolving, officer, {"reason": reason})
    assert resolved.status_code == 200, resolved.text
    assert resolved.json()["status"] == "resolved" and resolved.json()["resolution"] == reason
    assert resolved.json()["resolved_by"] == "user:officer"
    again = _call(api, "POST", resolving, officer, {"reason": reason})
    assert again.status_code == 409 and "user:officer already resolved" in again.json()["detail"]
    assert _breakdown(api.url, "WYP/SG/01")["safeguarding_flags"][1] == 0
    assert _call(api, "GET", "/safeguarding/flags", reviewer).json()["total"] == 0
    assert _call(api, "GET", "/safeguarding/flags?status=resolved",
                 reviewer).json()["total"] == 1
    with session_scope(api.url) as session:
        event = session.scalar(select(AuditEvent).where(
            AuditEvent.action == "safeguarding:flag:resolved"))
    assert event is not None and event.justification == reason
    # Nothing can be referred from a resolved flag.
    with session_scope(api.url) as session:
        accounts.create_user(session, actor="test", username="lead", display_name="Lead",
                             password="a long test password 2", email="lead@nca.example")
    closed = _call(api, "POST", f"/safeguarding/flags/{flag['id']}/referrals", officer,
                   LICENSING)
    assert closed.status_code == 409 and "resolved" in closed.json()["detail"]


def test_a_referral_is_sent_through_the_outbox_as_a_disclosure_and_followed_to_its_answer(
        api: Api, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    referral_id = _case_with_a_named_complainant(api.url, tmp_path, "WYP/SG/02")
    flag_id = _raise(api.url, referral_id, TAXI)
    officer = _token(api.url, "officer", Role.SAFEGUARDING_OFFICER)
    reviewer = _token(api.url, "senior", Role.SENIOR_REVIEWER)
    with session_scope(api.url) as session:
        accounts.create_user(session, actor="test", username="lead", display_name="Lead",
                             password="a long test password 2", email="lead@nca.example")
    referring = f"/safeguarding/flags/{flag_id}/referrals"

    bad = _call(api, "POST", referring, officer, {
        "route": "oracle", "recipient_name": "", "recipient_address": "not an address",
        "gateway": "gossip", "requested_action": "do", "verified": ["eyes"],
        "supervisor": "nobody"})
    assert bad.status_code == 422 and bad.json()["detail"] == "Nothing was stored."
    assert [p["location"] for p in bad.json()["problems"]] == [
        "route", "recipient_name", "recipient_address", "gateway", "requested_action",
        "verified", "supervisor"]
    unverifiable = _call(api, "POST", referring, officer,
                         LICENSING | {"verified": ["name", "address"]})
    assert unverifiable.status_code == 422
    assert unverifiable.json()["problems"] == [{
        "code": "invalid_value", "location": "verified", "severity": "error",
        "message": "The subject's record has no address, so it cannot be marked verified: "
                   "untick it."}]
    # Referring is the safeguarding officer's alone.
    assert _call(api, "POST", referring, reviewer, LICENSING).status_code == 403
    assert _call(api, "POST", f"/safeguarding/flags/{uuid.uuid4()}/referrals", officer,
                 LICENSING).status_code == 404
    with session_scope(api.url) as session:
        assert outbox.listed(session) == []
    assert _count(api.url, "safeguarding:referral:sent") == 0

    made = _call(api, "POST", referring, officer, LICENSING)
    assert made.status_code == 201, made.text
    sent = made.json()
    assert made.headers["Location"] == f"{API}/safeguarding/referrals/{sent['id']}"
    assert sent["status"] == "sent" and sent["overdue"] is False
    assert sent["due_on"] == add_working_days(clock.today(), 1).isoformat()
    assert sent["suspect"] == "P1" and sent["supervisor"] == "lead"
    assert sent["content"]["identity"]["name"] == {"value": "Sus020 Pect0", "verified": True}
    assert sent["content"]["basis_of_concern"]["complainants"] == 1
    assert "Complainants: 1 (not named)" in sent["text"]
    assert "Nadia" not in made.text and "Zephyrine" not in made.text
    with session_scope(api.url) as session:
        (message,) = outbox.listed(session)
        body = session.scalar(select(outbox.OutboxMessage.body))
        disclosed = session.scalar(select(AuditEvent).where(
            AuditEvent.action == "safeguarding:referral:sent"))
    assert message.recipient == "licensing@borough.example"
    assert message.about == f"authority_referral:{sent['id']}"
    assert body == sent["text"]  # what the API shows is exactly what was sent
    assert disclosed is not None and disclosed.category == "disclosure"
    assert disclosed.actor == "user:officer"
    assert disclosed.recipient == "Taxi licensing, Borough Council <licensing@borough.example>"
    assert disclosed.justification == referrals.GATEWAYS["clpd"]

    twice = _call(api, "POST", referring, officer, LICENSING)
    assert twice.status_code == 422
    assert twice.json()["problems"][0]["location"] == "route"
    assert "already been referred" in twice.json()["problems"][0]["message"]
    home = _call(api, "POST", referring, officer, HOME_FORCE)
    assert home.status_code == 201, home.text
    with session_scope(api.url) as session:
        assert {m.recipient for m in outbox.listed(session)} == {
            "licensing@borough.example", "ppu@westyorkshire.police.example"}
    flag = _call(api, "GET", f"/safeguarding/flags/{flag_id}", reviewer).json()
    assert {r["route"] for r in flag["referrals"]} == {"licensing_authority", "home_force"}

    # Read back: the panel's senior reviewer may read; the list has each with its deadline.
    consulted = _count(api.url, "safeguarding:referral:consulted")
    one = _call(api, "GET", f"/safeguarding/referrals/{sent['id']}", reviewer)
    assert one.status_code == 200 and one.json() == sent
    # Reading the subject's identity as sent is a consultation.
    assert _count(api.url, "safeguarding:referral:consulted") == consulted + 1
    assert _call(api, "GET", f"/safeguarding/referrals/{uuid.uuid4()}",
                 reviewer).status_code == 404
    listed = _call(api, "GET", "/safeguarding/referrals", reviewer).json()
    assert listed["total"] == 2 and "content" not in listed["items"][0]
    assert {r["due_on"] for r in listed["items"]} == {sent["due_on"]}

    # The licensing authority acknowledges, then answers.
    acknowledging = f"/safeguarding/referrals/{sent['id']}/acknowledgement"
    assert _call(api, "POST", acknowledging, reviewer).status_code == 403
    vague = _call(api, "POST", acknowledging, officer, {"response": "ok", "action_taken": "x"})
    assert vague.status_code == 422
    assert [p["location"] for p in vague.json()["problems"]] == ["response"]
    bare = _call(api, "POST", acknowledging, officer)
    assert bare.status_code == 200, bare.text
    assert bare.json()["status"] == "acknowledged" and bare.json()["response"] is None
    waiting = _call(api, "GET", "/safeguarding/referrals?acknowledged=false", officer).json()
    assert [r["id"] for r in waiting["items"]] == [home.json()["id"]]
    done = _call(api, "GET", "/safeguarding/referrals?acknowledged=true", officer).json()
    assert [r["id"] for r in done["items"]] == [sent["id"]]
    answered = _call(api, "POST", acknowledging, officer, {
        "response": "Licence suspended pending our own inquiry.",
        "action_taken": "Suspended on 2 December."})
    assert answered.status_code == 200
    assert answered.json()["status"] == "responded"
    assert answered.json()["action_taken"] == "Suspended on 2 December."
    closed = _call(api, "POST", acknowledging, officer, {"response": "A second answer."})
    assert closed.status_code == 409 and "already recorded" in closed.json()["detail"]
    assert _count(api.url, "safeguarding:referral:acknowledged") == 2

    # The home force does not answer: overdue, chased, then escalated to the supervisor.
    assert _call(api, "GET", "/safeguarding/referrals?overdue=true", officer).json()[
        "total"] == 0
    due = datetime.fromisoformat(home.json()["due_on"]).date()
    late = add_working_days(due, 1)
    later = add_working_days(late, 1)
    with session_scope(api.url) as session:
        referrals.chase_overdue(session, actor="cli", today=late)
        referrals.chase_overdue(session, actor="cli", today=later)
    monkeypatch.setattr(clock, "now", lambda: datetime.combine(later, time(9), UTC))
    overdue = _call(api, "GET", "/safeguarding/referrals?overdue=true", officer).json()
    (late_one,) = overdue["items"]
    assert late_one["id"] == home.json()["id"] and late_one["overdue"] is True
    assert late_one["chased_at"] is not None and late_one["escalated_at"] is not None
    assert _call(api, "GET", "/safeguarding/referrals?overdue=true&acknowledged=true",
                 officer).json()["total"] == 0


ENDPOINTS = [
    ("GET", "/safeguarding/flags", None),
    ("GET", "/safeguarding/flags/{flag}", None),
    ("POST", "/cases/{case}/safeguarding-flags", FLAG),
    ("POST", "/safeguarding/flags/{flag}/resolution",
     {"reason": "The licensing authority suspended him."}),
    ("GET", "/safeguarding/referrals", None),
    ("GET", "/safeguarding/referrals/{referral}", None),
    ("POST", "/safeguarding/flags/{flag}/referrals", HOME_FORCE),
    ("POST", "/safeguarding/referrals/{referral}/acknowledgement", {}),
]


def test_a_force_system_or_a_role_without_safeguarding_is_refused_and_changes_nothing(
        api: Api, tmp_path: Path) -> None:
    referral_id = _case_with_a_named_complainant(api.url, tmp_path, "WYP/SG/03")
    flag_id = _raise(api.url, referral_id, TAXI)
    with session_scope(api.url) as session:
        accounts.create_user(session, actor="test", username="lead", display_name="Lead",
                             password="a long test password 2", email="lead@nca.example")
        made = referrals.make_referral(session, actor="officer", flag_id=flag_id,
                                       **LICENSING | {"verified": {"name"}})
    ids = {"case": referral_id, "flag": flag_id, "referral": made}
    outsiders = {"a force system": api.wyp,
                 "an analyst": _token(api.url, "analyst", Role.ANALYST),
                 "a victim liaison officer": _token(api.url, "liaison", Role.VICTIM_LIAISON),
                 "an auditor": _token(api.url, "auditor", Role.AUDITOR)}
    events = _count(api.url, "safeguarding:referral:sent")
    for method, path, body in ENDPOINTS:
        address = path.format(**ids)
        for who, token in outsiders.items():
            refused = _call(api, method, address, token, body)
            assert refused.status_code == 403, (who, method, address, refused.text)
            assert refused.json()["status"] == 403
        anonymous = api.client.request(method, f"{API}{address}", json=body)
        assert anonymous.status_code == 401
        assert anonymous.headers["WWW-Authenticate"] == "Bearer"
    with session_scope(api.url) as session:
        assert len(outbox.listed(session)) == 1
        flag = session.get(SafeguardingFlag, flag_id)
        assert flag is not None and flag.status == "open"
    assert _count(api.url, "safeguarding:referral:sent") == events == 1
    assert _count(api.url, "safeguarding:referral:acknowledged") == 0
