"""Victim and survivor engagement through the API on both engines, with a victim liaison
officer's token: support recorded step by step (a withdrawal holds the case), the contact plan
saved with its revision (a stale one is a conflict), a contact that meets a duty, every problem
named by its field with nothing stored; every other role, and a force's token, is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.integration.conftest import Api
from tests.integration.test_allocation import _id, _status
from tests.integration.test_api_safeguarding import _call, _token
from tests.integration.test_triage import _case, _import
from tests.integration.test_victim_engagement import _two_complainants

from beaconport import clock
from beaconport.auth.permissions import Role
from beaconport.referrals import states


def test_a_liaison_officer_works_through_the_api(api: Api, tmp_path: Path) -> None:
    _import(api.url, tmp_path, _two_complainants("WYP/VA/01"))
    referral_id = _id(api.url, "WYP/VA/01")
    vlo = _token(api.url, "vlo", Role.VICTIM_LIAISON)
    base = f"/referrals/{referral_id}/complainants/C1"
    read = _call(api, "GET", base, vlo)
    assert read.status_code == 200, read.text
    assert read.json()["support"] == "supports" and read.json()["plan_revision"] == 0
    assert "declines" in read.json()["next_support"]

    bad = _call(api, "POST", f"{base}/support", vlo, {
        "to_state": "approached", "occurred_on": clock.today().isoformat(),
        "approached_by": "", "through": "isva", "through_name": "", "agreed": "x"})
    assert bad.status_code == 422
    assert {p["location"] for p in bad.json()["problems"]} >= {
        "to_state", "approached_by", "through_name", "agreed"}
    assert _call(api, "GET", base, vlo).json()["steps"] == []

    withdrawn = _call(api, "POST", f"{base}/support", vlo, {
        "to_state": "declines", "occurred_on": clock.today().isoformat(),
        "approached_by": "DC Reed", "through": "direct",
        "agreed": "She asked for the review of her case to stop."})
    assert withdrawn.status_code == 200, withdrawn.text
    assert "withdrew support" in withdrawn.json()["on_hold"]
    assert _status(api.url, "WYP/VA/01") == states.PAUSED

    plan = {"revision": 0, "preferred_name": "Jay",
            "channels": [{"kind": "email", "detail": "jay@mail.example"}],
            "no_contact": [{"from": "2027-03-01", "to": "2027-03-10", "reason": "Away"}],
            "updates": "all"}
    assert _call(api, "PUT", f"{base}/plan", vlo, plan).json()["plan_revision"] == 1
    stale = _call(api, "PUT", f"{base}/plan", vlo, plan)
    assert stale.status_code == 409
    wrong = _call(api, "PUT", f"{base}/plan", vlo, plan | {
        "revision": 1, "channels": [{"kind": "pigeon", "detail": "loft"}],
        "no_contact": [{"from": "2027-03-10", "to": "2027-03-01"}]})
    assert wrong.status_code == 422
    assert {p["location"] for p in wrong.json()["problems"]} == {"channels[0].kind",
                                                                 "no_contact[0].to"}
    logged = _call(api, "POST", f"{base}/contacts", vlo, {
        "occurred_at": clock.now().isoformat(), "direction": "incoming", "channel": "email",
        "reached": True, "summary": "She wrote to confirm she wants no further contact."})
    assert logged.status_code == 201 and len(logged.json()["contacts"]) == 1
    duties = _call(api, "GET", "/victims/duties", vlo)
    assert duties.status_code == 200 and "percent_on_time" in duties.json()
    assert _call(api, "GET", f"/referrals/{referral_id}/complainants/P1", vlo).status_code == 404


# Force-scoped roles are refused as force tokens are (the force's own token is tried below).
@pytest.mark.parametrize("role", [r for r in Role if r not in (
    Role.VICTIM_LIAISON, Role.FORCE_SUBMITTER, Role.FORCE_INVESTIGATOR)], ids=lambda r: r.value)
def test_no_other_role_reads_or_writes_engagement(api: Api, tmp_path: Path,
                                                  role: Role) -> None:
    _import(api.url, tmp_path, _case("WYP/VA/02"))
    referral_id = _id(api.url, "WYP/VA/02")
    base = f"/referrals/{referral_id}/complainants/C1"
    for token in (_token(api.url, "someone", role), api.wyp):
        assert _call(api, "GET", base, token).status_code in (403, 404)
        assert _call(api, "GET", "/victims/duties", token).status_code in (403, 404)
        assert _call(api, "PUT", f"{base}/plan", token, {"revision": 0}).status_code in (
            403, 404)
