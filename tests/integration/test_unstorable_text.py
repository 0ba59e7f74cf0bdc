"""Text no database can store (NUL, unpaired surrogates) is refused in plain words, on both
engines, and the referral is kept in the quarantine with the characters made visible."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select
from tests.integration.helpers import example

from beaconport.db import session_scope
from beaconport.referrals.importer import import_file
from beaconport.referrals.models import RejectedReferral


def test_nul_and_lone_surrogates_are_refused_not_crashed_on(db_url: str, tmp_path: Path) -> None:
    good = example("TXT/1")
    lines = [
        '{"force": "E23000010", "force_reference": "TXT/2", "summary": "a\\u0000b"}',
        '{"force": "E23000010", "force_reference": "TXT/3", "summary": "\\ud800"}',
        '{"force": "E23000010", "force_reference": "TXT/4", "bad\\u0000key": 1}',
        "not json \x00 at all",
    ]
    import json

    path = tmp_path / "text.jsonl"
    path.write_text(json.dumps(good) + "\n" + "\n".join(lines) + "\n", encoding="utf-8")
    outcome = import_file(path, actor="test", unit_of_work=lambda: session_scope(db_url))
    assert outcome.summary.accepted == 1 and outcome.summary.rejected == 4
    codes = [[p.code for p in r.problems] for r in outcome.rejections]
    assert codes[0] == ["invalid_value"] and codes[1] == ["invalid_value"]
    assert codes[2] == ["invalid_value"]
    assert "NUL character" in outcome.rejections[0].problems[0].message
    with session_scope(db_url) as session:
        kept = list(session.scalars(select(RejectedReferral.raw_text)))
    assert len(kept) == 4 and not any("\x00" in text for text in kept)
