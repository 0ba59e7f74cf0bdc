"""Screening the generated demo referrals gives exactly the ground truth written beside them
(the generator's own, independent reading of the design note)."""

from __future__ import annotations

from pathlib import Path

from tests.integration.helpers import write_jsonl

from beaconport.db import session_scope
from beaconport.demo.generator import generate
from beaconport.referrals.importer import import_file
from beaconport.screening import queries
from beaconport.screening.decision import screen
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
