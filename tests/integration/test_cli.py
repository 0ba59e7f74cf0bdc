"""The command line end to end, on both engines."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from tests.integration.helpers import count, example, write_jsonl

from beaconport.audit.models import AuditEvent
from beaconport.db import session_scope
from beaconport.referrals.models import Referral, RejectedReferral


@pytest.mark.parametrize("carrier", ["set.xlsx", "set.ods", "set.zip", "set_csv/"])
def test_every_carrier_holds_the_same_referrals(tmp_path: Path, cli: Any, db_url: str,
                                                carrier: str) -> None:
    jsonl = tmp_path / "set.jsonl"
    status, _ = cli("demo-data", "generate", "--referrals", "25", "--seed", "3",
                    "--output", str(jsonl))
    assert status == 0 and (tmp_path / "set.truth.json").exists()
    status, output = cli("demo-data", "generate", "--referrals", "25", "--seed", "3",
                         "--output", str(tmp_path / carrier))
    assert status == 0, output
    status, output = cli("referrals", "import", str(jsonl), "--json")
    assert status == 0 and json.loads(output)[0]["accepted"] == 25
    status, output = cli("referrals", "import", str(tmp_path / carrier), "--json")
    report = json.loads(output)[0]
    assert status == 0, output
    # The workbook and CSV layout carries a person's first address and first identifier only,
    # so a referral holding more comes back changed: a new version, nothing else.
    documents = [json.loads(line) for line in jsonl.read_text().splitlines()]
    more = sum(any(len(p.get("addresses") or ()) > 1 or len(p.get("identifiers") or ()) > 1
                   for p in d["people"]) for d in documents)
    assert (report["unchanged"], report["accepted"], report["resubmitted"]) == (25 - more, 0, more)
    assert count(db_url, Referral) == 25


def test_import_summary_rejected_export_discard(tmp_path: Path, cli: Any, db_url: str) -> None:
    bad = example("Q/1")
    bad["people"][0]["sex"] = "M"
    bad2 = example("Q/2")
    bad2["decisions"][0]["decided_on"] = "2015-02-31"
    path = write_jsonl(tmp_path / "q.jsonl", [example("Q/0"), bad, bad2])
    status, output = cli("referrals", "import", str(path))
    assert status == 3
    assert "received 3 · accepted 1 · unchanged 0 · resubmitted 0 · rejected 2" in output
    assert "people[0].sex" in output and "[invalid_value]" in output

    status, output = cli("referrals", "rejected", "--json")
    listed = json.loads(output)
    assert status == 0 and len(listed) == 2
    assert {item["force_reference"] for item in listed} == {"Q/1", "Q/2"}

    fix = tmp_path / "fix.jsonl"
    status, output = cli("referrals", "rejected", "--export", str(fix))
    assert status == 1 and "disclosure" in output and not fix.exists()
    status, output = cli("referrals", "rejected", "--export", str(fix), "--justification",
                         "Returned to the force for correction", "--recipient", "WYP data team")
    assert status == 0
    corrected = [json.loads(line) for line in fix.read_text().splitlines()]
    for doc in corrected:
        if doc["force_reference"] == "Q/1":
            doc["people"][0]["sex"] = "male"
    write_jsonl(fix, corrected)
    status, output = cli("referrals", "import", str(fix), "--json")
    assert status == 3 and json.loads(output)[0]["accepted"] == 1

    remaining = json.loads(cli("referrals", "rejected", "--json")[1])
    assert [item["force_reference"] for item in remaining] == ["Q/2"]
    status, output = cli("referrals", "discard", remaining[0]["id"], "--reason",
                         "Force will resubmit under a new reference")
    assert status == 0
    assert cli("referrals", "rejected")[1].strip() == (
        "No rejected referrals are waiting for correction.")
    status, output = cli("referrals", "discard", remaining[0]["id"], "--reason", "again")
    assert status == 1 and "already discarded" in output

    summary = json.loads(cli("referrals", "summary", "--json")[1])
    assert summary["referrals"] == 2 and summary["open_rejected"] == 0
    with session_scope(db_url) as session:
        actions = set(session.scalars(select(AuditEvent.action)))
        statuses = set(session.scalars(select(RejectedReferral.status)))
    assert {"referrals:rejected:exported", "referrals:rejected:discarded"} <= actions
    assert statuses == {"resolved", "discarded"}


def test_reference_commands(cli: Any) -> None:
    status, output = cli("reference", "load")
    assert status == 0 and "unchanged" in output
    status, output = cli("reference", "list")
    assert status == 0 and "forces" in output and "ethnicity_codes" in output


def test_db_upgrade_is_idempotent(cli: Any) -> None:
    status, output = cli("db", "upgrade")
    assert status == 0
    assert "Reference data was already up to date." in output
    status, output = cli("db", "current")
    assert status == 0 and "database: 0022" in output


def test_a_missing_file_is_a_clear_error(cli: Any, tmp_path: Path) -> None:
    status, output = cli("referrals", "import", str(tmp_path / "nowhere.jsonl"))
    assert status == 2
    assert "file_not_found" in output


@pytest.mark.parametrize("url_kind", ["unmigrated", "unreachable"])
def test_a_database_that_cannot_be_used_is_a_plain_error(tmp_path: Path, url_kind: str) -> None:
    import os
    import subprocess
    import sys

    url = (f"sqlite:///{tmp_path / 'empty.db'}" if url_kind == "unmigrated"
           else "postgresql+psycopg://someone:secret@127.0.0.1:1/none")
    done = subprocess.run(
        [sys.executable, "-m", "beaconport.cli", "referrals", "summary"],
        env={**os.environ, "BEACONPORT_DATABASE_URL": url}, capture_output=True, text=True,
        timeout=60, check=False)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert "secret" not in done.stderr
    expected = "beaconport db upgrade" if url_kind == "unmigrated" else "cannot be used"
    assert expected in done.stderr
