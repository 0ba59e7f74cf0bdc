"""The actions API on both engines: a force's system lists and reads only the actions allocated
to its force, records the work done and the result with the suspects' outcomes, and is told
in JSON what is wrong, with nothing stored."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from tests.integration.conftest import WYP, Api
from tests.integration.test_actions import _to_panel
from tests.integration.test_structured_review import _principal

from beaconport import clock
from beaconport.auth.permissions import Role
from beaconport.db import session_scope
from beaconport.review import actions, outcomes

ACTIONS = "/api/v1/actions"


def test_a_force_system_works_its_action_to_a_charge(api: Api, tmp_path: Path) -> None:
    referral_id = _to_panel(api.url, tmp_path, "WYP/API/01", "reinvestigate_local_force")
    manager = _principal(api.url, "checker", Role.SENIOR_REVIEWER)
    with session_scope(api.url) as session:
        action_id = actions.raise_action(session, actor="author", referral_id=referral_id,
                                         title="Interview suspect P1",
                                         detail="Never interviewed though he was traced.",
                                         priority="high", finding_item="C2")
        actions.move(session, principal=manager, actor="checker", action_id=action_id,
                     step="allocate", allocated_to=WYP,
                     due_on=clock.today() + timedelta(days=10))
    listed = api.get(ACTIONS)
    assert listed.status_code == 200
    assert [a["id"] for a in listed.json()["items"]] == [str(action_id)]
    assert listed.json()["items"][0]["status"] == "allocated"
    assert api.get(ACTIONS, token=api.gmp).json()["total"] == 0
    assert api.get(f"{ACTIONS}/{action_id}", token=api.gmp).status_code == 404
    assert api.get(ACTIONS, params={"status": "lost"}).status_code == 422
    one = api.get(f"{ACTIONS}/{action_id}").json()
    assert one["moves"] == ["complete"] and one["steps"][0]["step"] == "raise"

    early = api.client.post(f"{ACTIONS}/{action_id}/result", headers=api.headers(),
                            json={"result": "Charged with two offences."})
    assert early.status_code == 409 and "You can record the work as done" in early.json()[
        "detail"]
    done = api.client.post(f"{ACTIONS}/{action_id}/complete", headers=api.headers(),
                           json={"note": "Arrested and interviewed under caution."})
    assert done.status_code == 200 and done.json()["status"] == "completed"
    bad = api.client.post(f"{ACTIONS}/{action_id}/result", headers=api.headers(), json={
        "result": "Charged.", "outcomes": [
            {"suspect": "P1", "event": "charged", "occurred_on": clock.today().isoformat()},
            {"suspect": "P9", "event": "knighted",
             "occurred_on": (clock.today() + timedelta(days=2)).isoformat()}]})
    assert bad.status_code == 422
    assert [p["location"] for p in bad.json()["problems"]] == [
        "note", "outcomes[1].suspect", "outcomes[1].event", "outcomes[1].occurred_on"]
    with session_scope(api.url) as session:
        assert outcomes.ledger(session, referral_id) == {}
    shape = api.client.post(f"{ACTIONS}/{action_id}/result", headers=api.headers(),
                            json={"result": 7, "outcomes": "none"})
    assert shape.status_code == 422
    resulted = api.client.post(f"{ACTIONS}/{action_id}/result", headers=api.headers(), json={
        "result": "Interview disclosed new evidence: charged.",
        "outcomes": [{"suspect": "P1", "event": "charged",
                      "occurred_on": clock.today().isoformat()}]})
    assert resulted.status_code == 200, resulted.text
    assert resulted.json()["status"] == "resulted" and resulted.json()["moves"] == []
    with session_scope(api.url) as session:
        assert [s.event for s in outcomes.ledger(session, referral_id)["P1"]] == ["charged"]
    assert api.client.post(f"{ACTIONS}/{action_id}/complete", headers=api.headers(api.gmp),
                           json={"note": "Not our force's action."}).status_code == 404
