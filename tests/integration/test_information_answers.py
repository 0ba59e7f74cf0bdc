"""Answering an information request on the web and through the API: the answers become a new
version of the referral, screened again at once; bad answers are explained and store nothing."""

from __future__ import annotations

import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from tests.integration.conftest import Api, Seeded
from tests.integration.helpers import example, write_jsonl

from beaconport import clock
from beaconport.audit.models import AuditEvent
from beaconport.auth.permissions import Role
from beaconport.auth.policy import Grant, Principal
from beaconport.db import session_scope
from beaconport.referrals.importer import import_file
from beaconport.referrals.models import Referral, ReferralVersion
from beaconport.screening import answers
from beaconport.screening.models import InformationRequest
from beaconport.screening.service import screen_stored

REFERENCE = "WYP/ASK/2014/00001"


def _undecided(reference: str = REFERENCE) -> dict[str, Any]:
    """Screening cannot decide it: two undated NFAs, P2's alive status and P3's support."""
    doc = example(reference)
    for decision in doc["decisions"]:
        del decision["decided_on"]
    doc["people"][1]["alive_status"] = "unknown"
    doc["people"][2]["review_support"] = "undecided"
    return doc


def _import(url: str, tmp_path: Path, *docs: dict[str, Any]) -> None:
    import_file(write_jsonl(tmp_path / f"{uuid.uuid4()}.jsonl", list(docs)), actor="test",
                unit_of_work=lambda: session_scope(url), after_chunk=screen_stored("test"))


def _state(url: str, reference: str = REFERENCE) -> tuple[str, int, list[str] | None]:
    """The referral's status, its current version and its open request's items (if any)."""
    with session_scope(url) as session:
        referral = session.scalars(select(Referral).where(
            Referral.force_reference == reference)).one()
        items = session.scalar(select(InformationRequest.items).where(
            InformationRequest.referral_id == referral.id,
            InformationRequest.status == "open"))
        return referral.status, referral.current_version, items


def _request_id(url: str, reference: str = REFERENCE) -> uuid.UUID:
    with session_scope(url) as session:
        found = session.scalar(select(InformationRequest.id).join(
            Referral, Referral.id == InformationRequest.referral_id).where(
            Referral.force_reference == reference))
    assert found is not None
    return found


def test_a_force_user_answers_on_the_web_and_the_referral_is_decided_at_once(
        web: Seeded, tmp_path: Path) -> None:
    _import(web.url, tmp_path, _undecided())
    status, version, items = _state(web.url)
    assert status == "needs-information" and version == 1 and items is not None
    request_id = _request_id(web.url)
    force = web.as_user("demo-force-submitter")
    listed = force.get("/information-requests").text
    assert f'href="/information-requests/{request_id}"' in listed

    form_page = f"/information-requests/{request_id}"
    form = force.get(form_page).text
    keys = re.findall(r'name="([a-z_]+:[^"]+)"', form)
    assert sorted(set(keys)) == ["alive_status:P2", "decided_on:0", "decided_on:1",
                                 "review_support:P3"]
    assert "Is suspect P2 (Adam Example) alive?" in form
    assert "Jane" not in form and "Doe " not in form, "a complainant is named by reference only"

    refused = force.post_form(form_page, {"version": "1", "alive_status:P2": "believed_alive",
                                          "decided_on:0": "last Tuesday"})
    assert refused.status_code == 400
    assert "There is a problem" in refused.text and "last Tuesday" in refused.text
    assert 'value="believed_alive" checked' in refused.text, "what was typed is kept"
    assert _state(web.url)[1] == 1, "nothing stored"

    done = force.post_form(form_page, {
        "version": "1", "alive_status:P2": "believed_alive", "decided_on:0": "2015-02-10",
        "decided_on:1": "2014-11-01", "review_support:P3": "supports"})
    assert done.status_code == 200, done.text
    assert re.search(r'data-testid="decision-now">Eligible<', done.text)
    assert _state(web.url) == ("eligible", 2, None)
    with session_scope(web.url) as session:
        document = session.scalar(select(ReferralVersion.document).where(
            ReferralVersion.number == 2, ReferralVersion.referral_id == select(Referral.id)
            .where(Referral.force_reference == REFERENCE).scalar_subquery()))
        assert document is not None
        assert document["people"][1]["alive_status_checked_on"] == clock.today().isoformat()
        assert document["people"][2]["review_support"] == "supports"
        answered = session.scalars(select(AuditEvent).where(
            AuditEvent.action == "screening:information-request:answered")).one()
        assert answered.data is not None
        assert answered.data["answered"] == ["alive_status:P2", "decided_on:0", "decided_on:1",
                                             "review_support:P3"]
    assert force.get(form_page).status_code == 404, "an answered request is closed"


def test_a_partial_answer_narrows_the_request(web: Seeded, tmp_path: Path) -> None:
    _import(web.url, tmp_path, _undecided())
    force = web.as_user("demo-force-submitter")
    page = f"/information-requests/{_request_id(web.url)}"
    done = force.post_form(page, {"version": "1", "alive_status:P2": "believed_alive"})
    assert done.status_code == 200 and "Screening still needs" in done.text
    status, version, items = _state(web.url)
    assert (status, version) == ("needs-information", 2)
    assert items is not None and not any("alive status" in item for item in items)
    assert "alive_status:P2" not in force.get(page).text

    stale = force.post_form(page, {"version": "1", "review_support:P3": "supports"})
    assert stale.status_code == 400 and "new version" in stale.text
    assert _state(web.url)[1] == 2


def test_only_the_referring_force_and_screeners_may_answer(web: Seeded, tmp_path: Path) -> None:
    _import(web.url, tmp_path, _undecided())
    page = f"/information-requests/{_request_id(web.url)}"
    assert web.as_user("demo-force-submitter-2").get(page).status_code == 404
    assert web.as_user("demo-reviewer").get(page).status_code == 403
    assert web.as_user("demo-screener").get(page).status_code == 200
    nothing = web.as_user("demo-force-submitter").post_form(page, {"version": "1"})
    assert nothing.status_code == 400 and "Answer at least one question" in nothing.text


def test_every_kind_of_question_and_its_checks(web: Seeded, tmp_path: Path) -> None:
    doc = example("WYP/ASK/2014/00002")
    doc["crimes"][0]["offence"] = {"scheme": "OTHER", "code": "local 99"}
    complainant = doc["people"][2]
    del complainant["age_at_first_offence"]
    complainant["date_of_birth"] = "1995"  # a child or not, in 2013: cannot tell
    _import(web.url, tmp_path, doc)
    screener = Principal(uuid.uuid4(), "s", "S", (Grant(Role.SCREENER),))
    request_id = _request_id(web.url, "WYP/ASK/2014/00002")
    with session_scope(web.url) as session:
        asked = answers.questions_for(session, screener, request_id)
        assert {q.key: q.kind for q in asked.questions} == {
            "age_at_first_offence:P3": "age", "offence:13140012345": "offence"}
        with pytest.raises(answers.AnswerProblems) as problems:
            answers.answer_request(session, principal=screener, actor=screener.actor,
                                   request_id=request_id, version=1,
                                   answers={"age_at_first_offence:P3": "fourteen",
                                            "offence:13140012345": "s9",
                                            "alive_status:P9": "deceased"})
        assert [key for key, _ in problems.value.problems] == [
            "alive_status:P9", "age_at_first_offence:P3", "offence:13140012345"]
    with session_scope(web.url) as session:
        done = answers.answer_request(
            session, principal=screener, actor=screener.actor, request_id=request_id,
            version=1, answers={"age_at_first_offence:P3": "13",
                                "offence:13140012345": "SOA2003 s9"})
    assert (done.result, done.version, done.decision) == ("resubmitted", 2, "eligible")


def test_a_force_system_answers_through_the_api(api: Api, tmp_path: Path) -> None:
    _import(api.url, tmp_path, _undecided())
    request_id = _request_id(api.url)
    base = f"/api/v1/referrals/information-requests/{request_id}"
    assert api.get(base, token=api.gmp).status_code == 404
    asked = api.get(base)
    assert asked.status_code == 200
    body = asked.json()
    assert body["version"] == 1
    alive = next(q for q in body["questions"] if q["key"] == "alive_status:P2")
    assert alive["choices"] == ["believed_alive", "deceased", "unknown"]

    bad = api.client.post(f"{base}/answers", headers=api.headers(),
                          json={"version": 1, "answers": {"alive_status:P2": "maybe"}})
    assert bad.status_code == 422
    assert bad.json()["problems"][0]["location"] == "alive_status:P2"
    stale = api.client.post(f"{base}/answers", headers=api.headers(),
                            json={"version": 7, "answers": {"alive_status:P2": "deceased"}})
    assert stale.status_code == 409
    assert _state(api.url)[1] == 1

    done = api.client.post(f"{base}/answers", headers=api.headers(), json={
        "version": 1, "answers": {"alive_status:P2": "believed_alive",
                                  "decided_on:0": "2015-02-10", "decided_on:1": "2014-11-01",
                                  "review_support:P3": "supports"}})
    assert done.status_code == 200, done.text
    assert done.json()["decision"] == "eligible" and done.json()["still_missing"] == []
    assert api.get(base).status_code == 404
