"""Screening the generated demo referrals gives exactly the ground truth written beside them
(the generator's own, independent reading of the design note)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import select
from tests.integration.helpers import write_jsonl

from beaconport.db import session_scope
from beaconport.demo.generator import generate
from beaconport.referrals.importer import import_file
from beaconport.referrals.models import Referral
from beaconport.screening import queries, runner
from beaconport.screening.decision import screen
from beaconport.screening.models import ScreeningDecision
from beaconport.screening.rules import CURRENT


def test_screening_the_demo_data_matches_its_ground_truth(db_url: str, tmp_path: Path) -> None:
    generated = generate(400, seed=2025)
    path = write_jsonl(tmp_path / "demo.jsonl", generated.documents)
    outcome = import_file(path, actor="test", unit_of_work=lambda: session_scope(db_url))
    assert outcome.summary.rejected == 0
    expected = {(t["force"], t["force_reference"]): t for t in generated.truth["screening"]}
    with session_scope(db_url) as session:
        facts = queries.load_facts(session, queries.referral_ids(session))
    assert len(facts) == len(expected) == 400
    differences = []
    for referral in facts.values():
        got = screen(referral, CURRENT)
        want = expected[(referral.force_code, referral.force_reference)]
        mine = {"decision": got.decision, "failed": list(got.failed),
                "unknown": list(got.unknown), "involves_rape": got.involves_rape}
        theirs = {k: want[k] for k in mine}
        if mine != theirs:
            differences.append((referral.force_reference, mine, theirs))
    assert not differences, differences[:5]
    decisions = {screen(f, CURRENT).decision for f in facts.values()}
    assert decisions == {"eligible", "ineligible", "needs_information"}


def test_a_long_run_read_in_other_processes_keeps_exactly_the_truth(
        db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Given the database's URL, a run of several chunks reads and decides in other processes;
    what it keeps must be what screening in one process would keep."""
    generated = generate(150, seed=11)
    import_file(write_jsonl(tmp_path / "demo.jsonl", generated.documents), actor="test",
                unit_of_work=lambda: session_scope(db_url))
    monkeypatch.setattr(runner, "CHUNK", 40)  # four chunks, so the readers are used
    _, outcome = runner.run(lambda: session_scope(db_url), actor="test", rules=CURRENT,
                            database_url=db_url)
    assert outcome.screened == outcome.changed == 150
    expected = {(t["force"], t["force_reference"]): t for t in generated.truth["screening"]}
    with session_scope(db_url) as session:
        kept = session.execute(
            select(Referral.force_code, Referral.force_reference, ScreeningDecision.decision,
                   ScreeningDecision.failed, ScreeningDecision.unknown)
            .join(ScreeningDecision, ScreeningDecision.referral_id == Referral.id)
            .where(ScreeningDecision.current.is_(True))).all()
    assert len(kept) == 150
    for force, reference, decision, failed, unknown in kept:
        want = expected[(force, reference)]
        assert (decision, failed, unknown) == (want["decision"], want["failed"], want["unknown"])
    _, again = runner.run(lambda: session_scope(db_url), actor="test", rules=CURRENT,
                          database_url=db_url)
    assert again.screened == 150 and again.changed == 0
