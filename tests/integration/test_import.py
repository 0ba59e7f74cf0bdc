"""Import on both engines: store, recognise, version, quarantine, resolve."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sqlalchemy import select
from tests.integration.helpers import count, example, write_jsonl

from beaconport.audit.models import AuditEvent
from beaconport.db import session_scope
from beaconport.referrals import queries
from beaconport.referrals.importer import import_file
from beaconport.referrals.models import (
    CrimeParty,
    EthnicityObservation,
    ImportBatch,
    Nationality,
    PersonRecord,
    Referral,
    ReferralVersion,
    RejectedReferral,
    SuspectDecision,
)

ACTOR = "test:importer"


def run(path: Path, unit_of_work: Any, **kwargs: Any) -> Any:
    return import_file(path, actor=ACTOR, unit_of_work=unit_of_work, **kwargs)


def test_a_valid_referral_is_stored_with_all_its_facts(
    tmp_path: Path, db_url: str, unit_of_work: Any
) -> None:
    outcome = run(write_jsonl(tmp_path / "a.jsonl", [example()]), unit_of_work)
    assert outcome.exit_status == 0
    assert outcome.summary.as_dict() == {
        "received": 1, "accepted": 1, "unchanged": 0, "resubmitted": 0, "rejected": 0}
    with session_scope(db_url) as session:
        referral = session.scalars(select(Referral)).one()
        assert (referral.force_code, referral.force_reference) == (
            "E23000010", "WYP/CSE/2014/00123")
        assert referral.involves_rape and referral.current_version == 1
        people = {p.person_ref: p for p in session.scalars(select(PersonRecord))}
        assert people["P1"].aliases == [{"forenames": "JP", "surname": "Smith"},
                                        {"nickname": "Smudge"}]
        assert people["P1"].arrested is True and people["P3"].age_at_first_offence == 14
        assert people["P3"].date_of_birth == "1999"
        observations = session.scalars(
            select(EthnicityObservation).order_by(EthnicityObservation.position)).all()
        assert [(o.scheme, o.code, o.basis) for o in observations if
                o.person_record_id == people["P1"].id] == [
            ("SDE18+1", "W1", "self_defined"), ("IC6+1", "IC1", "officer_observed")]
        assert session.scalars(select(Nationality.code)).all() == ["GB"]
        decisions = session.scalars(select(SuspectDecision)).all()
        assert {(d.suspect_id, d.decided_by) for d in decisions} == {
            (people["P1"].id, "cps"), (people["P2"].id, "police")}
        assert len(session.scalars(select(CrimeParty)).all()) == 3
        events = session.scalars(select(AuditEvent.action)).all()
        assert "referrals:referral:collected" in events


def test_the_same_file_twice_adds_nothing(
    tmp_path: Path, db_url: str, unit_of_work: Any
) -> None:
    path = write_jsonl(tmp_path / "a.jsonl", [example("A/1"), example("A/2")])
    run(path, unit_of_work)
    second = run(path, unit_of_work)
    assert second.summary.unchanged == 2 and second.summary.accepted == 0
    assert count(db_url, Referral) == 2
    assert count(db_url, ReferralVersion) == 2
    assert count(db_url, PersonRecord) == 6


def test_a_force_named_differently_is_the_same_referral(
    tmp_path: Path, db_url: str, unit_of_work: Any
) -> None:
    run(write_jsonl(tmp_path / "a.jsonl", [example()]), unit_of_work)
    again = run(write_jsonl(tmp_path / "b.jsonl", [example(force="West Yorkshire Police")]),
                unit_of_work)
    assert again.summary.unchanged == 1
    assert count(db_url, Referral) == 1


def test_a_resubmission_becomes_a_new_version_with_the_difference(
    tmp_path: Path, db_url: str, unit_of_work: Any
) -> None:
    run(write_jsonl(tmp_path / "a.jsonl", [example()]), unit_of_work)
    changed = example()
    changed["people"][1]["alive_status"] = "deceased"
    outcome = run(write_jsonl(tmp_path / "b.jsonl", [changed]), unit_of_work)
    assert outcome.summary.resubmitted == 1
    with session_scope(db_url) as session:
        referral = session.scalars(select(Referral)).one()
        assert referral.current_version == 2
        versions = session.scalars(
            select(ReferralVersion).order_by(ReferralVersion.number)).all()
        assert [v.number for v in versions] == [1, 2]
        assert versions[1].changes == [{"path": "people[P2].alive_status", "change": "changed",
                                        "before": "believed_alive", "after": "deceased"}]
        # The old version keeps its own people, unchanged.
        old = session.scalars(select(PersonRecord).where(
            PersonRecord.version_id == versions[0].id, PersonRecord.person_ref == "P2")).one()
        assert old.alive_status == "believed_alive"


def test_invalid_referrals_are_quarantined_verbatim_and_the_rest_stored(
    tmp_path: Path, db_url: str, unit_of_work: Any
) -> None:
    bad = example("B/1")
    bad["people"][0]["date_of_birth"] = "31/02/2014"
    path = tmp_path / "mixed.jsonl"
    lines = [example("B/0"), bad]
    write_jsonl(path, lines)
    with path.open("a") as handle:
        handle.write('{"format": "beaconport.referral/1", "force": "E2300\n')
    outcome = run(path, unit_of_work)
    assert outcome.exit_status == 3
    assert outcome.summary.as_dict() == {
        "received": 3, "accepted": 1, "unchanged": 0, "resubmitted": 0, "rejected": 2}
    assert count(db_url, Referral) == 1
    with session_scope(db_url) as session:
        rejected = {r.position: r for r in queries.list_rejected(session)}
        raw = session.scalars(select(RejectedReferral.raw_text)).all()
    assert set(rejected) == {"line 2", "line 3"}
    assert rejected["line 2"].problems[0]["code"] == "invalid_date"
    assert rejected["line 2"].problems[0]["location"] == "line 2: people[0].date_of_birth"
    assert rejected["line 2"].force_reference == "B/1"
    assert rejected["line 3"].problems[0]["code"] == "invalid_json"
    assert '{"format": "beaconport.referral/1", "force": "E2300' in raw


def test_rejected_content_sent_again_is_kept_once_and_a_correction_resolves_it(
    tmp_path: Path, db_url: str, unit_of_work: Any
) -> None:
    bad = example("C/1")
    bad["crimes"][0]["outcome_code"] = "99"
    path = write_jsonl(tmp_path / "bad.jsonl", [bad])
    run(path, unit_of_work)
    run(path, unit_of_work)
    assert count(db_url, RejectedReferral) == 1
    fixed = run(write_jsonl(tmp_path / "fixed.jsonl", [example("C/1")]), unit_of_work)
    assert fixed.summary.accepted == 1
    with session_scope(db_url) as session:
        entry = session.scalars(select(RejectedReferral)).one()
        assert entry.status == "resolved" and entry.resolved_by_version_id is not None
        assert queries.list_rejected(session) == []


def test_duplicates_inside_one_file(tmp_path: Path, db_url: str, unit_of_work: Any) -> None:
    other = example("D/1", summary="A different summary")
    outcome = run(write_jsonl(tmp_path / "dup.jsonl",
                              [example("D/1"), example("D/1"), other]), unit_of_work)
    assert outcome.summary.accepted == 1
    assert outcome.summary.unchanged == 1
    assert outcome.summary.rejected == 1
    assert outcome.rejections[0].problems[-1].code == "duplicate_referral"
    assert "line 1" in outcome.rejections[0].problems[-1].message


def test_chunks_commit_separately_and_every_batch_is_recorded(
    tmp_path: Path, db_url: str, unit_of_work: Any
) -> None:
    docs = [example(f"E/{i}") for i in range(7)]
    outcome = run(write_jsonl(tmp_path / "many.jsonl", docs), unit_of_work, batch_size=3)
    assert outcome.summary.accepted == 7
    with session_scope(db_url) as session:
        batch = session.scalars(select(ImportBatch)).one()
        assert (batch.status, batch.received, batch.accepted) == ("completed", 7, 7)


def test_an_unreadable_file_is_recorded_and_exits_2(
    tmp_path: Path, db_url: str, unit_of_work: Any
) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    outcome = run(empty, unit_of_work)
    assert outcome.exit_status == 2 and outcome.unreadable is not None
    assert outcome.unreadable.code == "empty_file"
    with session_scope(db_url) as session:
        batch = session.scalars(select(ImportBatch)).one()
        assert (batch.status, batch.error_code) == ("unreadable", "empty_file")


def test_a_file_that_cannot_be_opened_is_a_clear_error(
    tmp_path: Path, db_url: str, unit_of_work: Any, monkeypatch: Any
) -> None:
    from beaconport.referrals import importer

    def refuse(path: Path, limits: Any) -> Any:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(importer, "read_referrals", refuse)
    outcome = run(write_jsonl(tmp_path / "locked.jsonl", [example()]), unit_of_work)
    assert outcome.exit_status == 2
    assert outcome.unreadable is not None and outcome.unreadable.code == "cannot_open"
    assert "Permission denied" in outcome.unreadable.message
