"""Hostile and broken input: a clear error with a stable code, never a traceback, nothing lost."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from tests.integration.helpers import count, example, write_jsonl

from beaconport.referrals.models import Referral, RejectedReferral

CORPUS = Path(__file__).parents[1] / "corpus"
EXPECTED: dict[str, dict[str, Any]] = json.loads((CORPUS / "expected.json").read_text())


def _codes(report: list[dict[str, Any]]) -> set[str]:
    found = set()
    for entry in report:
        if entry["error"]:
            found.add(entry["error"]["code"])
        for rejection in entry["rejections"]:
            found |= {p["code"] for p in rejection["problems"]}
    return found


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_broken_file_gets_its_codes_and_exit_status(cli: Any, db_url: str,
                                                          name: str) -> None:
    expected = EXPECTED[name]
    status, output = cli("referrals", "import", str(CORPUS / "files" / name), "--json")
    report = json.loads(output)
    assert status == expected["exit_status"], output
    assert set(expected["codes"]) <= _codes(report), output
    entry = report[0]
    # Nothing is lost: every referral received is stored or kept in quarantine.
    kept = count(db_url, Referral) + count(db_url, RejectedReferral)
    assert kept >= entry["received"] - entry["unchanged"]
    for rejection in entry["rejections"]:
        for problem in rejection["problems"]:
            assert problem["message"] and problem["location"]
            assert "Traceback" not in problem["message"]


def test_a_zip_bomb_is_refused_before_it_is_unpacked(tmp_path: Path, cli: Any) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as member:
            block = b"\0" * (1 << 20)
            for _ in range(64):
                member.write(block)
    assert bomb.stat().st_size < 1 << 20
    status, output = cli("referrals", "import", str(bomb), "--json")
    assert status == 2
    assert json.loads(output)[0]["error"]["code"] == "zip_bomb"


def test_an_over_long_line_is_rejected_alone(tmp_path: Path, cli: Any, db_url: str) -> None:
    path = write_jsonl(tmp_path / "long.jsonl", [example("L/1")])
    with path.open("a") as handle:
        handle.write(json.dumps(example("L/2", summary="x" * (5 * 1024 * 1024))) + "\n")
    write_jsonl(tmp_path / "tail.jsonl", [example("L/3")])
    with path.open("a") as handle:
        handle.write((tmp_path / "tail.jsonl").read_text())
    status, output = cli("referrals", "import", str(path), "--json")
    assert status == 3
    assert "line_too_long" in _codes(json.loads(output))
    assert count(db_url, Referral) == 2


def test_several_files_give_the_worst_exit_status(tmp_path: Path, cli: Any) -> None:
    good = write_jsonl(tmp_path / "good.jsonl", [example("G/1")])
    status, _ = cli("referrals", "import", str(good), str(CORPUS / "files" / "empty.jsonl"))
    assert status == 2
