"""The API (/api/v1) on both engines: tokens, submission, the quarantine, and force scoping."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from tests.integration.conftest import REFERRALS, Api, Seeded
from tests.integration.helpers import count, example, write_jsonl

from beaconport import clock
from beaconport.audit.actions import AuditAction
from beaconport.audit.models import AuditEvent
from beaconport.auth.service import issue_token, revoke_token
from beaconport.db import session_scope
from beaconport.referrals import submission
from beaconport.referrals.importer import import_file
from beaconport.referrals.models import ImportBatch, Referral, RejectedReferral

WYP, GMP = "E23000010", "E23000005"


def _unauthorised(response: Any) -> None:
    assert response.status_code == 401, response.text
    assert response.headers["www-authenticate"] == "Bearer"
    assert response.headers["content-type"].startswith("application/json")
    assert response.json()["status"] == 401


# -- submitting ------------------------------------------------------------------------------

def test_a_valid_referral_is_stored_audited_and_located(api: Api) -> None:
    response = api.submit(example())

    assert response.status_code == 201, response.text
    body = response.json()
    assert body["result"] == "accepted" and body["version"] == 1
    assert body["force_code"] == WYP and body["force_reference"] == "WYP/CSE/2014/00123"
    assert body["status"] == "eligible"  # screened as soon as it was stored
    assert response.headers["location"] == f"{REFERRALS}/{body['id']}"
    with session_scope(api.url) as session:
        referral = session.scalar(select(Referral))
        assert referral is not None and str(referral.id) == body["id"]
        batch = session.scalar(select(ImportBatch))
        assert batch is not None
        assert (batch.carrier, batch.status, batch.accepted) == ("api", "completed", 1)
        assert batch.source_name == f"api:{api.wyp[:10]}"
        collected = session.scalar(select(AuditEvent).where(
            AuditEvent.action == AuditAction.REFERRAL_COLLECTED.value))
        assert collected is not None
        assert collected.subject_id == body["id"]
        assert collected.actor == f"token:{api.wyp[:10]}"
        assert collected.actor_roles == f"force-submitter@{WYP}, force-investigator@{WYP}"
        assert collected.client == "testclient"


def test_resubmitting_changed_content_is_a_new_version_and_the_same_again_is_unchanged(
        api: Api) -> None:
    first = api.submit(example()).json()
    changed = example(summary="A corrected administrative summary.")

    again = api.submit(changed)
    assert again.status_code == 201, again.text
    assert again.json()["result"] == "resubmitted" and again.json()["version"] == 2
    assert again.json()["id"] == first["id"]

    same = api.submit(changed)
    assert same.status_code == 200, same.text
    assert same.json()["result"] == "unchanged" and same.json()["version"] == 2
    assert same.headers["location"] == f"{REFERRALS}/{first['id']}"
    assert count(api.url, Referral) == 1
    assert count(api.url, AuditEvent,
                 AuditEvent.action == AuditAction.REFERRAL_RESUBMITTED.value) == 1


def test_warnings_come_back_with_an_accepted_referral(api: Api) -> None:
    response = api.submit(example(nickname_of_system="ours"))

    assert response.status_code == 201, response.text
    assert [(w["code"], w["location"], w["severity"]) for w in response.json()["warnings"]] == [
        ("unknown_field", "nickname_of_system", "warning")]


def test_an_invalid_referral_gets_the_codes_file_import_gives_and_is_quarantined(
        api: Api, tmp_path: Path) -> None:
    document = example(referred_on="2014-02-31")
    document["crimes"][0]["offence"] = {"scheme": "SOA2003"}
    document["people"][0]["sex"] = "unknown-ish"

    response = api.submit(document)

    assert response.status_code == 422, response.text
    body = response.json()
    assert body["status"] == 422 and body["title"]
    with session_scope(api.url) as session:
        kept = session.scalar(select(RejectedReferral))
        assert kept is not None
        assert json.loads(kept.raw_text) == document
        assert (kept.status, kept.force_code, kept.force_reference, kept.position) == (
            "open", WYP, "WYP/CSE/2014/00123", "request body")
        assert kept.problems == body["problems"]
    by_api = [(p["code"], p["location"]) for p in body["problems"]]
    outcome = import_file(write_jsonl(tmp_path / "same.jsonl", [document]), actor="test:file",
                          unit_of_work=lambda: session_scope(api.url))
    by_file = [(p.code, p.location.removeprefix("line 1: "))
               for p in outcome.rejections[0].problems]
    assert by_api == by_file
    assert {"invalid_date", "missing_field", "invalid_value"} <= {c for c, _ in by_api}
    assert count(api.url, Referral) == 0


def test_a_referral_for_another_force_is_refused_and_nothing_is_stored(api: Api) -> None:
    for force in (GMP, "Greater Manchester Police"):
        response = api.submit(example(force=force))

        assert response.status_code == 403, response.text
        assert GMP in response.json()["detail"]
    for model in (Referral, RejectedReferral, ImportBatch):
        assert count(api.url, model) == 0, model
    # An invalid referral for another force is refused too, not kept in our quarantine.
    assert api.submit(example(force=GMP, referred_on="never")).status_code == 403
    assert count(api.url, RejectedReferral) == 0


@pytest.mark.parametrize(("body", "code"), [
    (b'{"format": "beaconport.referral/1", "force": ', "invalid_json"),
    (b"<referral>not json</referral>", "invalid_json"),
    (b"[1, 2, 3]", "not_an_object"),
    (b'"a referral"', "not_an_object"),
    (b'{"force": NaN}', "invalid_json"),
    (b'{"summary": "caf\xe9"}', "not_utf8"),
])
def test_a_body_that_is_not_a_json_object_gets_422_in_plain_words(api: Api, body: bytes,
                                                                  code: str) -> None:
    response = api.client.post(REFERRALS, content=body, headers={
        **api.headers(), "Content-Type": "application/json"})

    assert response.status_code == 422, response.text
    problems = response.json()["problems"]
    assert [p["code"] for p in problems] == [code]
    assert "request body" in problems[0]["message"]
    assert count(api.url, RejectedReferral) == 1  # kept, like a bad line in a file


@pytest.mark.parametrize(("text", "location"), [
    (json.dumps(example(summary="before\u0000after")), "summary"),
    (json.dumps(example(summary="half a pair \ud800")), "summary"),
    (json.dumps(example(**{"odd\u0000name": 1})), "odd\\u0000name"),
    (json.dumps(example(referred_on="never", people=[{"id": "P\udfff"}])), "people[0].id"),
])
def test_text_no_database_can_store_is_refused_and_kept_as_sent(api: Api, text: str,
                                                                location: str) -> None:
    # NUL: PostgreSQL refuses it in text and JSON; unpaired surrogates cannot be UTF-8 at all.
    response = api.client.post(REFERRALS, content=text.encode(), headers={
        **api.headers(), "Content-Type": "application/json"})

    assert response.status_code == 422, response.text
    assert [(p["code"], p["location"]) for p in response.json()["problems"]] == [
        ("invalid_value", location)]
    with session_scope(api.url) as session:
        kept = session.scalar(select(RejectedReferral))
        assert kept is not None and kept.raw_text == text and kept.document is None
    assert count(api.url, Referral) == 0


def test_a_nul_byte_in_a_body_that_is_not_json_is_kept_visibly(api: Api) -> None:
    response = api.client.post(REFERRALS, content=b'{"summary": "a\x00b"}', headers={
        **api.headers(), "Content-Type": "application/json"})

    assert response.status_code == 422, response.text
    assert response.json()["problems"][0]["code"] == "invalid_json"
    with session_scope(api.url) as session:
        kept = session.scalar(select(RejectedReferral))
        assert kept is not None and kept.raw_text == '{"summary": "a\\u0000b"}'


def test_an_empty_body_or_one_that_is_not_json_is_refused_and_not_kept(api: Api) -> None:
    empty = api.client.post(REFERRALS, content=b"", headers=api.headers())
    assert empty.status_code == 422, empty.text
    assert empty.json()["problems"][0]["code"] == "invalid_json"

    form = api.client.post(REFERRALS, data={"force": WYP}, headers=api.headers())
    assert form.status_code == 415, form.text
    assert form.json()["status"] == 415
    assert count(api.url, RejectedReferral) == 0 and count(api.url, ImportBatch) == 0


# -- tokens ----------------------------------------------------------------------------------

@pytest.mark.parametrize("header", [
    None, "Bearer", "Bearer not-a-token", "Bearer bp_madeUpButWellFormed0000000000000000000000",
    "Basic dXNlcjpwYXNz",
])
def test_no_token_or_an_unknown_one_gets_401(api: Api, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    for response in (api.client.get(REFERRALS, headers=headers),
                     api.client.post(REFERRALS, json=example(), headers=headers)):
        _unauthorised(response)
    assert count(api.url, Referral) == 0


def test_an_expired_or_revoked_token_gets_401(api: Api,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    with session_scope(api.url) as session:
        short = issue_token(session, actor="test:setup", name="short-lived", force_code=WYP,
                            days=1)
        revoke_token(session, actor="test:setup", prefix=api.gmp[:10])
    assert api.get(REFERRALS, short).status_code == 200
    _unauthorised(api.get(REFERRALS, api.gmp))

    later = clock.now() + timedelta(days=1, seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    _unauthorised(api.get(REFERRALS, short))
    assert api.get(REFERRALS).status_code == 200  # the 90-day token still works


def test_the_web_session_cookie_alone_gets_401_on_the_api(web: Seeded) -> None:
    browser = web.as_user("demo-force-submitter")
    assert browser.get("/referrals").status_code == 200  # signed in for the pages

    _unauthorised(browser.get(REFERRALS))
    _unauthorised(browser.get(f"{REFERRALS}/{web.wyp_referral}"))
    _unauthorised(browser.client.post(REFERRALS, json=example("WYP/COOKIE/1")))


# -- reading ---------------------------------------------------------------------------------

def test_a_token_lists_and_reads_only_its_own_forces_referrals(api: Api) -> None:
    ours = api.submit(example("WYP/CSE/2014/00001")).json()
    api.submit(example("WYP/CSE/2014/00002"))
    theirs = api.submit(example("GMP/CSE/2016/00001", force=GMP), api.gmp).json()

    page = api.get(REFERRALS).json()
    assert page["total"] == 2 and page["page"] == 1 and page["pages"] == 1
    assert {r["force_code"] for r in page["items"]} == {WYP}
    assert api.get(REFERRALS, params={"force": GMP}).json()["total"] == 0
    filtered = api.get(REFERRALS, params={"q": "00001", "sort": "reference"}).json()
    assert [r["force_reference"] for r in filtered["items"]] == ["WYP/CSE/2014/00001"]
    assert all(datetime.fromisoformat(r["received_at"]).utcoffset() == timedelta(0)
               for r in page["items"])

    own = api.get(f"{REFERRALS}/{ours['id']}")
    assert own.status_code == 200, own.text
    assert own.json()["force_reference"] == "WYP/CSE/2014/00001"
    assert own.json()["status"] == "eligible"
    assert "people" not in own.json()

    for path in (f"{REFERRALS}/{theirs['id']}",
                 f"{REFERRALS}/by-reference/{GMP}/GMP/CSE/2016/00001"):
        hidden = api.get(path)
        assert hidden.status_code == 404, hidden.text
        assert "GMP/CSE" not in hidden.text
    assert api.get(f"{REFERRALS}/{theirs['id']}", api.gmp).status_code == 200


def test_a_referral_is_found_by_the_forces_own_reference(api: Api) -> None:
    stored = api.submit(example("WYP/CSE/2014/00123")).json()

    for path in (f"{REFERRALS}/by-reference/{WYP}/WYP/CSE/2014/00123",
                 f"{REFERRALS}/by-reference/{WYP.lower()}/WYP%2FCSE%2F2014%2F00123"):
        found = api.get(path)
        assert found.status_code == 200, found.text
        assert found.json()["id"] == stored["id"]
    for missing in ("WYP/CSE/2014/99999", "WYP%00", "%1B%5B2J"):
        assert api.get(f"{REFERRALS}/by-reference/{WYP}/{missing}").status_code == 404


def test_british_transport_polices_lower_case_code_is_found_in_any_case(api: Api) -> None:
    with session_scope(api.url) as session:
        btp = issue_token(session, actor="test:setup", name="BTP system", force_code="btp")
    stored = api.submit(example("BTP/2015/7", force="British Transport Police"), btp)
    assert stored.status_code == 201, stored.text
    assert stored.json()["force_code"] == "btp"

    for code in ("btp", "BTP"):
        found = api.get(f"{REFERRALS}/by-reference/{code}/BTP/2015/7", btp)
        assert found.status_code == 200, found.text
    assert api.get(f"{REFERRALS}/by-reference/btp/BTP/2015/7").status_code == 404  # WYP's token


def test_a_malformed_id_or_filter_is_422_not_500(api: Api) -> None:
    assert api.get(f"{REFERRALS}/not-an-id").status_code == 422
    for params in ({"page": "0"}, {"sort": "nonsense"}, {"referred_from": "yesterday"},
                   {"q": "WYP\x00"}, {"force": "\x1b[2J"}):
        response = api.get(REFERRALS, params=params)
        assert response.status_code == 422, (params, response.text)
        assert response.json()["problems"][0]["location"].startswith("query.")


# -- the application -------------------------------------------------------------------------

def test_an_unexpected_failure_is_a_json_500_with_a_reference_and_no_trace(
        api: Api, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("SELECT secret FROM somewhere")

    monkeypatch.setattr(submission, "submit_referral", broken)
    client = TestClient(api.client.app, base_url="https://testserver",
                        raise_server_exceptions=False)
    response = client.post(REFERRALS, json=example(), headers=api.headers())

    assert response.status_code == 500
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["status"] == 500 and len(body["reference"]) == 8
    assert "SELECT" not in response.text and "Traceback" not in response.text
    # Logged once, under the reference given, though both the API and the app see the error.
    logged = [r for r in caplog.records if r.getMessage().startswith("unexpected error")]
    assert len(logged) == 1 and body["reference"] in logged[0].getMessage()


def test_the_openapi_document_is_served_and_its_example_is_accepted(api: Api) -> None:
    document = api.client.get("/api/v1/openapi.json").json()

    assert document["info"]["title"] == "Beaconport API"
    assert document["servers"] == [{"url": "/api/v1"}]
    assert document["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            assert {"401", "403", "422"} <= set(operation["responses"]), (method, path)
            assert operation["security"] == [{"HTTPBearer": []}], (method, path)
    submit = document["paths"]["/referrals"]["post"]
    example_body = submit["requestBody"]["content"]["application/json"]["example"]
    response = api.submit(example_body)
    assert response.status_code == 201, response.text
    assert response.json()["warnings"] == []


def test_api_errors_speak_of_requests_not_pages(api: Api) -> None:
    missing = api.get(f"{REFERRALS}/00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.json()["title"] == "Not found"
    anonymous = api.client.get(REFERRALS)
    assert anonymous.json()["title"] == "Not authenticated"


def test_a_force_system_reads_its_referrals_screening(api: Api) -> None:
    undated = example("WYP/CSE/2014/00077")
    for decision in undated["decisions"]:
        decision.pop("decided_on", None)
    created = api.submit(undated).json()
    screening = api.get(f"{REFERRALS}/{created['id']}/screening")
    assert screening.status_code == 200, screening.text
    body = screening.json()
    assert body["decision"] == "needs_information" and body["ruleset"] == "beaconport-2025"
    assert [c["criterion"] for c in body["criteria"]][:2] == ["force_in_scope", "nfa_in_window"]
    assert any("date of the no-further-action decision" in m for m in body["missing"])
    assert body["screened_at"].endswith(("+00:00", "Z"))
    other = api.get(f"{REFERRALS}/{created['id']}/screening", api.gmp)
    assert other.status_code == 404


def test_an_information_request_opens_lists_and_closes_when_answered(api: Api) -> None:
    undated = example("WYP/CSE/2014/00088")
    for decision in undated["decisions"]:
        decision.pop("decided_on", None)
    api.submit(undated)
    asked = api.get(f"{REFERRALS}/information-requests/open")
    assert asked.status_code == 200, asked.text
    (request,) = asked.json()
    assert request["force_reference"] == "WYP/CSE/2014/00088"
    assert any("date of the no-further-action decision" in item for item in request["items"])
    assert api.get(f"{REFERRALS}/information-requests/open", api.gmp).json() == []
    answered = api.submit(example("WYP/CSE/2014/00088"))  # the same referral, dated
    assert answered.json()["status"] == "eligible"
    assert api.get(f"{REFERRALS}/information-requests/open").json() == []
