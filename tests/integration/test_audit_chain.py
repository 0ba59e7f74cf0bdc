"""The audit log's hash chain: intact logs verify clean, every kind of tampering is found and
located, and an export can be verified by its recipient with the documented algorithm alone."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import delete, select, update

from beaconport.audit import service as audit
from beaconport.audit.actions import AuditAction
from beaconport.audit.models import AuditChainHead, AuditEvent
from beaconport.audit.verify import ALTERED, BROKEN_LINK, GAP, HEAD, verify_chain
from beaconport.db import get_engine, session_scope

EVENT = AuditEvent.__table__
DAY_1 = datetime(2026, 3, 1, 23, 59, 59, 999999, tzinfo=UTC)
DAY_2 = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)
DAY_2_EVENING = datetime(2026, 3, 2, 18, 0, tzinfo=UTC)
DAY_2_LATE = datetime(2026, 3, 2, 23, 59, 59, 999999, tzinfo=UTC)
DAY_3 = datetime(2026, 3, 3, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _late_on_day_2(monkeypatch: pytest.MonkeyPatch) -> None:
    """Events written without a time of their own are written late on 2 March 2026."""
    monkeypatch.setattr("beaconport.clock.now", lambda: DAY_2_LATE)


def _write_events(url: str) -> int:
    """Events of every shape: single and bulk, with roles, client, records, justification and
    nested data, on three days. Returns how many."""
    who = audit.Actor("alice", roles="screener, force-submitter@WYP", client="192.0.2.7")
    with session_scope(url) as session:
        audit.record_many(session, actor="cli:test", action=AuditAction.REFERRAL_COLLECTED,
                          subjects=[(audit.Subject("referral", f"r{i}"), {"n": i})
                                    for i in range(3)], at=DAY_1)
    with session_scope(url) as session:
        audit.record_many(session, actor=who, action=AuditAction.REFERRAL_RESUBMITTED,
                          subjects=[(audit.Subject("referral", "r1"),
                                     {"changes": 2, "paths": ["people[0].sex", "crimes"],
                                      "nested": {"b": 1.5, "a": None, "é": "ü"}}),
                                    (audit.Subject("referral", "r2"), None)], at=DAY_2)
        audit.record_many(session, actor=who, action=AuditAction.REFERRAL_CONSULTED,
                          subjects=[(audit.Subject("referral", "r0"), None)], at=DAY_2_EVENING)
    with session_scope(url) as session:
        audit.record(session, actor=who, action=AuditAction.PERSON_CONSULTED,
                     subject=audit.Subject("referral", "r0"),
                     records=[audit.Subject("person_record", "p1"),
                              audit.Subject("person_record", "p2")],
                     justification="Reviewing the suspect's earlier decisions",
                     data={"shown": 2})
        audit.record(session, actor="cli:test", action=AuditAction.REJECTED_EXPORTED,
                     subject=audit.Subject("rejected_referral", "many"),
                     data={"ids": ["a", "b"]}, recipient="file:fix.jsonl")
    with session_scope(url) as session:
        audit.record_many(session, actor="cli:test", action=AuditAction.REFERRAL_COLLECTED,
                          subjects=[(audit.Subject("referral", "r9"), {"n": 9})], at=DAY_3)
    return 9


def _problems(url: str) -> list[tuple[str, int | None]]:
    with session_scope(url) as session:
        report = verify_chain(session)
    return [(p.kind, p.seq) for p in report.problems]


def test_an_intact_log_verifies_clean(db_url: str, cli: Any) -> None:
    total = _write_events(db_url)
    with session_scope(db_url) as session:
        report = verify_chain(session)
        newest = session.scalar(select(EVENT.c.entry_hash).where(EVENT.c.seq == total))
    assert report.intact and report.problems == []
    assert (report.checked, report.first_seq, report.last_seq) == (total, 1, total)
    assert report.last_hash == newest == report.head_hash
    status, output = cli("audit", "verify")
    assert status == 0, output
    assert f"Audit log intact: {total} events checked (seq 1 to {total})" in output
    status, output = cli("audit", "verify", "--json")
    assert status == 0 and json.loads(output)["intact"] is True


def test_an_empty_log_verifies_clean(db_url: str) -> None:
    with session_scope(db_url) as session:
        report = verify_chain(session)
    assert report.intact and report.checked == 0


def _alter_actor(conn: Any) -> None:
    conn.execute(update(EVENT).where(EVENT.c.seq == 4).values(actor="mallory"))


def _alter_data(conn: Any) -> None:
    conn.execute(update(EVENT).where(EVENT.c.seq == 4).values(data={"changes": 0}))


def _delete_middle(conn: Any) -> None:
    conn.execute(delete(EVENT).where(EVENT.c.seq == 4))


def _delete_last(conn: Any) -> None:
    conn.execute(delete(EVENT).where(EVENT.c.seq == 9))


def _swap(conn: Any) -> None:
    conn.execute(update(EVENT).where(EVENT.c.seq == 4).values(seq=-4))
    conn.execute(update(EVENT).where(EVENT.c.seq == 5).values(seq=4))
    conn.execute(update(EVENT).where(EVENT.c.seq == -4).values(seq=5))


def _rehash_altered(conn: Any) -> None:
    """Alter an event and recompute its own hash: the link from the next event breaks."""
    from beaconport.audit.chain import entry_hash

    row = dict(conn.execute(select(EVENT).where(EVENT.c.seq == 4)).mappings().one())
    row["actor"] = "mallory"
    conn.execute(update(EVENT).where(EVENT.c.seq == 4).values(
        actor="mallory", entry_hash=entry_hash(row, row["prev_hash"])))


def _head_altered(conn: Any) -> None:
    head = AuditChainHead.__table__
    conn.execute(update(head).values(last_hash="f" * 64))


def _head_reset(conn: Any) -> None:
    head = AuditChainHead.__table__
    conn.execute(update(head).values(seq=7))


@pytest.mark.parametrize(("tamper", "expected"), [
    (_alter_actor, [(ALTERED, 4)]),
    (_alter_data, [(ALTERED, 4)]),
    (_rehash_altered, [(BROKEN_LINK, 5)]),
    (_delete_middle, [(GAP, 5)]),
    (_delete_last, [(HEAD, 9)]),
    (_swap, [(BROKEN_LINK, 4), (ALTERED, 4), (BROKEN_LINK, 5), (ALTERED, 5),
             (BROKEN_LINK, 6)]),
    (_head_altered, [(HEAD, 9)]),
    (_head_reset, [(HEAD, 7), (HEAD, 7)]),
], ids=["update-actor", "update-data", "alter-and-rehash", "delete-middle", "delete-last",
        "swap-seq", "head-hash", "head-seq"])
def test_tampering_is_found_and_located(db_url: str, cli: Any, tamper: Callable[[Any], None],
                                        expected: list[tuple[str, int]]) -> None:
    _write_events(db_url)
    with get_engine(db_url).begin() as conn:
        tamper(conn)
    assert _problems(db_url) == expected
    status, output = cli("audit", "verify")
    assert status == 4, output
    assert "Audit log BROKEN" in output
    assert f"seq {expected[0][1]}" in output


def test_a_gap_explains_which_events_are_missing(db_url: str) -> None:
    _write_events(db_url)
    with get_engine(db_url).begin() as conn:
        conn.execute(delete(EVENT).where(EVENT.c.seq.in_([3, 4, 5])))
    with session_scope(db_url) as session:
        report = verify_chain(session)
    (problem,) = report.problems
    assert (problem.kind, problem.seq) == (GAP, 6)
    assert "events 3 to 5 are missing" in problem.explanation
    assert problem.event_id and problem.at_utc is not None


def _verify_export_independently(lines: list[str]) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The algorithm in docs/audit-events.md, with nothing from Beaconport."""
    header = json.loads(lines[0])
    events = [json.loads(line) for line in lines[1:]]
    assert header["events"] == len(events)
    prev = header["prev_hash"]
    for event in events:
        body = json.dumps({name: event[name] for name in header["fields"]}, sort_keys=True,
                          separators=(",", ":"), ensure_ascii=False)
        digest = hashlib.sha256(prev.encode("ascii") + b"\n" + body.encode("utf-8")).hexdigest()
        assert event["prev_hash"] == prev, event["seq"]
        assert event["entry_hash"] == digest, event["seq"]
        prev = digest
    return header, events


def test_an_export_is_verifiable_on_its_own_and_is_recorded(db_url: str, cli: Any,
                                                            tmp_path: Path) -> None:
    _write_events(db_url)
    out = tmp_path / "audit-2026-03-02.jsonl"
    status, output = cli("audit", "export", "--from", "2026-03-02", "--to", "2026-03-02",
                         "--output", str(out), "--justification", "Inquiry request 17",
                         "--recipient", "Independent inquiry")
    assert status == 0, output
    header, events = _verify_export_independently(out.read_text(encoding="utf-8").splitlines())
    assert [e["seq"] for e in events] == [4, 5, 6, 7, 8]
    assert (header["from"], header["to"], header["first_seq"], header["last_seq"]) == (
        "2026-03-02", "2026-03-02", 4, 8)
    assert header["justification"] == "Inquiry request 17"
    assert header["recipient"] == "Independent inquiry"
    assert header["exported_by"].startswith("cli:")
    assert events[0]["data"]["nested"] == {"b": 1.5, "a": None, "é": "ü"}
    assert events[0]["actor_roles"] == "screener, force-submitter@WYP"
    with session_scope(db_url) as session:
        fourth = session.execute(select(EVENT.c.prev_hash, EVENT.c.entry_hash)
                                 .where(EVENT.c.seq == 4)).one()
        recorded = session.execute(select(EVENT).where(
            EVENT.c.action == AuditAction.AUDIT_EXPORTED.value)).mappings().one()
        assert verify_chain(session).intact
    assert header["prev_hash"] == fourth.prev_hash and events[0]["entry_hash"] == fourth.entry_hash
    assert recorded["category"] == "disclosure"
    assert recorded["justification"] == "Inquiry request 17"
    assert recorded["recipient"] == "Independent inquiry"
    assert recorded["data"]["sha256"] == hashlib.sha256(out.read_bytes()).hexdigest()
    assert recorded["data"]["events"] == 5

    # Tampering with the exported copy is found by the same check.
    lines = out.read_text(encoding="utf-8").splitlines()
    lines[2] = lines[2].replace('"r2"', '"r3"')
    with pytest.raises(AssertionError):
        _verify_export_independently(lines)


def test_an_export_of_the_whole_log_and_of_an_empty_range(db_url: str, cli: Any,
                                                          tmp_path: Path) -> None:
    _write_events(db_url)
    whole = tmp_path / "whole.jsonl"
    status, _ = cli("audit", "export", "--from", "2026-03-01", "--to", "2026-03-03",
                    "--output", str(whole), "--justification", "j", "--recipient", "r")
    assert status == 0
    header, events = _verify_export_independently(whole.read_text().splitlines())
    assert header["prev_hash"] == "0" * 64 and len(events) == 9
    empty = tmp_path / "empty.jsonl"
    status, _ = cli("audit", "export", "--from", "2020-01-01", "--to", "2020-12-31",
                    "--output", str(empty), "--justification", "j", "--recipient", "r")
    assert status == 0
    header, events = _verify_export_independently(empty.read_text().splitlines())
    assert header["events"] == 0 and events == []


@pytest.mark.parametrize("args", [
    ["--from", "2026-3-2", "--to", "2026-03-02"],
    ["--from", "2026-03-32", "--to", "2026-04-01"],
    ["--from", "2026-03-03", "--to", "2026-03-02"],
])
def test_export_refuses_bad_dates(db_url: str, cli: Any, tmp_path: Path,
                                  args: list[str]) -> None:
    out = tmp_path / "x.jsonl"
    status, output = cli("audit", "export", *args, "--output", str(out), "--justification",
                         "j", "--recipient", "r")
    assert status == 1 and "Traceback" not in output
    assert len(output.strip().splitlines()) == 1
    assert not out.exists()


def test_export_to_a_folder_that_does_not_exist_writes_and_records_nothing(
        db_url: str, cli: Any, tmp_path: Path) -> None:
    _write_events(db_url)
    out = tmp_path / "missing" / "x.jsonl"
    status, output = cli("audit", "export", "--from", "2026-03-01", "--to", "2026-03-03",
                         "--output", str(out), "--justification", "j", "--recipient", "r")
    assert status == 1 and "Cannot write" in output
    with session_scope(db_url) as session:
        assert verify_chain(session).checked == 9
