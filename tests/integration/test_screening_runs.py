"""Screening kept: decided on import, re-screened without rewriting what did not change, every
change kept with its reason, and exported in exactly the design note's columns."""

from __future__ import annotations

import csv
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from tests.integration.helpers import count, example, write_jsonl

from beaconport.db import session_scope
from beaconport.demo.generator import generate
from beaconport.referrals.models import Referral
from beaconport.screening import runner
from beaconport.screening.models import PriorReview, ScreeningDecision, ScreeningRun
from beaconport.screening.rules import BEACONPORT_2025


def _decisions(url: str) -> list[tuple[str, str, int, bool, str]]:
    with session_scope(url) as session:
        return [tuple(r) for r in session.execute(  # type: ignore[misc]
            select(Referral.force_reference, ScreeningDecision.decision,
                   ScreeningDecision.version, ScreeningDecision.current,
                   ScreeningDecision.ruleset)
            .join(Referral, Referral.id == ScreeningDecision.referral_id)
            .order_by(Referral.force_reference, ScreeningDecision.screened_at_utc))]


def test_import_screens_at_once_and_a_resubmission_is_screened_again(
        cli: Any, db_url: str, tmp_path: Path) -> None:
    eligible = example("SCR/1")
    undated = example("SCR/2")
    for decision in undated["decisions"]:
        decision.pop("decided_on", None)
    assert cli("referrals", "import", str(write_jsonl(tmp_path / "a.jsonl",
                                                       [eligible, undated])))[0] == 0
    assert _decisions(db_url) == [
        ("SCR/1", "eligible", 1, True, "beaconport-2025"),
        ("SCR/2", "needs_information", 1, True, "beaconport-2025")]
    with session_scope(db_url) as session:
        statuses = dict(session.execute(select(Referral.force_reference, Referral.status)).all())
    assert statuses == {"SCR/1": "eligible", "SCR/2": "needs-information"}

    status, output = cli("screen", "--all")
    assert status == 0 and "0 decisions are new or changed" in output
    assert len(_decisions(db_url)) == 2

    dated = example("SCR/2")  # the force answers: the decisions' dates
    assert cli("referrals", "import", str(write_jsonl(tmp_path / "b.jsonl", [dated])))[0] == 0
    assert _decisions(db_url)[1:] == [
        ("SCR/2", "needs_information", 1, False, "beaconport-2025"),
        ("SCR/2", "eligible", 2, True, "beaconport-2025")]


def test_a_new_rule_set_reports_what_changed_and_why(db_url: str, tmp_path: Path,
                                                     cli: Any) -> None:
    docs = [example("NEW/1"), example("NEW/2")]
    docs[1]["decisions"][0]["decided_on"] = "2009-06-01"
    docs[1]["decisions"][1]["decided_on"] = "2009-06-01"
    cli("referrals", "import", str(write_jsonl(tmp_path / "r.jsonl", docs)))
    wider = replace(BEACONPORT_2025, name="test-wider-window", window_start=date(2005, 1, 1))
    run_id, outcome = runner.run(lambda: session_scope(db_url), actor="test", rules=wider)
    assert outcome.screened == 2 and outcome.changed == 2
    changes = {c["force_reference"]: c for c in outcome.changes}
    assert changes["NEW/1"]["from"] == changes["NEW/1"]["to"] == "eligible"  # only the rules
    assert changes["NEW/1"]["criteria"] == {}
    assert changes["NEW/2"] == {
        "force": "E23000010", "force_reference": "NEW/2", "from": "ineligible",
        "to": "eligible", "ruleset_from": "beaconport-2025", "ruleset_to": "test-wider-window",
        "criteria": {"nfa_in_window": ["fail", "pass"]}}
    with session_scope(db_url) as session:
        run = session.get(ScreeningRun, run_id)
        assert run is not None and run.changed == 2 and run.report == outcome.changes
    assert count(db_url, ScreeningDecision) == 4


def test_the_export_has_exactly_the_design_notes_columns_and_the_truth(
        cli: Any, db_url: str, tmp_path: Path) -> None:
    generated = generate(120, seed=7)
    cli("referrals", "import", str(write_jsonl(tmp_path / "g.jsonl", generated.documents)))
    output = tmp_path / "screening.csv"
    status, said = cli("screen", "export", "--output", str(output))
    assert status == 0 and "Wrote 120 screening decisions" in said
    with output.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["force", "force_reference", "decision", "failed", "unknown",
                             "involves_rape", "ruleset"]
    truth = {(t["force"], t["force_reference"]): t for t in generated.truth["screening"]}
    for row in rows:
        want = truth[(row["force"], row["force_reference"])]
        assert row["decision"] == want["decision"]
        assert row["failed"] == ";".join(want["failed"])
        assert row["unknown"] == ";".join(want["unknown"])
        assert row["involves_rape"] == ("true" if want["involves_rape"] else "false")
        assert row["ruleset"] == "beaconport-2025"


def test_screen_one_referral_by_force_and_reference(cli: Any, tmp_path: Path) -> None:
    cli("referrals", "import", str(write_jsonl(tmp_path / "one.jsonl",
                                               [example("ONE/A/1")])))
    status, output = cli("screen", "--referral", "E23000010/ONE/A/1")
    assert status == 0 and "Screened 1 referrals" in output
    status, output = cli("screen", "--referral", "E23000010/NOPE")
    assert status == 1 and "There is no referral" in output


def test_the_prior_review_register_is_checked_whole_and_screening_consults_it(
        cli: Any, db_url: str, tmp_path: Path) -> None:
    cli("referrals", "import", str(write_jsonl(tmp_path / "r.jsonl",
                                               [example("REG/1"), example("REG/2")])))
    bad = tmp_path / "bad.csv"
    bad.write_text("entry_reference,force,force_reference,crime_reference,reviewed_by,"
                   "completed_on\nH-1,Borsetshire,REG/1,,Operation Hydrant,2019\n"
                   "H-2,WYP,,,Operation Hydrant,2019-13\n", encoding="utf-8")
    status, output = cli("screen", "register", str(bad))
    assert status == 1 and "nothing was stored" in output
    assert "row 2: force 'Borsetshire' is not a police force" in output
    assert "row 3: give force_reference or crime_reference" in output
    assert "row 3: completed_on:" in output
    assert count(db_url, PriorReview) == 0

    good = tmp_path / "register.csv"
    good.write_text("entry_reference,force,force_reference,crime_reference,reviewed_by,"
                    "completed_on,outcome\nH-1,West Yorkshire Police,REG/1,,"
                    "Operation Hydrant,2019,No further action upheld\n", encoding="utf-8")
    status, output = cli("screen", "register", str(good))
    assert status == 0 and "1 entries added" in output and "1 decisions changed" in output
    decisions = {ref: (decision, current) for ref, decision, _, current, _
                     in _decisions(db_url) if current}
    assert decisions == {"REG/1": ("ineligible", True), "REG/2": ("eligible", True)}
    status, output = cli("screen", "register", str(good))
    assert "0 entries added, 0 updated, 1 unchanged" in output
