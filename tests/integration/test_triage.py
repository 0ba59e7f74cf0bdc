"""The triage queue on both engines: eligible cases scored from documented factors, kept up to
date as screening, linkage and weights change, ordered by score, and never moved by ethnicity or
nationality."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from tests.integration.conftest import Seeded
from tests.integration.helpers import example, write_jsonl

from beaconport.db import session_scope
from beaconport.errors import Conflict
from beaconport.people import service as people
from beaconport.referrals.importer import import_file
from beaconport.referrals.models import Referral
from beaconport.review import intake, prioritise, queries
from beaconport.review.models import TriagePriority
from beaconport.review.weights import default, parse

PEOPLE_NAMES = [("Omar", "Khan"), ("Peter", "Nowak"), ("Ian", "Webb"), ("Sam", "Ali")]


def _case(reference: str, *, suspects: int = 2, age: int = 14, rape: bool = True,
          suspect_names: list[tuple[str, str]] | None = None) -> dict[str, Any]:
    doc = example(reference)
    suspect = doc["people"][1]
    complainant = doc["people"][2]
    complainant["age_at_first_offence"] = age
    names = suspect_names or [(f"Sus{reference[-2:]}{n}", f"Pect{n}") for n in range(suspects)]
    people_ = []
    for n, (forenames, surname) in enumerate(names, 1):
        person = dict(suspect, id=f"P{n}", forenames=forenames, surname=surname,
                      date_of_birth=f"198{n}-0{n}-1{n}")
        people_.append(person)
    people_.append(dict(complainant, id="C1"))
    doc["people"] = people_
    doc["crimes"][0]["complainants"] = ["C1"]
    doc["crimes"][0]["suspects"] = [p["id"] for p in people_[:-1]]
    if not rape:
        doc["crimes"][0]["offence"] = {"scheme": "SOA2003", "code": "s9"}
    doc["decisions"] = [{"suspect": p["id"], "crime": doc["crimes"][0]["crime_reference"],
                         "decided_by": "police", "decision": "nfa_evidential",
                         "outcome_code": "15", "decided_on": "2015-02-10"}
                        for p in people_[:-1]]
    return doc


def _import(url: str, tmp_path: Path, *docs: dict[str, Any]) -> None:
    import_file(write_jsonl(tmp_path / f"{uuid.uuid4()}.jsonl", list(docs)), actor="test",
                unit_of_work=lambda: session_scope(url), after_chunk=intake.after_store("test"))


def _queue(url: str) -> list[tuple[str, int]]:
    with session_scope(url) as session:
        return [tuple(row) for row in session.execute(  # type: ignore[misc]
            select(Referral.force_reference, TriagePriority.score)
            .join(TriagePriority, TriagePriority.referral_id == Referral.id)
            .order_by(TriagePriority.score.desc(), TriagePriority.referral_id))]


def _breakdown(url: str, reference: str) -> dict[str, tuple[str, int]]:
    with session_scope(url) as session:
        parts = session.scalar(select(TriagePriority.breakdown).join(
            Referral, Referral.id == TriagePriority.referral_id).where(
            Referral.force_reference == reference))
    assert parts is not None
    return {p["factor"]: (p["value"], p["points"]) for p in parts}


def test_imported_eligible_cases_are_queued_by_score_with_their_breakdown(
        db_url: str, tmp_path: Path) -> None:
    _import(db_url, tmp_path,
            _case("WYP/T/01", suspects=2, age=15, rape=False),
            _case("WYP/T/02", suspects=4, age=11),
            _case("WYP/T/03", suspects=3, age=14))
    assert [ref for ref, _ in _queue(db_url)] == ["WYP/T/02", "WYP/T/03", "WYP/T/01"]
    parts = _breakdown(db_url, "WYP/T/02")
    assert parts["rape"] == ("yes", 30)
    assert parts["youngest_complainant_age"] == ("11", 25)
    assert parts["suspects"] == ("4", 12)
    assert parts["suspects_in_other_referrals"] == ("0", 0)
    assert parts["years_since_decision"][1] == 0  # 2015: more than ten years ago
    assert dict(_queue(db_url))["WYP/T/02"] == sum(p for _, p in parts.values())
    assert _breakdown(db_url, "WYP/T/01")["rape"] == ("no", 0)


def test_changing_ethnicity_and_nationality_changes_no_score_and_no_order(
        db_url: str, tmp_path: Path) -> None:
    docs = [_case(f"WYP/E/{n:02d}", suspects=2 + n % 3, age=10 + n) for n in range(6)]
    _import(db_url, tmp_path, *docs)
    before = _queue(db_url)
    with session_scope(db_url) as session:
        scored_from = {r: d for r, (d, _, _) in queries.scored(session).items()}
    for doc in docs:
        for person in doc["people"]:
            person["ethnicity"] = [{"scheme": "SDE18+1", "code": "A1",
                                    "basis": "self_defined"}]
            person["nationality"] = ["PK"]
    _import(db_url, tmp_path, *docs)
    with session_scope(db_url) as session:
        rescored = {r: d for r, (d, _, _) in queries.scored(session).items()}
        versions = set(session.scalars(select(Referral.current_version)))
    assert versions == {2}, "the resubmissions are new versions"
    assert all(rescored[r] != scored_from[r] for r in rescored), "every case was scored again"
    assert _queue(db_url) == before


def test_a_case_no_longer_eligible_leaves_the_queue(db_url: str, tmp_path: Path) -> None:
    _import(db_url, tmp_path, _case("WYP/L/01"), _case("WYP/L/02"))
    assert len(_queue(db_url)) == 2
    gone = _case("WYP/L/02")
    for person in gone["people"][:-1]:
        person["alive_status"] = "deceased"
    _import(db_url, tmp_path, gone)
    assert [ref for ref, _ in _queue(db_url)] == ["WYP/L/01"]


def test_suspects_seen_in_other_referrals_raise_both_cases(db_url: str,
                                                           tmp_path: Path) -> None:
    shared = [("Omar", "Khan"), ("Peter", "Nowak")]
    _import(db_url, tmp_path,
            _case("WYP/S/01", suspect_names=shared),
            _case("WYP/S/02", suspect_names=[("Omar", "Khan"), ("Ian", "Webb")]),
            _case("WYP/S/03", suspect_names=[("Sam", "Ali"), ("Tom", "Gray")]))
    people.link_all(lambda: session_scope(db_url), actor="test")
    with session_scope(db_url) as session:
        done = prioritise.refresh(session, actor="test")
    assert done.scored == 3, "a linkage run changes what every case is scored from"
    assert _breakdown(db_url, "WYP/S/01")["suspects_in_other_referrals"] == ("1", 8)
    assert _breakdown(db_url, "WYP/S/02")["suspects_in_other_referrals"] == ("1", 8)
    assert _breakdown(db_url, "WYP/S/03")["suspects_in_other_referrals"] == ("0", 0)
    # Nothing changed since: nothing is scored again.
    with session_scope(db_url) as session:
        assert prioritise.refresh(session, actor="test").scored == 0


def test_new_weights_are_a_new_version_and_rescore_the_queue(db_url: str,
                                                             tmp_path: Path) -> None:
    _import(db_url, tmp_path, _case("WYP/W/01", age=15), _case("WYP/W/02", suspects=4,
                                                               rape=False))
    assert [ref for ref, _ in _queue(db_url)] == ["WYP/W/01", "WYP/W/02"]
    document = default().document()
    document["version"] = "triage-2"
    document["factors"]["rape"]["points"] = 0
    document["factors"]["suspects"]["each"] = 20
    with session_scope(db_url) as session:
        prioritise.add_weights(session, actor="test", weights=parse(document))
        done = prioritise.refresh(session, actor="test")
    assert done.scored == 2 and done.weights == "triage-2"
    assert [ref for ref, _ in _queue(db_url)] == ["WYP/W/02", "WYP/W/01"]
    with session_scope(db_url) as session, pytest.raises(Conflict, match="already exists"):
        prioritise.add_weights(session, actor="test", weights=parse(document))


def test_reviewers_see_the_queue_and_a_breakdown_and_others_may_not(web: Seeded,
                                                                    tmp_path: Path) -> None:
    with session_scope(web.url) as session:  # the seed is stored unscreened
        intake.after_store("test")(session, list(session.scalars(select(Referral.id))))
    reviewer = web.as_user("demo-reviewer")
    page = reviewer.get("/triage")
    assert page.status_code == 200
    assert 'data-testid="triage-table"' in page.text
    assert "WYP/CSE/2014/00001" in page.text
    detail = reviewer.get(f"/triage/{web.wyp_referral}")
    assert detail.status_code == 200
    assert "An allegation of rape" in detail.text and 'data-testid="triage-score"' in detail.text
    assert reviewer.get(f"/triage/{uuid.uuid4()}").status_code == 404
    filtered = reviewer.get("/triage", params={"force": "E23000005"}).text
    assert "GMP/CSE/2016/00001" in filtered and "WYP/CSE/2014/00001" not in filtered
    for username in ("demo-screener", "demo-force-submitter", "demo-analyst"):
        assert web.as_user(username).get("/triage").status_code == 403
