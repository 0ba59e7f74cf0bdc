"""The review through the API on both engines, with people's tokens: each acts as its person,
with their roles, so every rule of the pages applies (the holder of a case, four eyes, the
panel's role), from the triage queue to a charge recorded by the force's own token."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select
from tests.integration.conftest import WYP, Api
from tests.integration.test_allocation import _id, _reviewer
from tests.integration.test_triage import _case, _import

from beaconport import clock
from beaconport.audit.models import AuditEvent
from beaconport.auth import accounts
from beaconport.auth.permissions import Role
from beaconport.auth.service import issue_token
from beaconport.db import session_scope
from beaconport.errors import InvalidRequest
from beaconport.review.instrument import load

API = "/api/v1"


def _person(url: str, username: str, role: Role, *, reviewer: bool = False) -> str:
    if reviewer:
        _reviewer(url, username)
    with session_scope(url) as session:
        if not reviewer:
            accounts.create_user(session, actor="test", username=username,
                                 display_name=username.title(),
                                 password="a long test password 1")
        if role is not Role.REVIEWER:
            accounts.grant_role(session, actor="test", username=username, role=role)
        return issue_token(session, actor="test", name=f"{username}'s tools", username=username)


def _call(api: Api, method: str, path: str, token: str, body: Any = None) -> Any:
    return api.client.request(method, f"{API}{path}", headers=api.headers(token), json=body)


def test_a_case_goes_from_the_queue_to_a_charge_through_the_api(api: Api,
                                                                 tmp_path: Path) -> None:
    _import(api.url, tmp_path, _case("WYP/N/01"))
    referral_id = _id(api.url, "WYP/N/01")
    author = _person(api.url, "author", Role.REVIEWER, reviewer=True)
    checker = _person(api.url, "checker", Role.SENIOR_REVIEWER, reviewer=True)
    chair = _person(api.url, "chair", Role.PANEL_MEMBER)

    queue = _call(api, "GET", "/triage", checker).json()
    assert [e["referral_id"] for e in queue["entries"]] == [str(referral_id)]
    assert _call(api, "GET", f"/triage/{referral_id}", checker).json()["parts"]
    # A force system's token has no part in the national team's work.
    assert _call(api, "GET", "/triage", api.wyp).status_code == 403
    assert _call(api, "POST", f"/cases/{referral_id}/allocation", author,
                 {"username": "author"}).status_code == 403
    allocated = _call(api, "POST", f"/cases/{referral_id}/allocation", checker,
                      {"username": "author"})
    assert allocated.status_code == 200 and allocated.json()["done"] == "allocated"

    assert _call(api, "POST", f"/cases/{referral_id}/review", checker).status_code == 409
    review_id = _call(api, "POST", f"/cases/{referral_id}/review", author).json()["review_id"]
    finding = {"revision": 0, "assessment": "not_applicable", "basis": "fact"}
    bad = _call(api, "PUT", f"/reviews/{review_id}/items/C2", author,
                {"revision": 0, "assessment": "done_inadequately", "basis": "opinion"})
    assert bad.status_code == 422
    assert [p["location"] for p in bad.json()["problems"]] == [
        "basis", "achievable", "impact", "error_type"]
    for category in load().categories:
        for item in category.items:
            body = dict(finding) if item.code != "C2" else {
                "revision": 0, "assessment": "not_done_available_at_time",
                "basis": "assessment", "notes": "P2 never interviewed.", "evidence": ["MG6C"],
                "achievable": "yes", "impact": "likely", "error_type": "human_error"}
            saved = _call(api, "PUT", f"/reviews/{review_id}/items/{item.code}", author, body)
            assert saved.status_code == 200, saved.text
    stale = _call(api, "PUT", f"/reviews/{review_id}/items/A1", checker, finding)
    assert stale.status_code == 409 and "author" in stale.json()["detail"]
    submitted = _call(api, "POST", f"/reviews/{review_id}/submission", author)
    assert submitted.json()["status"] == "submitted"
    own = _call(api, "POST", f"/reviews/{review_id}/quality-assurance", author,
                {"decision": "sign-off", "note": "Signing my own review."})
    assert own.status_code == 409
    signed = _call(api, "POST", f"/reviews/{review_id}/quality-assurance", checker,
                   {"decision": "sign-off", "note": "Complete and well evidenced."})
    assert signed.json()["status"] == "signed-off"

    decided = _call(api, "POST", f"/cases/{referral_id}/panel-decisions", chair, {
        "outcome": "reinvestigate_local_force", "options_considered": ["nfa_upheld"],
        "rationale": "P2 was never interviewed; the line of inquiry is still open.",
        "members": ["checker"]})
    assert decided.status_code == 200, decided.text
    raised = _call(api, "POST", f"/cases/{referral_id}/actions", author, {
        "title": "Interview P2 under caution", "detail": "Traced in 2014, never interviewed.",
        "priority": "high", "finding_item": "C2"})
    assert raised.status_code == 200 and raised.json()["status"] == "raised"
    action = raised.json()["id"]
    assert _call(api, "POST", f"/actions/{action}/moves", author, {
        "step": "allocate", "allocated_to": WYP,
        "due_on": (clock.today() + timedelta(days=21)).isoformat()}).status_code == 409
    allocated_action = _call(api, "POST", f"/actions/{action}/moves", checker, {
        "step": "allocate", "allocated_to": WYP,
        "due_on": (clock.today() + timedelta(days=21)).isoformat()})
    assert allocated_action.json()["status"] == "allocated"
    # The force works it with its own system's token.
    assert _call(api, "POST", f"/actions/{action}/complete", api.wyp,
                 {"note": "P2 arrested and interviewed."}).status_code == 200
    assert _call(api, "POST", f"/actions/{action}/result", api.wyp, {
        "result": "New evidence disclosed; P2 charged.",
        "outcomes": [{"suspect": "P2", "event": "charged",
                      "occurred_on": clock.today().isoformat()}]}).status_code == 200
    for step, note in [("check", "Matches the custody record."), ("file", "")]:
        moved = _call(api, "POST", f"/actions/{action}/moves", checker,
                      {"step": step, "note": note})
        assert moved.status_code == 200, moved.text
    assert moved.json()["status"] == "filed"

    story = _call(api, "GET", f"/cases/{referral_id}/story", author).json()
    titles = [m["title"] for m in story]
    assert "Signed off for the panel" in titles and "Suspect P2: charged" in titles
    assert _call(api, "GET", f"/cases/{referral_id}/outcomes", author).json()["P2"][0][
        "event"] == "charged"
    learned = _call(api, "GET", "/learning", checker).json()
    assert learned["reviews"] == 1 and learned["by_force"][0]["force_code"] == WYP
    assert _call(api, "GET", "/learning", author).json()["by_force"] is None
    assert _call(api, "GET", "/learning", author, None).status_code == 200
    refused = api.client.get(f"{API}/learning", headers=api.headers(author),
                             params={"force": WYP})
    assert refused.status_code == 400 and refused.json()["problems"][0]["location"] == (
        "query.force")

    with session_scope(api.url) as session:
        signed_event = session.scalar(select(AuditEvent).where(
            AuditEvent.action == "review:review:signed-off"))
        assert signed_event is not None and signed_event.actor == "user:checker"
        assert signed_event.client is not None and "api-token:bp_" in signed_event.client
        accounts.disable_user(session, actor="test", username="author")
    assert _call(api, "GET", "/triage", author).status_code == 401


def test_a_token_is_for_a_force_or_a_person(api: Api) -> None:
    with session_scope(api.url) as session:
        for force, user in [(WYP, "someone"), (None, None), (None, "nobody-here")]:
            try:
                issue_token(session, actor="test", name="Tools", force_code=force,
                            username=user)
            except InvalidRequest as exc:
                assert "force" in str(exc) or "account" in str(exc)
            else:
                raise AssertionError(f"issued for {force!r} and {user!r}")
